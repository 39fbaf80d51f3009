/// The figures of one run of one worker through one scenario.
///
/// The JSON names are stable: `upstreamRequests`, `tokenEndpointRequests`, `failedUpstreamRequests`,
/// `requestsAfterDead`, `jobsSubmitted`, `jobsCompleted`, `jobsFailed`, `failureReasons`,
/// `jobsQueued`, `jobsLost`, `heldJobsPeak`, `recoverySeconds` (`null` when the upstream never recovered or no
/// request succeeded after it did), `virtualSeconds`, `realSeconds`.
public struct SimulationReport: Sendable, Hashable, Codable {
  /// Requests the upstream received.
  public var upstreamRequests: Int
  /// Of those, the ones sent to the OAuth token endpoint (``UpstreamEndpoint/token``): refreshes.
  public var tokenEndpointRequests: Int
  /// Of those, the ones answered with a failure (any non-2xx status).
  public var failedUpstreamRequests: Int
  /// Requests sent with a credential while it was known dead: after an answer that the
  /// classifier reads as `permanent` for it reached the caller, and before a request with it
  /// succeeded again (the key fixed upstream, or revived).
  public var requestsAfterDead: Int
  /// Jobs in the run.
  public var jobsSubmitted: Int
  /// Jobs that succeeded.
  public var jobsCompleted: Int
  /// Jobs that failed for good and said why.
  public var jobsFailed: Int
  /// Failed jobs by reason.
  public var failureReasons: [String: Int]
  /// Jobs still queued at the end (kept for later, not lost).
  public var jobsQueued: Int
  /// Jobs taken and never accounted for. Must be zero.
  public var jobsLost: Int
  /// The most jobs held at once: arrived, and neither completed nor failed yet (queued, or
  /// kept by a worker while no credential was usable).
  public var heldJobsPeak: Int
  /// Seconds from the upstream's recovery to the first request sent after it that succeeded.
  public var recoverySeconds: Double?
  /// Virtual time the run covered, in seconds.
  public var virtualSeconds: Double
  /// Real time the run took, in seconds.
  public var realSeconds: Double

  /// Creates a report from its figures.
  public init(
    upstreamRequests: Int, tokenEndpointRequests: Int = 0, failedUpstreamRequests: Int,
    requestsAfterDead: Int,
    jobsSubmitted: Int, jobsCompleted: Int, jobsFailed: Int, failureReasons: [String: Int],
    jobsQueued: Int, jobsLost: Int, heldJobsPeak: Int = 0, recoverySeconds: Double?,
    virtualSeconds: Double, realSeconds: Double
  ) {
    self.heldJobsPeak = heldJobsPeak
    self.upstreamRequests = upstreamRequests
    self.tokenEndpointRequests = tokenEndpointRequests
    self.failedUpstreamRequests = failedUpstreamRequests
    self.requestsAfterDead = requestsAfterDead
    self.jobsSubmitted = jobsSubmitted
    self.jobsCompleted = jobsCompleted
    self.jobsFailed = jobsFailed
    self.failureReasons = failureReasons
    self.jobsQueued = jobsQueued
    self.jobsLost = jobsLost
    self.recoverySeconds = recoverySeconds
    self.virtualSeconds = virtualSeconds
    self.realSeconds = realSeconds
  }

  private enum CodingKeys: String, CodingKey {
    case upstreamRequests, tokenEndpointRequests, failedUpstreamRequests, requestsAfterDead
    case jobsSubmitted, jobsCompleted, jobsFailed, failureReasons, jobsQueued, jobsLost
    case heldJobsPeak, recoverySeconds
    case virtualSeconds, realSeconds
  }

  /// Decodes a report; one written before `tokenEndpointRequests` or `heldJobsPeak` existed
  /// reads them as 0.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    upstreamRequests = try container.decode(Int.self, forKey: .upstreamRequests)
    tokenEndpointRequests =
      try container.decodeIfPresent(Int.self, forKey: .tokenEndpointRequests) ?? 0
    failedUpstreamRequests = try container.decode(Int.self, forKey: .failedUpstreamRequests)
    requestsAfterDead = try container.decode(Int.self, forKey: .requestsAfterDead)
    jobsSubmitted = try container.decode(Int.self, forKey: .jobsSubmitted)
    jobsCompleted = try container.decode(Int.self, forKey: .jobsCompleted)
    jobsFailed = try container.decode(Int.self, forKey: .jobsFailed)
    failureReasons = try container.decode([String: Int].self, forKey: .failureReasons)
    jobsQueued = try container.decode(Int.self, forKey: .jobsQueued)
    jobsLost = try container.decode(Int.self, forKey: .jobsLost)
    heldJobsPeak = try container.decodeIfPresent(Int.self, forKey: .heldJobsPeak) ?? 0
    recoverySeconds = try container.decodeIfPresent(Double.self, forKey: .recoverySeconds)
    virtualSeconds = try container.decode(Double.self, forKey: .virtualSeconds)
    realSeconds = try container.decode(Double.self, forKey: .realSeconds)
  }

  /// Encodes every figure, writing `recoverySeconds` as `null` when there is none so the
  /// members are the same in every object.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(upstreamRequests, forKey: .upstreamRequests)
    try container.encode(tokenEndpointRequests, forKey: .tokenEndpointRequests)
    try container.encode(failedUpstreamRequests, forKey: .failedUpstreamRequests)
    try container.encode(requestsAfterDead, forKey: .requestsAfterDead)
    try container.encode(jobsSubmitted, forKey: .jobsSubmitted)
    try container.encode(jobsCompleted, forKey: .jobsCompleted)
    try container.encode(jobsFailed, forKey: .jobsFailed)
    try container.encode(failureReasons, forKey: .failureReasons)
    try container.encode(jobsQueued, forKey: .jobsQueued)
    try container.encode(jobsLost, forKey: .jobsLost)
    try container.encode(heldJobsPeak, forKey: .heldJobsPeak)
    try container.encode(recoverySeconds, forKey: .recoverySeconds)
    try container.encode(virtualSeconds, forKey: .virtualSeconds)
    try container.encode(realSeconds, forKey: .realSeconds)
  }
}

/// One run in full: its figures, and the requests and credential states behind the drawings.
public struct SimulationRun: Sendable {
  /// The worker's name, such as `naive` or `failsafe`.
  public var worker: String
  /// The figures.
  public var report: SimulationReport
  /// Every upstream request, in the order sent.
  package var requests: [ScriptedUpstream.Request]
  /// Every credential state change.
  package var states: [CredentialTimeline.Change]
  /// The virtual time covered.
  public var duration: Duration
}

/// A scenario's two runs side by side.
public struct ScenarioOutcome: Sendable {
  /// The scenario's name.
  public var scenario: String
  /// The incident's worker.
  public var naive: SimulationRun
  /// The same worker on FailSafe.
  public var failSafe: SimulationRun
}

/// The JSON form of a ``ScenarioOutcome``: `{"scenario": ..., "naive": {...}, "failsafe": {...}}`.
package struct ScenarioOutcomeSummary: Sendable, Hashable, Codable {
  /// The scenario's name.
  package var scenario: String
  /// The incident worker's figures.
  package var naive: SimulationReport
  /// FailSafe's figures.
  package var failsafe: SimulationReport

  /// The figures of `outcome`.
  package init(_ outcome: ScenarioOutcome) {
    scenario = outcome.scenario
    naive = outcome.naive.report
    failsafe = outcome.failSafe.report
  }
}
