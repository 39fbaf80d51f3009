import FailSafeTesting
import Testing

@testable import FailSafe

@Suite("state text", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct StateTextTests {
  static let limit = PersistedFailure.maximumEvidenceLength

  /// Issue 19 #9: a cut inside `Bearer`/`Basic` after a secret name left a stub that a second
  /// pass took for the secret.
  @Test(arguments: ["Bearer", "Basic"])
  func evidenceCutInsideASchemeAfterASecretNameIsIdempotent(scheme: String) {
    for padding in 270...300 {
      let text =
        String(repeating: "w", count: padding % 2) + String(repeating: " a", count: padding / 2)
        + " token: \(scheme) abcdefghij0123 tail"
      let once = StateText.redactedEvidence(text, limit: Self.limit)
      #expect(StateText.redactedEvidence(once, limit: Self.limit) == once, "\(padding): \(once)")
      #expect(!once.contains("abcdefghij"))
    }
  }

  @Test func aCutNeverKeepsAFragmentOfAToken() {
    let key = "AIzaSyD4kQ"  // a key the cut would split, too short to be redacted by itself
    for padding in 280...300 {
      let text = String(repeating: "x", count: padding) + " " + key + " and more"
      let evidence = StateText.redactedEvidence(text, limit: 300)
      #expect(!evidence.contains("AIza"), "\(padding): \(evidence.suffix(20))")
      #expect(StateText.redactedEvidence(evidence, limit: 300) == evidence)
    }
    #expect(StateText.redactedEvidence("one two three", limit: 9) == "one two …")
  }

  @Test func evidenceIsBoundedInBytesWhateverItsCharactersHold() {
    // 300 characters of 21 scalars each: 300 characters, but 12,600 bytes.
    let heavy = String(repeating: "e" + String(repeating: "\u{301}", count: 20), count: 400)
    let evidence = StateText.redactedEvidence(heavy, limit: Self.limit)
    let most = StateText.maximumBytes(forCharacters: Self.limit) + StateText.ellipsisBytes
    #expect(evidence.utf8.count <= most)
    #expect(StateText.redactedEvidence(evidence, limit: Self.limit) == evidence)
    let reason = StateText.bounded(heavy, to: 64)
    #expect(
      reason.utf8.count <= StateText.maximumBytes(forCharacters: 64) + StateText.ellipsisBytes)
    #expect(StateText.bounded(reason, to: 64) == reason)
    // 300 four-byte characters fit whole.
    let emoji = String(repeating: "😀", count: 300)
    #expect(StateText.redactedEvidence(emoji, limit: Self.limit) == emoji)
  }
}
