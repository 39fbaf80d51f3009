import FailSafe
import FailSafeCommands
import FailSafeTesting
import Foundation
import Testing

/// `failsafe classify` must answer exactly as the library does, case by case, on the
/// repository's own corpus file (read in place by the command, as a user would run it).
@Suite(
  "failsafe classify on the corpus", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct ClassifyCommandCorpusTests {
  @Test(arguments: [TestFixtures.moreCorpus, TestFixtures.corpus])
  func theCommandAnswersAsTheLibrary(fixture: String) async throws {
    let cases = try CorpusCase.load(fixture).get()
    let capture = CapturedCommandIO(inputLines: [])
    let status = await FailSafeCommandLine.run(
      ["classify", try TestFixtures.path(fixture)], io: capture.io)
    #expect(status == ExitStatus.success, "\(capture.error)")
    let lines = capture.output.split(separator: "\n")
    try #require(lines.count == cases.count)
    let classifier = ProviderErrorClassifier()
    for (corpusCase, line) in zip(cases, lines) {
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let library = classifier.classify(corpusCase.response)
      #expect(object["id"] as? String == corpusCase.id)
      #expect(
        object["disposition"] as? String == library.disposition.rawValue, "\(corpusCase.id)")
      #expect(object["reason"] as? String == library.reason.rawValue, "\(corpusCase.id)")
      let commandWait = (object["retryAfterSeconds"] as? NSNumber)?.doubleValue
      let libraryWait = library.retryAfter.map {
        Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18
      }
      #expect(commandWait == libraryWait, "\(corpusCase.id)")
    }
  }
}
