import Foundation

/// The performance targets of issue 8, checked against one run's results.
///
/// The verdicts are printed for people; they never change the exit status, because a shared,
/// noisy machine must not turn a benchmark run into a flaky gate.
enum TargetCheck {
  /// One target: a description and how to evaluate it from the results by name.
  struct Target: Sendable {
    /// What the target demands, such as `classify.1KB < 2000 ns`.
    let description: String
    /// The measured side and whether it holds; `nil` when an input was not measured.
    let evaluate: @Sendable ([String: BenchmarkResult]) -> (measured: String, met: Bool)?
  }

  /// Every target.
  static let targets: [Target] = [
    Target(description: "guard.closedSuccess - baseline.bareCall <= baseline.pthreadMutexPair") {
      guard let guarded = $0["guard.closedSuccess"]?.nsPerOp,
        let bare = $0["baseline.bareCall"]?.nsPerOp,
        let mutex = $0["baseline.pthreadMutexPair"]?.nsPerOp
      else { return nil }
      let cost = guarded - bare
      return (String(format: "%.2f ns <= %.2f ns", cost, mutex), cost <= mutex)
    },
    allocationFree("guard.closedSuccess"),
    below("guard.openRejection", nanoseconds: 50),
    allocationFree("guard.openRejection"),
    below("classify.1KB", nanoseconds: 2_000),
    below("classify.10MB", nanoseconds: 200_000),
    below("registry.lookup", nanoseconds: 50),
    below("executor.successPath", nanoseconds: 100),
    allocationFree("executor.successPath"),
    fewerInstructions("executor.successPath", than: 1_000),
    Target(description: "executor.successPathPool3 <= 1.5 x executor.successPath") {
      guard let three = $0["executor.successPathPool3"]?.nsPerOp,
        let one = $0["executor.successPath"]?.nsPerOp
      else { return nil }
      return (String(format: "%.2f ns <= %.2f ns", three, 1.5 * one), three <= 1.5 * one)
    },
    fewerInstructions("breaker.run", than: 300),
    Target(description: "memory.perBreaker < 256 bytes") {
      guard let bytes = $0["memory.perBreaker"]?.bytes else { return nil }
      return ("\(bytes) bytes", bytes < 256)
    },
  ]

  private static func below(_ name: String, nanoseconds limit: Double) -> Target {
    Target(description: "\(name) < \(Int(limit)) ns") {
      guard let value = $0[name]?.nsPerOp else { return nil }
      return (String(format: "%.2f ns", value), value < limit)
    }
  }

  private static func fewerInstructions(_ name: String, than limit: Double) -> Target {
    Target(description: "\(name) < \(Int(limit)) instructions (--instructions)") {
      guard let value = $0[name]?.instructionsPerOp else { return nil }
      return (String(format: "%.0f instructions", value), value < limit)
    }
  }

  private static func allocationFree(_ name: String) -> Target {
    Target(description: "\(name) allocates nothing (--allocations)") {
      guard let allocations = $0[name]?.allocationsPerOp else { return nil }
      return (String(format: "%.3f allocs/op", allocations), allocations == 0)
    }
  }

  /// The verdict on every target whose inputs were measured, as text; empty if none were.
  static func report(_ results: [BenchmarkResult]) -> String {
    let byName = Dictionary(results.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    let lines = targets.compactMap { target -> String? in
      guard let (measured, met) = target.evaluate(byName) else { return nil }
      return "  \(met ? "met   " : "MISSED")  \(target.description): \(measured)"
    }
    return lines.isEmpty ? "" : "\ntargets:\n" + lines.joined(separator: "\n") + "\n"
  }
}
