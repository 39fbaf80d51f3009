/// What one benchmark measured. Fields that do not apply stay `nil` and are left out of JSON.
struct BenchmarkResult: Sendable, Equatable {
  /// The benchmark's name.
  var name: String
  /// Median nanoseconds per operation over the timed repetitions.
  var nsPerOp: Double?
  /// Heap bytes allocated per operation (from `--allocations`).
  var bytesPerOp: Double?
  /// Heap allocations per operation (from `--allocations`).
  var allocationsPerOp: Double?
  /// Executed instructions per operation (from `--instructions`).
  var instructionsPerOp: Double?
  /// A size in bytes, for size benchmarks such as `memory.perBreaker`.
  var bytes: Int?
  /// Operations per timed pass (shown in the table, not in JSON).
  var iterations: Int?
  /// Timed passes (shown in the table, not in JSON).
  var repetitions: Int?
}
