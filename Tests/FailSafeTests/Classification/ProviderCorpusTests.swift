import FailSafe
import FailSafeTesting
import Foundation
import Testing

@Suite("Provider error corpus", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct ProviderCorpusTests {
  static let loaded = CorpusCase.load()
  static let loadedMore = CorpusCase.load(TestFixtures.moreCorpus)
  /// Both files: the shared development corpus and the repository's own cases.
  static let cases: [CorpusCase] = ((try? loaded.get()) ?? []) + ((try? loadedMore.get()) ?? [])

  @Test func corpusIsPresentAndComplete() throws {
    let cases = try Self.loaded.get()
    #expect(cases.count >= 48, "expected the 48-case development corpus, read \(cases.count)")
  }

  @Test func moreCorpusIsPresentAndComplete() throws {
    let more = try Self.loadedMore.get()
    #expect(more.count >= 40, "expected at least 40 cases of our own, read \(more.count)")
    let shared = Set(try Self.loaded.get().map(\.id))
    #expect(more.allSatisfy { !shared.contains($0.id) }, "a case id repeats the shared corpus")
  }

  @Test(arguments: cases)
  func classifiesCorpusCase(_ corpusCase: CorpusCase) {
    let result = ProviderErrorClassifier().classify(corpusCase.response)
    #expect(
      result.disposition == corpusCase.expected,
      "\(corpusCase.id): got \(result.description)")
    if let expectedWait = corpusCase.retryAfterSeconds {
      let wait = result.retryAfter.map {
        Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18
      }
      #expect(wait != nil, "\(corpusCase.id): expected a wait of \(expectedWait) s, got none")
      if let wait {
        #expect(
          abs(wait - expectedWait) <= 1,
          "\(corpusCase.id): wait \(wait) s, expected \(expectedWait) s")
      }
    }
  }
}
