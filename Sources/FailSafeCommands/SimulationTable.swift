import FailSafeSimulator
import FailSafeTesting

/// The readable table `failsafe simulate` prints: one row per run, two rows per scenario.
struct SimulationTable {
  var outcomes: [ScenarioOutcome]
  var seed: UInt64

  private static let headers = [
    "scenario", "worker", "requests", "to token", "failed", "after dead", "jobs done",
    "jobs failed", "queued", "held peak", "lost", "recovery", "virtual", "real",
  ]

  var text: String {
    var rows: [[String]] = []
    var reasons: [String] = []
    for outcome in outcomes {
      for (index, run) in [outcome.naive, outcome.failSafe].enumerated() {
        let report = run.report
        rows.append([
          index == 0 ? outcome.scenario : "", run.worker, report.upstreamRequests.groupedDigits,
          report.tokenEndpointRequests.groupedDigits,
          report.failedUpstreamRequests.groupedDigits, report.requestsAfterDead.groupedDigits,
          report.jobsCompleted.groupedDigits, report.jobsFailed.groupedDigits,
          report.jobsQueued.groupedDigits, report.heldJobsPeak.groupedDigits,
          report.jobsLost.groupedDigits, report.recoverySeconds.map(duration) ?? "-",
          duration(report.virtualSeconds), String(format1(report.realSeconds)) + " s",
        ])
        if !report.failureReasons.isEmpty {
          let list = report.failureReasons.sorted { $0.key < $1.key }
            .map { "\($0.key) \($0.value.groupedDigits)" }.joined(separator: ", ")
          reasons.append("  \(outcome.scenario), \(run.worker): \(list)")
        }
      }
    }
    var widths = Self.headers.map(\.count)
    for row in rows {
      for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
    }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { column, cell in
        let padding = String(repeating: " ", count: widths[column] - cell.count)
        return column < 2 ? cell + padding : padding + cell
      }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
    }
    var text =
      "Each incident replayed in virtual time (seed \(seed)): the naive worker, then the same "
      + "worker on FailSafe.\n\n"
    text += line(Self.headers)
    text += line(widths.map { String(repeating: "-", count: $0) })
    for (index, row) in rows.enumerated() {
      if index > 0, index % 2 == 0 { text += "\n" }
      text += line(row)
    }
    if !reasons.isEmpty {
      text += "\nWhy jobs failed:\n" + reasons.joined(separator: "\n") + "\n"
    }
    text += """

      requests: upstream requests sent; to token: of those, refreshes sent to the OAuth token
      endpoint; failed: answered with an error; after dead: sent with a key after an answer had
      shown it dead, before it worked again; queued: jobs still waiting at the end (kept, not
      lost); held peak: the most jobs waiting at once (arrived, not yet done or failed); lost:
      jobs taken and never accounted for; recovery: from the upstream's recovery to the first
      success.

      """
    return text
  }

  private func format1(_ value: Double) -> String {
    guard value.isFinite else { return "-" }
    let tenths = (value * 10).rounded()
    guard abs(tenths) < 1e15 else { return "-" }
    let whole = Int(tenths) / 10
    let fraction = abs(Int(tenths) % 10)
    return "\(whole).\(fraction)"
  }

  private func duration(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "-" }
    if seconds < 120 { return format1(seconds) + " s" }
    if seconds < 7_200 { return format1(seconds / 60) + " min" }
    if seconds < 172_800 { return format1(seconds / 3_600) + " h" }
    return format1(seconds / 86_400) + " d"
  }
}

extension String {
  fileprivate func trimmingTrailingSpaces() -> String {
    var copy = self
    while copy.last == " " { copy.removeLast() }
    return copy
  }
}
