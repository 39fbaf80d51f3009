import Foundation

/// Counts heap allocations per operation by running one benchmark under
/// `valgrind --tool=memcheck` at two iteration counts and dividing the difference in its
/// "total heap usage" line by the difference in operations.
///
/// Everything that does not scale with the iteration count (runtime start-up, the fixture,
/// lazy globals, the per-pass clock reads) is the same in both runs and cancels, so a
/// zero-allocation operation reports exactly 0. glibc has no cumulative allocation counter
/// (`mallinfo2` only reports bytes in use, which misses memory allocated and freed within an
/// operation), and interposing `malloc` would need C code, so valgrind does the counting.
struct AllocationProbe: Sendable {
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

  /// Heap bytes and allocations per operation of the benchmark named `name`.
  func perOperation(_ name: String) throws(Failure) -> (bytes: Double, allocations: Double) {
    let small = try heapTotals(name, iterations: iterations)
    let large = try heapTotals(name, iterations: iterations * 2)
    let operations = Double(iterations * Self.passesPerRun)
    return (
      Double(large.bytes - small.bytes) / operations,
      Double(large.allocations - small.allocations) / operations
    )
  }

  private func heapTotals(_ name: String, iterations: Int) throws(Failure) -> HeapTotals {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "valgrind", "--tool=memcheck", "--leak-check=no", executable, "--exact", name,
      "--iterations", String(iterations), "--repetitions", "1", "--quiet",
    ]
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
    guard process.terminationStatus == 0, let totals = Self.parseHeapTotals(text) else {
      throw Failure(
        description: "valgrind run of '\(name)' failed (status \(process.terminationStatus)); "
          + "is valgrind installed? Its output ended with:\n" + String(text.suffix(600)))
    }
    return totals
  }

  /// Parses valgrind's `total heap usage: 1,234 allocs, 1,200 frees, 56,789 bytes allocated`.
  static func parseHeapTotals(_ text: String) -> HeapTotals? {
    guard let line = text.split(separator: "\n").last(where: { $0.contains("total heap usage:") })
    else { return nil }
    let numbers = line.split(separator: ":", maxSplits: 1).last.map { tail in
      tail.split(separator: " ").compactMap { Int($0.filter { $0 != "," }) }
    }
    guard let numbers, numbers.count == 3 else { return nil }
    return HeapTotals(allocations: numbers[0], bytes: numbers[2])
  }
}
