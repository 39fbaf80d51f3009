extension SimulationScenario {
  /// The six incidents `failsafe simulate` replays, in the order it prints them.
  public static func builtIn(seed: UInt64 = 2_026) -> [SimulationScenario] {
    [deadKey(seed: seed), oauth429(), overload(), poolRevoked(), flatTTL(), revivedElsewhere()]
  }

  /// The names of the built-in scenarios, in order.
  public static let builtInNames = [
    "dead-key", "oauth-429", "overload", "pool-revoked", "flat-ttl", "revived-elsewhere",
  ]

  /// The built-in scenario called `name`, or `nil`.
  public static func builtIn(named name: String, seed: UInt64 = 2_026) -> SimulationScenario? {
    builtIn(seed: seed).first { $0.name == name }
  }

  private static let hour = Duration.seconds(3_600)
  private static let day = Duration.seconds(86_400)

  /// `dead-key`: a Gemini key expires (`400 API_KEY_INVALID`); on day 5 the operator puts a new
  /// key in the key source.
  ///
  /// 13 sessions, all working when the key expires, then each working a shift of 1.5 to
  /// 3.5 hours a day at a random hour (drawn from `seed`); 1,000 jobs are queued when the key
  /// expires and 24,000 more arrive over the six days. The new key is in place 15 minutes into
  /// day 5's first shift, so sessions are working then and after; the upstream accepts it from
  /// then on. The naive worker crashes on the error and restarts 4 to 14 seconds later, reading
  /// the key again at each start.
  public static func deadKey(seed: UInt64 = 2_026) -> SimulationScenario {
    let sessions = 13
    var random = SimulationRandom(seed: seed, stream: -1)
    var shifts: [[Range<Duration>]] = []
    for _ in 0..<sessions {
      var days: [Range<Duration>] = []
      for day in 0..<6 {
        let start =
          day == 0 ? .zero : Self.day * day + random.duration(in: .zero...(hour * 20))
        let length = random.duration(in: (hour * 1.5)...(hour * 3.5))
        days.append(start..<(start + length))
      }
      shifts.append(days)
    }
    let key = "gemini-key"
    let replacedAt = shifts.map { $0[4].lowerBound }.min()! + .seconds(15 * 60)
    return SimulationScenario(
      name: "dead-key",
      summary:
        "a Gemini key expires (400 API_KEY_INVALID); replaced on day 5; 13 sessions; 25,000 jobs",
      duration: day * 6, shifts: shifts,
      jobs: JobSchedule(initialBacklog: 1_000, arrivals: 24_000, over: .zero..<(day * 6)),
      script: UpstreamScript(
        rules: [
          .init(
            credential: key, window: .zero..<(day * 7),
            responses: [ProviderResponses.geminiAPIKeyInvalid])
        ],
        recovery: replacedAt),
      credentials: [key],
      keyChanges: [SimulationKeyChange(at: replacedAt, credential: key, value: "gemini-key-2")],
      naiveWorker: .naive(.init(credentials: [key])),
      failSafeWorker: .failSafe(credentials: [key]))
  }

  /// `oauth-429`: the OAuth token endpoint answers `429` for three hours to a poller that
  /// runs every two minutes; refresh tokens are single-use.
  ///
  /// The access token has just expired. The naive poller refreshes on any failure, retries
  /// the whole poll three times at once, and skips the poll when that fails.
  public static func oauth429() -> SimulationScenario {
    SimulationScenario(
      name: "oauth-429",
      summary:
        "the OAuth token endpoint answers 429 for 3 hours to a poller running every 2 minutes",
      duration: hour * 6, shifts: alwaysOn(sessions: 1, until: hour * 6),
      jobs: JobSchedule(arrivals: 180, over: .zero..<(hour * 6)),
      script: UpstreamScript(
        rules: [
          .init(
            endpoint: .token, window: .zero..<(hour * 3),
            responses: [ProviderResponses.anthropicOAuthTokenEndpoint429])
        ],
        recovery: hour * 3, oauthAccessTokenLifetime: hour),
      credentials: ["oauth"],
      naiveWorker: .naive(.init(credentials: [], immediateRetries: 3, dropsFailedJobs: true)),
      failSafeWorker: .failSafe(credentials: [], dropsUnavailableJobs: true))
  }

  /// `overload`: the provider answers `503` and `529` overloaded for six hours, then recovers;
  /// 13 sessions, a job every 10 seconds, 8 hours in all.
  public static func overload() -> SimulationScenario {
    let key = "anthropic-key"
    return SimulationScenario(
      name: "overload",
      summary: "the provider answers 503/529 overloaded for 6 hours, then recovers; 13 sessions",
      duration: hour * 8, shifts: alwaysOn(sessions: 13, until: hour * 8),
      jobs: JobSchedule(arrivals: 2_880, over: .zero..<(hour * 8)),
      script: UpstreamScript(
        rules: [
          .init(
            window: .zero..<(hour * 6),
            responses: [
              ProviderResponses.openAIOverloaded503, ProviderResponses.anthropicOverloaded529,
            ])
        ],
        recovery: hour * 6),
      credentials: [key],
      naiveWorker: .naive(.init(credentials: [key])),
      failSafeWorker: .failSafe(credentials: [key]))
  }

  /// `pool-revoked`: three keys, one revoked (`401 invalid_api_key`) after an hour; 13
  /// sessions, a job every 2 seconds for 6 hours. The naive worker cools a failing key for a
  /// flat 5 minutes, then puts it back into rotation.
  public static func poolRevoked() -> SimulationScenario {
    let keys = ["key-a", "key-b", "key-c"]
    return SimulationScenario(
      name: "pool-revoked",
      summary: "three keys, one revoked after an hour; naive: a flat 5-minute cooldown",
      duration: hour * 6, shifts: alwaysOn(sessions: 13, until: hour * 6),
      jobs: JobSchedule(arrivals: 10_800, over: .zero..<(hour * 6)),
      script: UpstreamScript(
        rules: [
          .init(
            credential: "key-b", window: hour..<(hour * 7),
            responses: [ProviderResponses.openAIInvalidAPIKey])
        ]),
      credentials: keys,
      naiveWorker: .naive(.init(credentials: keys, immediateRetries: 2, cooldown: .seconds(300))),
      failSafeWorker: .failSafe(credentials: keys))
  }

  /// `flat-ttl`: an 8-hour outage (`500`) against a flat 1-hour cooldown, 10 hours in all.
  ///
  /// The 13 sessions come up 30 minutes into the outage, so the flat cooldown's hourly cycle is
  /// out of phase with the recovery, as it is by chance in real incidents.
  /// The naive worker gives each job 5 attempts at once and cools the key for a flat hour after
  /// 5 failures in a row: every expiry spends the whole retry budget again. FailSafe's breaker
  /// backs off exponentially up to its cap, with one probe per reopening.
  public static func flatTTL() -> SimulationScenario {
    let key = "anthropic-key"
    return SimulationScenario(
      name: "flat-ttl",
      summary: "an 8-hour outage against a flat 1-hour cooldown vs capped exponential",
      duration: hour * 10,
      shifts: Array(repeating: [(hour / 2)..<(hour * 10)], count: 13),
      jobs: JobSchedule(arrivals: 1_200, over: .zero..<(hour * 10)),
      script: UpstreamScript(
        rules: [
          .init(
            window: .zero..<(hour * 8), responses: [ProviderResponses.anthropicInternalError500])
        ],
        recovery: hour * 8),
      credentials: [key],
      naiveWorker: .naive(
        .init(
          credentials: [key], immediateRetries: 4, cooldown: hour, cooldownAfterFailures: 5)),
      failSafeWorker: .failSafe(credentials: [key]))
  }

  /// `revived-elsewhere`: two worker processes share a breaker state store; a key is invalid
  /// (`401 invalid_api_key`) for the first hour, fixed upstream then, and revived by an operator
  /// in the store (`failsafe state revive`) at 1 h 15 min 2.5 s.
  ///
  /// 8 sessions, a job every 3 seconds for 3 hours. Process 0 (the even sessions) starts at once
  /// and learns the key is dead; process 1 (the odd ones) starts 10 minutes later and learns it
  /// from the store. Both resume at their next synchronisation after the revive, without a
  /// restart. The naive worker crashes on the error and restarts 4 to 14 seconds later. The
  /// recovery is measured from the fix upstream (1 h): FailSafe, holding a key it knows is dead,
  /// resumes only when the operator says so.
  public static func revivedElsewhere() -> SimulationScenario {
    let key = "openai-key"
    // Off the processes' 5-second synchronisation grid, as an operator's moment would be.
    let revivedAt = hour + .seconds(15 * 60) + .milliseconds(2_500)
    let shifts = (0..<8).map { session in
      [(session % 2 == 0 ? .zero : .seconds(600))..<(hour * 3)]
    }
    return SimulationScenario(
      name: "revived-elsewhere",
      summary: "two processes share a state store; a dead key is revived by an operator",
      duration: hour * 3, shifts: shifts,
      jobs: JobSchedule(arrivals: 3_600, over: .zero..<(hour * 3)),
      script: UpstreamScript(
        rules: [
          .init(
            credential: key, window: .zero..<hour,
            responses: [ProviderResponses.openAIInvalidAPIKey])
        ],
        recovery: hour),
      credentials: [key],
      naiveWorker: .naive(.init(credentials: [key])),
      failSafeWorker: ScenarioWorker {
        try SharedStateFailSafeWorker(
          credentials: [key], processCount: 2, revivals: [(at: revivedAt, credential: key)],
          environment: $0)
      })
  }
}
