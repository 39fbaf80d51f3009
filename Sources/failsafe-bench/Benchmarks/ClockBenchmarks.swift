import FailSafe

/// What one clock read costs: every slow-path breaker decision pays one.
enum ClockBenchmarks {
  /// The clock benchmarks.
  static let all: [Benchmark] = [continuousNow, coarseNow]

  /// `ContinuousClock().now`: the precise clock (`CLOCK_BOOTTIME` on Linux); breakers and
  /// registries default to `CoarseMonotonicClock`.
  static let continuousNow = Benchmark(
    name: "clock.continuousNow",
    summary: "one ContinuousClock.now read",
    measurement: .timePerOperation {
      let clock = ContinuousClock()
      return { n in
        for _ in 0..<n { blackHole(clock.now) }
      }
    })

  /// `CoarseMonotonicClock().now`: the kernel's tick-resolution clock.
  static let coarseNow = Benchmark(
    name: "clock.coarseNow",
    summary: "one CoarseMonotonicClock.now read (CLOCK_MONOTONIC_COARSE)",
    measurement: .timePerOperation {
      let clock = CoarseMonotonicClock()
      return { n in
        for _ in 0..<n { blackHole(clock.now) }
      }
    })
}
