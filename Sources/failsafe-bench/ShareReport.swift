import Foundation

/// Figures derived from two rows of one run that are not targets: what FailSafe adds to a real
/// loopback request, as a share of it.
enum ShareReport {
  /// FailSafe's share of `executor.urlSession`, three ways:
  ///
  /// - `executor.successPath / executor.urlSession`: FailSafe's own success path (measured
  ///   without the network, so it is steady) over the whole request;
  /// - `(executor.urlSession - baseline.urlSession) / executor.urlSession`: the difference of two
  ///   network-bound rows, which the network's noise can swamp (it may even come out negative);
  /// - the same difference in instructions (`--instructions`), which load does not move.
  ///
  /// Empty unless both sides of a figure were measured.
  static func report(_ results: [BenchmarkResult]) -> String {
    let byName = Dictionary(results.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    guard let request = byName["executor.urlSession"]?.nsPerOp, request > 0 else { return "" }
    var lines: [String] = []
    if let own = byName["executor.successPath"]?.nsPerOp {
      lines.append(
        String(
          format: "  executor.successPath / executor.urlSession: %.2f ns of %.0f ns (%.3f%%)",
          own, request, 100 * own / request))
    }
    if let bare = byName["baseline.urlSession"]?.nsPerOp {
      lines.append(
        String(
          format: "  executor.urlSession - baseline.urlSession: %.0f ns of %.0f ns (%.2f%%)",
          request - bare, request, 100 * (request - bare) / request))
    }
    if let instructions = byName["executor.urlSession"]?.instructionsPerOp, instructions > 0,
      let bare = byName["baseline.urlSession"]?.instructionsPerOp
    {
      lines.append(
        String(
          format:
            "  instructions, executor.urlSession - baseline.urlSession: %.0f of %.0f (%.2f%%)",
          instructions - bare, instructions, 100 * (instructions - bare) / instructions))
    }
    return lines.isEmpty
      ? "" : "\nFailSafe's share of a loopback request:\n" + lines.joined(separator: "\n") + "\n"
  }
}
