/// One named measurement the benchmark executable can run.
struct Benchmark: Sendable {
  /// How a benchmark is measured.
  enum Measurement: Sendable {
    /// Time per operation. `prepare` builds the fixture once, outside the timing, and returns
    /// the loop: called with `n`, it must perform the operation exactly `n` times.
    case timePerOperation(prepare: @Sendable () async -> Workload)
    /// A size in bytes, measured once (no timing, no repetitions).
    case size(measure: @Sendable () async -> Int?)
  }

  /// Performs the measured operation `n` times.
  typealias Workload = @Sendable (_ n: Int) async -> Void

  /// The stable name, such as `guard.closedSuccess`; `--filter` matches against it.
  let name: String
  /// One line saying what is measured, for `--list`.
  let summary: String
  /// How the benchmark is measured.
  let measurement: Measurement
}
