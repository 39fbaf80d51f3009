import FailSafe
import Foundation

/// The table `failsafe state show` prints: one row per credential, held ones first.
struct StateTable {
  let document: PersistedStateDocument
  let now: Date

  /// Text safe for a terminal: control characters become spaces, and long text is cut.
  static func display(_ text: String, limit: Int = 64) -> String {
    var result = ""
    for (index, character) in text.enumerated() {
      if index == limit {
        result += "…"
        break
      }
      let isControl = character.unicodeScalars.contains {
        $0.value < 0x20 || (0x7F..<0xA0).contains($0.value)
      }
      result.append(isControl ? " " : character)
    }
    return result
  }

  /// `3d 4h`, `12m 5s`, `42s`: the two largest units of a positive interval.
  static func interval(_ seconds: Double) -> String {
    let total = Int(min(max(seconds.rounded(.up), 0), 1e12))
    let units = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
    var parts: [String] = []
    var rest = total
    for (suffix, size) in units where rest >= size || (parts.isEmpty && size == 1) {
      parts.append("\(rest / size)\(suffix)")
      rest %= size
      if parts.count == 2 { break }
    }
    return parts.joined(separator: " ")
  }

  var text: String {
    let entries = document.credentials.sorted { lhs, rhs in
      if lhs.value.status.severity != rhs.value.status.severity {
        return lhs.value.status.severity > rhs.value.status.severity
      }
      return lhs.key < rhs.key
    }
    var counts: [BreakerState: Int] = [:]
    for (_, entry) in entries { counts[entry.status, default: 0] += 1 }
    let summary = BreakerState.allCases.sorted { $0.severity > $1.severity }.compactMap { status in
      counts[status].map { "\($0) \(status)" }
    }
    var text =
      "\(entries.count) credential\(entries.count == 1 ? "" : "s")"
      + (summary.isEmpty ? "" : ": " + summary.joined(separator: ", ")) + "\n"
    guard !entries.isEmpty else { return text }
    let header = ["CREDENTIAL", "STATE", "STREAK", "REOPENS", "REASON", "FIRST ERROR"]
    let rows = entries.map { id, entry in
      [
        Self.display(id), entry.status.rawValue, "\(entry.streak)",
        reopens(entry), entry.reason.map { Self.display($0.rawValue) } ?? "-", firstError(entry),
      ]
    }
    var widths = header.map(\.count)
    for row in rows {
      for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
    }
    for row in [header] + rows {
      let cells = row.enumerated().map { column, cell in
        column == row.count - 1
          ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
      }
      text += cells.joined(separator: "  ") + "\n"
    }
    return text
  }

  private func reopens(_ entry: PersistedCredentialState) -> String {
    guard entry.status.hasCooldown else {
      return entry.status.isHeld ? "never (held)" : "-"
    }
    guard let reopenAt = entry.reopenAt else { return "unknown (max cooldown)" }
    let remaining = reopenAt.timeIntervalSince(now)
    return remaining <= 0 ? "due now" : "in \(Self.interval(remaining))"
  }

  private func firstError(_ entry: PersistedCredentialState) -> String {
    guard let failure = entry.firstError else { return "-" }
    var text = failure.disposition.map { "\($0)/\(failure.reason)" } ?? "\(failure.reason)"
    if !failure.evidence.isEmpty { text += ": " + Self.display(failure.evidence, limit: 80) }
    if failure.repeats > 0 { text += " (+\(failure.repeats) more)" }
    return text
  }
}
