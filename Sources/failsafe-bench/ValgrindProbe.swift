import Foundation

/// Measures one benchmark under valgrind at two iteration counts and divides the difference by
/// the difference in operations: heap allocations and bytes (`--tool=memcheck`), or executed
/// instructions (`--tool=callgrind`).
///
/// Everything that does not scale with the iteration count (runtime start-up, the fixture,
/// lazy globals, the per-pass clock reads) is the same in both runs and cancels, so a
/// zero-allocation operation reports exactly 0. glibc has no cumulative allocation counter
/// (`mallinfo2` only reports bytes in use, which misses memory allocated and freed within an
/// operation), and interposing `malloc` would need C code, so valgrind does the counting.
/// Instruction counts do not depend on the machine's load, so they compare runs on a busy
/// machine where nanoseconds cannot.
struct ValgrindProbe: Sendable {
  /// Heap totals valgrind reports for one run.
  struct HeapTotals: Equatable, Sendable {
    /// Calls to `malloc`, `calloc`, `realloc`, `new`, ...
    var allocations: Int
    /// Bytes requested by those calls.
    var bytes: Int
  }

  /// Why a probe failed; the message says what to do.
  struct Failure: Error, CustomStringConvertible {
    /// The explanation shown to the user.
    let description: String
  }

  /// The benchmark executable to re-run (this process's own binary).
  var executable: String
  /// Operations per pass in the smaller run; the larger run does twice as many.
  var iterations: Int
  /// Passes per child run: one warm-up plus one timed repetition.
  static let passesPerRun = 2

  private var operationsDifference: Double { Double(iterations * Self.passesPerRun) }

  /// Heap bytes and allocations per operation of the benchmark named `name`.
  func heapPerOperation(_ name: String) throws(Failure) -> (bytes: Double, allocations: Double) {
    let small = try heapTotals(name, iterations: iterations)
    let large = try heapTotals(name, iterations: iterations * 2)
    return (
      Double(large.bytes - small.bytes) / operationsDifference,
      Double(large.allocations - small.allocations) / operationsDifference
    )
  }

  /// Instructions executed per operation of the benchmark named `name`.
  func instructionsPerOperation(_ name: String) throws(Failure) -> Double {
    let small = try instructions(name, iterations: iterations)
    let large = try instructions(name, iterations: iterations * 2)
    return Double(large - small) / operationsDifference
  }

  private func heapTotals(_ name: String, iterations: Int) throws(Failure) -> HeapTotals {
    let output = try run(["--tool=memcheck", "--leak-check=no"], name, iterations)
    guard let totals = Self.parseHeapTotals(output) else {
      throw Failure(description: "no heap summary in valgrind's output:\n" + output.suffix(600))
    }
    return totals
  }

  private func instructions(_ name: String, iterations: Int) throws(Failure) -> Int {
    let output = try run(
      ["--tool=callgrind", "--callgrind-out-file=/dev/null"], name, iterations)
    guard let count = Self.parseInstructionCount(output) else {
      throw Failure(
        description: "no instruction count in valgrind's output:\n" + output.suffix(600))
    }
    return count
  }

  /// Runs this binary on benchmark `name` under valgrind and returns valgrind's own output.
  private func run(
    _ tool: [String], _ name: String, _ iterations: Int
  ) throws(Failure) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments =
      ["valgrind"] + tool + [
        executable, "--exact", name, "--iterations", String(iterations), "--repetitions", "1",
        "--quiet",
      ]
    // Both runs must hash alike: with per-process random seeds, a lookup's probe sequence (and
    // so its cost) differs between the two runs and the difference stops being per operation.
    var environment = ProcessInfo.processInfo.environment
    environment["SWIFT_DETERMINISTIC_HASHING"] = "1"
    process.environment = environment
    let errors = Pipe()
    process.standardOutput = FileHandle.nullDevice
    process.standardError = errors
    do {
      try process.run()
    } catch {
      throw Failure(description: "cannot start valgrind: \(error)")
    }
    // Read before waiting so a full pipe cannot block the child.
    let output = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: output, as: UTF8.self)
    guard process.terminationStatus == 0 else {
      throw Failure(
        description: "valgrind run of '\(name)' failed (status \(process.terminationStatus)); "
          + "is valgrind installed? Its output ended with:\n" + String(text.suffix(600)))
    }
    return text
  }

  /// Parses memcheck's `total heap usage: 1,234 allocs, 1,200 frees, 56,789 bytes allocated`.
  static func parseHeapTotals(_ text: String) -> HeapTotals? {
    guard let numbers = numbers(onLastLineContaining: "total heap usage:", in: text),
      numbers.count == 3
    else { return nil }
    return HeapTotals(allocations: numbers[0], bytes: numbers[2])
  }

  /// Parses callgrind's `I   refs:      116,031,250` (or `Collected : N`).
  static func parseInstructionCount(_ text: String) -> Int? {
    if let numbers = numbers(onLastLineContaining: "I   refs:", in: text), numbers.count == 1 {
      return numbers[0]
    }
    return numbers(onLastLineContaining: "Collected :", in: text)?.first
  }

  /// The whole numbers (thousands separators allowed) after the first `:` following `marker`.
  private static func numbers(onLastLineContaining marker: String, in text: String) -> [Int]? {
    guard let line = text.split(separator: "\n").last(where: { $0.contains(marker) }),
      let markerRange = line.range(of: marker)
    else { return nil }
    return line[markerRange.upperBound...].split(separator: " ").compactMap {
      Int($0.filter { $0 != "," })
    }
  }
}
