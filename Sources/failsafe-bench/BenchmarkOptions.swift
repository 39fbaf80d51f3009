/// The command line of `failsafe-bench`, parsed.
struct BenchmarkOptions: Equatable, Sendable {
  /// Print `{"results": [...]}` instead of a table.
  var json = false
  /// Run only benchmarks whose name contains one of these, ignoring case (all when empty).
  var filters: [String] = []
  /// Run only the benchmark with exactly this name (used by `--allocations` for its children).
  var exactName: String?
  /// A fixed iteration count per repetition; `nil` calibrates each benchmark to `targetPass`.
  var iterations: Int?
  /// Timed repetitions after the warm-up pass; the median is reported.
  var repetitions = 9
  /// Count heap allocations per operation by running each benchmark under valgrind.
  var allocations = false
  /// Count executed instructions per operation by running each benchmark under callgrind.
  var instructions = false
  /// Run the benchmarks but print nothing, so a profiler's totals do not depend on the
  /// measured figures (formatting different numbers can allocate differently).
  var quiet = false
  /// List the benchmarks and exit.
  var list = false
  /// Print the help and exit.
  var help = false

  /// The largest accepted `--iterations`, so `n * repetitions` cannot overflow and a typo
  /// cannot start a run that lasts for days.
  static let maximumIterations = 1_000_000_000
  /// The largest accepted `--repetitions`.
  static let maximumRepetitions = 1_000

  /// Whether `benchmark` was selected by `--filter` / `--exact`.
  func selects(_ name: String) -> Bool {
    if let exactName { return name == exactName }
    return filters.isEmpty || filters.contains { name.lowercased().contains($0.lowercased()) }
  }
}

/// A command line `failsafe-bench` cannot run; the message says what is wrong.
struct BenchmarkOptionsError: Error, Equatable, CustomStringConvertible {
  /// The explanation shown to the user.
  let description: String
}

extension BenchmarkOptions {
  /// Parses `arguments` (without the program name).
  static func parse(_ arguments: [String]) throws(BenchmarkOptionsError) -> BenchmarkOptions {
    var options = BenchmarkOptions()
    var remaining = arguments[...]
    while let argument = remaining.popFirst() {
      // Accept `--flag=value` as well as `--flag value`.
      let (flag, inlineValue) = splitInlineValue(argument)
      func value() throws(BenchmarkOptionsError) -> String {
        if let inlineValue { return inlineValue }
        guard let next = remaining.popFirst() else {
          throw BenchmarkOptionsError(description: "option '\(flag)' needs a value")
        }
        return next
      }
      if inlineValue != nil, !valueFlags.contains(flag) {
        throw BenchmarkOptionsError(description: "option '\(flag)' takes no value")
      }
      switch flag {
      case "--json": options.json = true
      case "--allocations": options.allocations = true
      case "--instructions": options.instructions = true
      case "--list": options.list = true
      case "--quiet": options.quiet = true
      case "--help", "-h": options.help = true
      case "--filter":
        let filter = try value()
        guard !filter.isEmpty else {
          throw BenchmarkOptionsError(description: "option '--filter' needs a non-empty name")
        }
        options.filters.append(filter)
      case "--exact": options.exactName = try value()
      case "--iterations":
        options.iterations = try positiveInteger(
          try value(), for: flag, maximum: maximumIterations)
      case "--repetitions":
        options.repetitions = try positiveInteger(
          try value(), for: flag, maximum: maximumRepetitions)
      default:
        throw BenchmarkOptionsError(
          description: argument.hasPrefix("-")
            ? "unknown option '\(argument)'" : "unexpected argument '\(argument)'")
      }
    }
    return options
  }

  private static let valueFlags: Set = ["--filter", "--exact", "--iterations", "--repetitions"]

  private static func splitInlineValue(_ argument: String) -> (String, String?) {
    guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else {
      return (argument, nil)
    }
    return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
  }

  private static func positiveInteger(
    _ text: String, for flag: String, maximum: Int
  ) throws(BenchmarkOptionsError) -> Int {
    guard let number = Int(text), number >= 1, number <= maximum else {
      throw BenchmarkOptionsError(
        description: "option '\(flag)' needs a whole number from 1 to \(maximum), got '\(text)'")
    }
    return number
  }

  /// The text printed by `--help`.
  static let help = """
    failsafe-bench: measures FailSafe's hot paths beside baselines from the same run.

    USAGE: swift run -c release failsafe-bench [options]

    OPTIONS:
      --json              Print {"results": [{"name", "nsPerOp", "bytesPerOp", ...}]}.
      --filter NAME       Run only benchmarks whose name contains NAME, ignoring case
                          (repeatable: a benchmark matching any filter runs).
      --exact NAME        Run only the benchmark named exactly NAME.
      --iterations N      Run each repetition N times instead of calibrating (for profilers).
      --repetitions N     Timed repetitions after one warm-up pass; the median is reported
                          (default 9).
      --allocations       Also count heap allocations per operation: re-runs each benchmark
                          under 'valgrind --tool=memcheck' at two iteration counts and reports
                          the difference per operation (needs valgrind on PATH; slow).
      --instructions      Also count executed instructions per operation the same way, under
                          'valgrind --tool=callgrind': independent of the machine's load.
      --quiet             Run, but print nothing (for valgrind, callgrind, perf).
      --list              List the benchmarks and exit.
      -h, --help          Show this help.

    Each timed benchmark is calibrated so that one repetition takes about 20 ms, warmed up
    once, then repeated; nsPerOp is the median over the repetitions, measured with
    ContinuousClock. Build in release mode, or the figures mean nothing.

    """
}
