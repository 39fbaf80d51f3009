import FailSafeSimulator
import FailSafeTesting
import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

// Whole incidents replayed, side by side with the rest of the suite: 68 s seen on a loaded
// two-core machine, so 3 minutes (the limit is there to end a hang, not to time the run).
@Suite("TimelineSVG", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(3))))
struct TimelineSVGTests {
  @Test func drawsAWellFormedDocumentWithBothRunsAndEscapedText() async throws {
    let hour = Duration.seconds(3_600)
    let scenario = SimulationScenario(
      name: "svg <&> test", summary: "a \"quoted\" & <tagged> summary", duration: hour,
      shifts: SimulationScenario.alwaysOn(sessions: 2, until: hour),
      jobs: JobSchedule(arrivals: 20, over: .zero..<hour),
      script: UpstreamScript(
        rules: [
          .init(window: .zero..<(hour / 2), responses: [ProviderResponses.openAIOverloaded503])
        ],
        recovery: hour / 2),
      credentials: ["key"],
      naiveWorker: .naive(.init(credentials: ["key"])),
      failSafeWorker: .failSafe(credentials: ["key"]))
    let outcome = try await SimulationRunner(classifier: StatusClassifier()).run(scenario)
    let svg = TimelineSVG().render(outcome, scenario: scenario)
    #expect(svg.hasPrefix("<?xml"))
    #expect(svg.contains("&lt;tagged&gt;"))
    #expect(!svg.contains("<tagged>"))
    #expect(
      svg.contains("naive worker: \(outcome.naive.report.upstreamRequests) upstream requests"))
    #expect(svg.contains("FailSafe: "))
    let parser = XMLParser(data: Data(svg.utf8))
    #expect(parser.parse(), "not well-formed XML: \(String(describing: parser.parserError))")
  }
}
