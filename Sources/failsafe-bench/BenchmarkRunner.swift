/// Runs one benchmark: builds its fixture, calibrates the iteration count, runs one untimed
/// warm-up pass, then `repetitions` timed passes, and reports the median time per operation.
///
/// Timing uses `ContinuousClock` around a whole pass of `n` operations, so the clock's own cost
/// (about 80 ns here) is divided by `n` and vanishes once a pass lasts milliseconds.
struct BenchmarkRunner: Sendable {
  /// A fixed iteration count per pass, or `nil` to calibrate each benchmark.
  var iterations: Int?
  /// Timed passes after the warm-up; the median of their per-operation times is reported.
  var repetitions: Int

  /// How long a calibrated pass should take: long enough to swamp the clock reads and
  /// scheduler noise, short enough that the whole run stays within seconds.
  static let targetPass: Duration = .milliseconds(20)
  /// Calibration stops doubling once a pass takes at least this long, then scales linearly.
  static let calibrationFloor: Duration = .milliseconds(2)

  /// Measures `benchmark`.
  func run(_ benchmark: Benchmark) async -> BenchmarkResult {
    switch benchmark.measurement {
    case .timePerOperation(let prepare):
      let workload = await prepare()
      let n: Int
      if let iterations {
        n = iterations
      } else {
        n = await calibratedIterations(workload)
      }
      _ = await timePass(workload, n)  // Warm-up: caches, branch predictors, lazy globals.
      var samples: [Double] = []
      samples.reserveCapacity(repetitions)
      for _ in 0..<repetitions {
        samples.append(await timePass(workload, n).nanoseconds / Double(n))
      }
      return BenchmarkResult(
        name: benchmark.name, nsPerOp: samples.median, iterations: n, repetitions: repetitions)
    case .size(let measure):
      return BenchmarkResult(name: benchmark.name, bytes: await measure())
    }
  }

  private func timePass(_ workload: Benchmark.Workload, _ n: Int) async -> Duration {
    let clock = ContinuousClock()
    let start = clock.now
    await workload(n)
    return clock.now - start
  }

  /// Grows `n` until one pass takes `calibrationFloor`, then scales it to `targetPass`.
  ///
  /// Each candidate is timed twice and the faster pass counts, so one slow pass (a page fault,
  /// thread-pool start-up, another process taking the core) cannot shrink `n` to a handful.
  private func calibratedIterations(_ workload: Benchmark.Workload) async -> Int {
    let maximum = BenchmarkOptions.maximumIterations
    var n = 1
    while true {
      let first = await timePass(workload, n).nanoseconds
      let elapsed = min(first, await timePass(workload, n).nanoseconds)
      if elapsed >= Self.calibrationFloor.nanoseconds || n >= maximum {
        let scaled = Double(n) * Self.targetPass.nanoseconds / max(elapsed, 1)
        return Int(min(max(scaled, 1), Double(maximum)))
      }
      // Jump fast while the pass is far too short, but never more than 100x at once.
      let growth = min(max(Self.calibrationFloor.nanoseconds / max(elapsed, 1), 2), 100)
      n = Int(min(Double(n) * growth, Double(maximum)))
    }
  }
}

extension Duration {
  /// The duration in nanoseconds, as a `Double`.
  var nanoseconds: Double {
    let (seconds, attoseconds) = components
    return Double(seconds) * 1e9 + Double(attoseconds) / 1e9
  }
}

extension Array where Element == Double {
  /// The median (the mean of the middle two for an even count); `nan` when empty.
  var median: Double {
    guard !isEmpty else { return .nan }
    let sorted = self.sorted()
    let middle = sorted.count / 2
    return sorted.count.isMultiple(of: 2)
      ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
  }
}
