import Foundation

/// Renders results as the `--json` document or as a human-readable table.
enum BenchmarkReport {
  /// `{"results": [{"name": ..., "nsPerOp": ..., "bytesPerOp": ...}]}`, one result per line.
  /// Fields that do not apply (or are not finite) are left out; keys keep a fixed order.
  static func json(_ results: [BenchmarkResult]) -> String {
    let lines = results.map { result in
      var fields = ["\"name\": \(jsonString(result.name))"]
      if let value = result.nsPerOp, value.isFinite {
        fields.append("\"nsPerOp\": \(jsonNumber(value))")
      }
      if let value = result.bytesPerOp, value.isFinite {
        fields.append("\"bytesPerOp\": \(jsonNumber(value))")
      }
      if let value = result.allocationsPerOp, value.isFinite {
        fields.append("\"allocationsPerOp\": \(jsonNumber(value))")
      }
      if let value = result.instructionsPerOp, value.isFinite {
        fields.append("\"instructionsPerOp\": \(jsonNumber(value))")
      }
      if let value = result.bytes { fields.append("\"bytes\": \(value)") }
      return "  {" + fields.joined(separator: ", ") + "}"
    }
    return "{\"results\": [\n" + lines.joined(separator: ",\n") + "\n]}\n"
  }

  /// Wide enough for the longest benchmark name plus one space.
  private static let nameWidth = 36

  /// The header line of the table.
  static let tableHeader =
    pad("benchmark", nameWidth) + padLeft("ns/op", 12) + padLeft("bytes/op", 11)
    + padLeft("allocs/op", 11) + padLeft("instr/op", 10) + padLeft("bytes", 9) + "  n x reps\n"

  /// One table row for `result`.
  static func tableRow(_ result: BenchmarkResult) -> String {
    var row = pad(result.name, nameWidth)
    row += padLeft(result.nsPerOp.map { String(format: "%.2f", $0) } ?? "-", 12)
    row += padLeft(result.bytesPerOp.map { String(format: "%.1f", $0) } ?? "-", 11)
    row += padLeft(result.allocationsPerOp.map { String(format: "%.2f", $0) } ?? "-", 11)
    row += padLeft(result.instructionsPerOp.map { String(format: "%.0f", $0) } ?? "-", 10)
    row += padLeft(result.bytes.map(String.init) ?? "-", 9)
    if let iterations = result.iterations, let repetitions = result.repetitions {
      row += "  \(iterations) x \(repetitions)"
    }
    return row + "\n"
  }

  private static func jsonNumber(_ value: Double) -> String {
    // Three decimals are far below the run-to-run noise; Swift prints the shortest round trip.
    let rounded = (value * 1000).rounded() / 1000
    return rounded == rounded.rounded() && abs(rounded) < 1e15
      ? String(Int64(rounded)) : "\(rounded)"
  }

  private static func jsonString(_ text: String) -> String {
    var escaped = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": escaped += "\\\""
      case "\\": escaped += "\\\\"
      case "\n": escaped += "\\n"
      case "\r": escaped += "\\r"
      case "\t": escaped += "\\t"
      case _ where scalar.value < 0x20:
        escaped +=
          "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
          + String(scalar.value, radix: 16)
      default: escaped.unicodeScalars.append(scalar)
      }
    }
    return escaped + "\""
  }

  private static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
  }

  private static func padLeft(_ text: String, _ width: Int) -> String {
    text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
  }
}
