import FailSafe
import FailSafeTesting

/// Runs scenarios in virtual time: every session is a task sleeping on one `ManualClock`,
/// and the runner moves the clock to the next deadline whenever all of them sleep.
///
/// Each session waits on the clock (for a job's arrival, an answer's latency, a backoff), so
/// "every session asleep" is exact (`ManualClock/waitForSleepers(count:)`), and the clock jumps
/// straight to the next thing that happens: six days with thousands of requests take seconds.
/// Session `i` starts each shift `i` milliseconds late, and latencies are drawn to the
/// nanosecond, so sessions seldom wake at the same instant and runs repeat exactly.
public struct SimulationRunner<RealClock: Clock>: Sendable where RealClock.Duration == Duration {
  /// The classifier that reads failures, for the FailSafe worker and for the report.
  public var classifier: any FailureClassifying
  /// The seed every generator of a run derives from.
  public var seed: UInt64
  /// The clock that measures how long a run really takes.
  public var realClock: RealClock

  /// Creates a runner.
  public init(classifier: any FailureClassifying, seed: UInt64 = 2_026, realClock: RealClock) {
    self.classifier = classifier
    self.seed = seed
    self.realClock = realClock
  }

  /// Runs the naive worker, then the FailSafe worker, through `scenario`.
  ///
  /// - Throws: whatever building a worker throws, before that worker runs: for the FailSafe
  ///   worker, `CredentialPoolError` for a repeated credential.
  public func run(_ scenario: SimulationScenario) async throws -> ScenarioOutcome {
    let naive = try await run(scenario, worker: scenario.naiveWorker)
    let failSafe = try await run(scenario, worker: scenario.failSafeWorker)
    return ScenarioOutcome(scenario: scenario.name, naive: naive, failSafe: failSafe)
  }

  /// Runs one worker through `scenario` on a fresh clock, upstream and queue.
  ///
  /// - Throws: whatever building the worker throws; then nothing has run.
  public func run(_ scenario: SimulationScenario, worker recipe: ScenarioWorker) async throws
    -> SimulationRun
  {
    let started = realClock.now
    let clock = ManualClock()
    let environment = SimulationEnvironment(
      clock: clock, upstream: ScriptedUpstream(script: scenario.script, clock: clock),
      jobs: JobQueue(schedule: scenario.jobs, clock: clock), timeline: CredentialTimeline(),
      classifier: classifier, seed: seed,
      keys: SimulationKeyStore(changes: scenario.keyChanges, clock: clock))
    let worker = try recipe.make(environment)
    let end = scenario.duration
    // Sessions park here once their shifts are over, so the count of sleepers stays exact.
    let parking = ManualClock.Instant(offset: end + .seconds(86_400))
    var sessions: [Task<Void, Never>] = []
    for (index, shifts) in scenario.shifts.enumerated() {
      sessions.append(
        Task {
          let stagger = Duration.milliseconds(index)
          for (number, shift) in shifts.enumerated() {
            do {
              try await clock.sleep(until: .init(offset: shift.lowerBound + stagger))
            } catch { return }
            let session = SimulationSession(
              index: index, shift: shift, environment: environment,
              random: environment.random(stream: index &* 1_000 &+ number))
            await worker.work(session)
            if Task.isCancelled { return }
          }
          try? await clock.sleep(until: parking)
        })
    }
    while true {
      // Every session idle (asleep on the clock, or waiting in a pool's queue), and the
      // worker's own tasks (a pool's source watcher and alarm) asleep too.
      // The three counts are read one after another while tasks change them, so one reading
      // can be torn (a wake seen in one count and not yet in another); two equal readings a
      // yield apart are taken as the state.
      func idleness() -> [Int] {
        [worker.backgroundTaskCount, clock.sleeperCount, worker.waitingSessionCount]
      }
      var reading = idleness()
      while !Task.isCancelled {
        await Task.yield()
        let again = idleness()
        if again == reading, again[1] + again[2] >= sessions.count + again[0] { break }
        reading = again
      }
      guard let next = clock.nextDeadline, next.offset <= end else { break }
      await clock.advance(to: next)
    }
    for session in sessions { session.cancel() }
    for session in sessions { await session.value }
    let realTime = started.duration(to: realClock.now)
    return makeRun(
      worker: worker.name, environment: environment, duration: end, realTime: realTime)
  }

  private func makeRun(
    worker: String, environment: SimulationEnvironment, duration: Duration, realTime: Duration
  ) -> SimulationRun {
    let requests = environment.upstream.requests
    var permanence: [ScriptedResponse: Bool] = [:]
    func isPermanent(_ response: ScriptedResponse) -> Bool {
      if let known = permanence[response] { return known }
      let verdict = classifier.classify(response.providerResponse).disposition == .permanent
      permanence[response] = verdict
      return verdict
    }
    // A key is known dead from the arrival of the first answer that says so until a request
    // sent with it succeeds again (it was replaced upstream or revived): the requests sent in
    // between are the waste.
    var knownDeadAt: [String: Duration] = [:]
    var afterDead = 0
    for request in requests {
      let key = request.credential
      if let deadAt = knownDeadAt[key], request.sentAt >= deadAt {
        if request.response.isSuccess {
          knownDeadAt[key] = nil
        } else {
          afterDead += 1
        }
      }
      if !request.response.isSuccess, isPermanent(request.response) {
        knownDeadAt[key] = min(knownDeadAt[key] ?? request.answeredAt, request.answeredAt)
      }
    }
    var recoverySeconds: Double?
    if let recovery = environment.upstream.script.recovery,
      let first = requests.first(where: { $0.response.isSuccess && $0.sentAt >= recovery })
    {
      recoverySeconds = (first.sentAt - recovery).simulationSeconds
    }
    let ledger = environment.jobs.ledger
    let report = SimulationReport(
      upstreamRequests: requests.count,
      tokenEndpointRequests: requests.count { $0.endpoint == .token },
      failedUpstreamRequests: requests.count { !$0.response.isSuccess },
      requestsAfterDead: afterDead, jobsSubmitted: ledger.submitted,
      jobsCompleted: ledger.completed, jobsFailed: ledger.failed,
      failureReasons: ledger.failedByReason, jobsQueued: ledger.queued, jobsLost: ledger.lost,
      heldJobsPeak: ledger.heldPeak,
      recoverySeconds: recoverySeconds, virtualSeconds: duration.simulationSeconds,
      realSeconds: realTime.simulationSeconds)
    return SimulationRun(
      worker: worker, report: report, requests: requests,
      states: environment.timeline.changes, duration: duration)
  }
}

extension SimulationRunner where RealClock == ContinuousClock {
  /// Creates a runner that measures real time with the system's continuous clock.
  public init(classifier: any FailureClassifying, seed: UInt64 = 2_026) {
    self.init(classifier: classifier, seed: seed, realClock: ContinuousClock())
  }
}
