import FailSafe
import FailSafeTesting
import Foundation
import Testing

/// Issue 19 #8: a message the body's 64 KiB inspection cut or a length cap ends inside a key
/// kept the key's first bytes (`AIzaS`), too few for the redactor to know them.
@Suite("evidence of a cut message", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct CutMessageEvidenceTests {
  static let key = "AIzaSyD4kQ1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p"
  static let inspected = 65_536

  @Test func aKeyThatTheInspectionCutSplitsLeavesNoFragment() {
    for kept in 1...12 {
      let head = #"{"error":{"pad":""#
      let messageStart = #"","message":"Invalid key "#
      let padding = String(
        repeating: "p", count: Self.inspected - head.utf8.count - messageStart.utf8.count - kept)
      let body = head + padding + messageStart + Self.key + #" was rejected."}}"#
      let evidence = classify(400, body).evidence
      #expect(!evidence.contains(String(Self.key.prefix(min(kept, 5)))), "\(kept): \(evidence)")
      #expect(evidence.contains("Invalid key"), "\(kept): \(evidence)")
    }
  }

  @Test func aKeyThatTheHTMLTitleCapSplitsLeavesNoFragment() {
    let classifier = ProviderErrorClassifier(
      configuration: ProviderErrorClassifier.Configuration(evidenceLength: 400))
    for kept in 1...12 {
      let words = String(repeating: "denied ", count: 40)
      let lead = String(words.prefix(200 - kept - 1)) + " "
      let body = "<html><head><title>\(lead)\(Self.key)</title></head></html>"
      let evidence = classifier.classify(
        ProviderResponse(status: 403, headers: HTTPHeaderFields([]), body: body)
      ).evidence
      #expect(!evidence.contains(String(Self.key.prefix(min(kept, 5)))), "\(kept): \(evidence)")
      #expect(evidence.contains("denied"))
    }
  }

  @Test func aWholeMessageAtTheEndOfAShortBodyIsKept() {
    let evidence = classify(400, "Invalid key AIza").evidence
    #expect(evidence.hasSuffix("Invalid key AIza"), "\(evidence)")
  }
}
