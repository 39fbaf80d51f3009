/// Draws a scenario's two runs as one SVG timeline: upstream requests over virtual time (failed
/// ones in red above the axis, successful ones in green below it) and each credential's state,
/// the naive run above FailSafe's.
///
/// Both panels share the time axis and both request scales, so the storm and its absence
/// compare at a glance; any time slice with at least one request gets a visible bar. The output is a
/// standalone SVG 1.1 document (valid XML, no scripts, no external resources).
package struct TimelineSVG: Sendable {
  /// The drawing's width in pixels.
  package var width = 960
  /// How many time buckets the requests are counted in.
  package var buckets = 240

  /// Creates a renderer with the default size.
  package init() {}

  /// The SVG document for `outcome`, titled with `scenario`'s name and summary.
  package func render(_ outcome: ScenarioOutcome, scenario: SimulationScenario) -> String {
    let runs = [("naive worker", outcome.naive), ("FailSafe", outcome.failSafe)]
    let credentials = scenario.credentials
    let stateRow = 14
    let chartHeight = 150
    let panelHeight = 30 + chartHeight + 8 + stateRow * max(credentials.count, 1) + 34
    let top = 62
    let height = top + panelHeight * runs.count + 40
    let left = 104
    let plotWidth = width - left - 30
    let duration = max(scenario.duration.simulationSeconds, 1)
    let counts = runs.map { bucketCounts($0.1) }
    // Failed requests rise above the axis, successful ones hang below it, each on its own
    // scale shared by both runs: a backlog draining after recovery cannot flatten the storm.
    let failedHeight = 110.0
    let succeededHeight = Double(chartHeight) - failedHeight
    let peakFailed = max(counts.flatMap { $0.map(\.failed) }.max() ?? 0, 1)
    let peakSucceeded = max(counts.flatMap { $0.map(\.succeeded) }.max() ?? 0, 1)

    var svg = SVGWriter()
    svg.open(width: width, height: height)
    svg.rect(x: 0, y: 0, width: Double(width), height: Double(height), fill: "#ffffff")
    svg.text(
      x: Double(left), y: 26, "\(outcome.scenario): naive worker vs FailSafe", size: 18,
      weight: "bold")
    svg.text(x: Double(left), y: 46, scenario.summary, size: 12, fill: "#444444")

    for (panel, (title, run)) in runs.enumerated() {
      let panelTop = Double(top + panel * panelHeight)
      let chartTop = panelTop + 30
      let chartBottom = chartTop + Double(chartHeight)
      let report = run.report
      svg.text(
        x: Double(left), y: panelTop + 16,
        "\(title): \(counted(report.upstreamRequests, "upstream request")), "
          + "\(report.failedUpstreamRequests.groupedDigits) failed, "
          + "\(report.requestsAfterDead.groupedDigits) sent to a key known dead",
        size: 13, weight: "bold")
      // Where the whole upstream was in trouble, shaded (one credential's trouble shows in its
      // state strip instead).
      for rule in scenario.script.rules where rule.credential == nil {
        let from = x(rule.window.lowerBound, duration, left, plotWidth)
        let to = x(min(rule.window.upperBound, scenario.duration), duration, left, plotWidth)
        svg.rect(
          x: from, y: chartTop, width: max(to - from, 0), height: Double(chartHeight),
          fill: "#f3f0ea")
      }
      let axisY = chartTop + failedHeight
      svg.line(x1: Double(left), y1: chartTop, x2: Double(left), y2: chartBottom)
      svg.text(
        x: Double(left - 6), y: chartTop + 8, peakFailed.groupedDigits, size: 10, anchor: "end")
      svg.text(x: Double(left - 6), y: axisY + 4, "0", size: 10, anchor: "end")
      svg.text(
        x: Double(left - 6), y: chartBottom, peakSucceeded.groupedDigits, size: 10, anchor: "end")
      svg.text(
        x: 16, y: chartTop + failedHeight / 2, "failed", size: 10, fill: "#d64545",
        anchor: "middle", rotate: -90)
      svg.text(
        x: 16, y: axisY + succeededHeight / 2, "ok", size: 10, fill: "#3a9d5d",
        anchor: "middle", rotate: -90)
      let barWidth = Double(plotWidth) / Double(buckets)
      for (index, bucket) in counts[panel].enumerated() {
        let barX = Double(left) + Double(index) * barWidth
        if bucket.failed > 0 {
          // At least 2 px, so a single request still shows.
          let height = max(failedHeight * Double(bucket.failed) / Double(peakFailed), 2)
          svg.rect(
            x: barX, y: axisY - height, width: max(barWidth - 0.5, 1), height: height,
            fill: "#d64545")
        }
        if bucket.succeeded > 0 {
          let height = max(succeededHeight * Double(bucket.succeeded) / Double(peakSucceeded), 2)
          svg.rect(
            x: barX, y: axisY, width: max(barWidth - 0.5, 1), height: height, fill: "#3a9d5d")
        }
      }
      svg.line(x1: Double(left), y1: axisY, x2: Double(left + plotWidth), y2: axisY)
      if let recovery = scenario.script.recovery {
        let recoveryX = x(recovery, duration, left, plotWidth)
        svg.line(
          x1: recoveryX, y1: chartTop, x2: recoveryX, y2: chartBottom, stroke: "#1f5fbf",
          dashed: true)
        let wait =
          report.recoverySeconds.map { "first success \(seconds($0)) later" } ?? "no success after"
        let onTheRight = recoveryX > Double(left) + Double(plotWidth) * 0.6
        let label = "upstream recovers; \(wait)"
        let labelWidth = Double(label.count) * 5.4 + 6
        let labelY = chartBottom - 6
        svg.rect(
          x: onTheRight ? recoveryX - 2 - labelWidth : recoveryX + 2, y: labelY - 10,
          width: labelWidth, height: 13, fill: "#ffffff", opacity: 0.85)
        svg.text(
          x: onTheRight ? recoveryX - 5 : recoveryX + 5, y: labelY, label, size: 10,
          fill: "#1f5fbf", anchor: onTheRight ? "end" : nil)
      }
      // One row per credential, coloured by its state over time.
      var rowTop = chartBottom + 8
      for credential in credentials.isEmpty ? ["credential"] : credentials {
        svg.text(x: Double(left - 6), y: rowTop + 10, credential, size: 10, anchor: "end")
        for span in stateSpans(run, credential: credential) {
          let from = x(span.from, duration, left, plotWidth)
          let to = x(span.to, duration, left, plotWidth)
          svg.rect(
            x: from, y: rowTop, width: max(to - from, 1), height: Double(stateRow - 3),
            fill: Self.colour(of: span.state))
        }
        rowTop += Double(stateRow)
      }
      // Time axis.
      for (offset, label) in ticks(scenario.duration) {
        let tickX = x(offset, duration, left, plotWidth)
        svg.line(x1: tickX, y1: chartBottom, x2: tickX, y2: chartBottom + 4, stroke: "#999999")
        svg.text(x: tickX, y: rowTop + 12, label, size: 10, anchor: "middle")
      }
    }
    // Legend.
    let legendY = Double(height - 16)
    var legendX = Double(left)
    let legend: [(String, String)] = [
      ("#d64545", "failed"), ("#3a9d5d", "succeeded"), ("#f3f0ea", "upstream down"),
      (Self.colour(of: "closed"), "closed / in use"), (Self.colour(of: "open"), "open / cooling"),
      (Self.colour(of: "halfOpen"), "half-open"), (Self.colour(of: "dead"), "dead"),
      (Self.colour(of: "paused"), "paused / suspended"),
    ]
    svg.text(x: 14, y: legendY, "requests:", size: 10, fill: "#444444")
    for (index, (colour, label)) in legend.enumerated() {
      if index == 3 {
        svg.text(x: legendX + 6, y: legendY, "credential:", size: 10, fill: "#444444")
        legendX += 66
      }
      svg.rect(x: legendX, y: legendY - 9, width: 10, height: 10, fill: colour, stroke: "#999999")
      svg.text(x: legendX + 14, y: legendY, label, size: 10)
      legendX += 14 + Double(label.count) * 5.6 + 12
    }
    svg.close()
    return svg.output
  }

  /// The fill colour for a credential state's name.
  package static func colour(of state: String) -> String {
    switch state {
    case "closed": "#b7dfc3"
    case "open": "#f2b45c"
    case "halfOpen": "#f7e27a"
    case "dead": "#7a1f1f"
    case "paused", "suspended": "#9b8ac4"
    default: "#dddddd"
    }
  }

  private struct Bucket {
    var failed = 0
    var succeeded = 0
  }

  private func bucketCounts(_ run: SimulationRun) -> [Bucket] {
    var counts = Array(repeating: Bucket(), count: buckets)
    let duration = max(run.duration.simulationSeconds, 1)
    for request in run.requests {
      let position = request.sentAt.simulationSeconds / duration * Double(buckets)
      let index = min(max(Int(position), 0), buckets - 1)
      if request.response.isSuccess {
        counts[index].succeeded += 1
      } else {
        counts[index].failed += 1
      }
    }
    return counts
  }

  private struct Span {
    var from: Duration
    var to: Duration
    var state: String
  }

  private func stateSpans(_ run: SimulationRun, credential: String) -> [Span] {
    let changes = run.states.filter { $0.credential == credential }
    var spans: [Span] = []
    for (index, change) in changes.enumerated() {
      let end = index + 1 < changes.count ? changes[index + 1].at : run.duration
      spans.append(Span(from: change.at, to: min(end, run.duration), state: change.state))
    }
    return spans
  }

  private func x(_ time: Duration, _ duration: Double, _ left: Int, _ plotWidth: Int) -> Double {
    Double(left) + min(max(time.simulationSeconds / duration, 0), 1) * Double(plotWidth)
  }

  private func ticks(_ duration: Duration) -> [(Duration, String)] {
    let hours = duration.simulationSeconds / 3_600
    if hours > 48 {
      return (0...Int(hours / 24)).map { (Duration.seconds($0 * 86_400), "day \($0)") }
    }
    let step = hours > 12 ? 2 : 1
    return stride(from: 0, through: Int(hours), by: step).map {
      (Duration.seconds($0 * 3_600), "\($0) h")
    }
  }

  private func counted(_ value: Int, _ noun: String) -> String {
    "\(value.groupedDigits) \(noun)\(value == 1 ? "" : "s")"
  }

  private func seconds(_ value: Double) -> String {
    if value < 120 { return "\(Int(value.rounded())) s" }
    return "\(Int((value / 60).rounded())) min"
  }
}

/// Builds an SVG document as text, escaping everything that goes into it.
struct SVGWriter {
  private(set) var output = ""

  mutating func open(width: Int, height: Int) {
    output += """
      <?xml version="1.0" encoding="UTF-8"?>
      <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(width)" height="\(height)" \
      viewBox="0 0 \(width) \(height)" font-family="Helvetica, Arial, sans-serif">

      """
  }

  mutating func close() { output += "</svg>\n" }

  mutating func rect(
    x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil,
    opacity: Double? = nil
  ) {
    var element =
      "<rect x=\"\(number(x))\" y=\"\(number(y))\" width=\"\(number(width))\" "
      + "height=\"\(number(height))\" fill=\"\(escaped(fill))\""
    if let stroke { element += " stroke=\"\(escaped(stroke))\" stroke-width=\"0.5\"" }
    if let opacity { element += " fill-opacity=\"\(number(opacity))\"" }
    output += element + "/>\n"
  }

  mutating func line(
    x1: Double, y1: Double, x2: Double, y2: Double, stroke: String = "#555555",
    dashed: Bool = false
  ) {
    output +=
      "<line x1=\"\(number(x1))\" y1=\"\(number(y1))\" x2=\"\(number(x2))\" y2=\"\(number(y2))\" "
      + "stroke=\"\(escaped(stroke))\" stroke-width=\"1\"\(dashed ? " stroke-dasharray=\"4 3\"" : "")/>\n"
  }

  mutating func text(
    x: Double, y: Double, _ content: String, size: Int, fill: String = "#111111",
    weight: String? = nil, anchor: String? = nil, rotate: Int? = nil
  ) {
    var element =
      "<text x=\"\(number(x))\" y=\"\(number(y))\" font-size=\"\(size)\" fill=\"\(escaped(fill))\""
    if let weight { element += " font-weight=\"\(escaped(weight))\"" }
    if let anchor { element += " text-anchor=\"\(escaped(anchor))\"" }
    if let rotate { element += " transform=\"rotate(\(rotate) \(number(x)) \(number(y)))\"" }
    output += element + ">\(escaped(content))</text>\n"
  }

  private func number(_ value: Double) -> String {
    guard value.isFinite, abs(value) < 1e12 else { return "0" }
    let rounded = (value * 10).rounded() / 10
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
  }

  private func escaped(_ text: String) -> String {
    var result = ""
    for character in text {
      switch character {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&apos;"
      default: result.append(character)
      }
    }
    return result
  }
}
