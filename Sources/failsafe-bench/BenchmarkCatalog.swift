/// Every benchmark, in the order they run and are reported: baselines first, so the figures
/// that follow can be read against them.
enum BenchmarkCatalog {
  /// All benchmarks.
  static let all: [Benchmark] =
    BaselineBenchmarks.all + ClockBenchmarks.all + GuardBenchmarks.all + RegistryBenchmarks.all
    + ClassifyBenchmarks.all + ExecutorBenchmarks.all + URLSessionBenchmarks.all
}
