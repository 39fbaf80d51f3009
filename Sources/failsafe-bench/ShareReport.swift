import Foundation

/// Figures derived from two rows of one run that are not targets: what FailSafe adds to a real
/// loopback request, as a share of it.
enum ShareReport {
  /// FailSafe's share of `executor.urlSession`, two ways:
  ///
  /// - `executor.successPath / executor.urlSession`: FailSafe's own success path (measured
  ///   without the network, so it is steady) over the whole request;
  /// - `(executor.urlSession - baseline.urlSession) / executor.urlSession`: the difference of two
  ///   network-bound rows, which the network's noise can swamp (it may even come out negative).
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
    return lines.isEmpty
      ? "" : "\nFailSafe's share of a loopback request:\n" + lines.joined(separator: "\n") + "\n"
  }
}
