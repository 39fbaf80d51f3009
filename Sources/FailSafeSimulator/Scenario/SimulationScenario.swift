/// One incident to replay: its upstream, its sessions and jobs, and the two workers to compare.
public struct SimulationScenario: Sendable {
  /// The name that selects it, such as `dead-key`.
  public var name: String
  /// One line saying what happens.
  public var summary: String
  /// How much virtual time the run covers.
  public var duration: Duration
  /// For each session, the shifts it works (offsets from the start of the run); the count of
  /// arrays is the count of sessions.
  public var shifts: [[Range<Duration>]]
  /// When jobs arrive.
  public var jobs: JobSchedule
  /// What the upstream answers.
  public var script: UpstreamScript
  /// The credentials the workers hold, in the order they use them.
  public var credentials: [String]
  /// Values an operator puts in the key source during the run.
  public var keyChanges: [SimulationKeyChange]
  /// The incident's worker, built afresh for each run.
  public var naiveWorker: ScenarioWorker
  /// The same worker on FailSafe, built afresh for each run.
  public var failSafeWorker: ScenarioWorker

  /// Creates a scenario.
  public init(
    name: String, summary: String, duration: Duration, shifts: [[Range<Duration>]],
    jobs: JobSchedule, script: UpstreamScript, credentials: [String],
    keyChanges: [SimulationKeyChange] = [],
    naiveWorker: ScenarioWorker, failSafeWorker: ScenarioWorker
  ) {
    self.keyChanges = keyChanges
    self.name = name
    self.summary = summary
    self.duration = duration
    self.shifts = shifts
    self.jobs = jobs
    self.script = script
    self.credentials = credentials
    self.naiveWorker = naiveWorker
    self.failSafeWorker = failSafeWorker
  }

  /// `sessions` sessions that all work from the start to `end`.
  public static func alwaysOn(sessions: Int, until end: Duration) -> [[Range<Duration>]] {
    Array(repeating: [Duration.zero..<end], count: max(sessions, 0))
  }
}
