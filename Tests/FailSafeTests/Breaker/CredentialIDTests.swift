import FailSafe
import FailSafeTesting
import Foundation
import Testing

@Suite("CredentialID", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct CredentialIDTests {
  @Test func fingerprintIsStableDistinctAndHidesTheSecret() throws {
    let secret = "sk-live-0123456789abcdefSECRET"
    let id = CredentialID.fingerprint(of: secret)
    #expect(id == CredentialID.fingerprint(of: secret))
    #expect(id != CredentialID.fingerprint(of: secret + "x"))
    #expect(id != CredentialID.fingerprint(of: ""))
    #expect(id.rawValue.hasPrefix("fp:"))
    #expect(id.rawValue.count == 35)
    #expect(!id.description.contains("SECRET"))
    let encoded = String(decoding: try JSONEncoder().encode(id), as: UTF8.self)
    #expect(!encoded.contains("sk-live"))
    #expect(try JSONDecoder().decode(CredentialID.self, from: Data(encoded.utf8)) == id)
  }

  @Test func knownValueNeverChangesAcrossReleases() {
    // Persisted state is keyed by fingerprints: the function must not change.
    #expect(CredentialID.fingerprint(of: "abc") == CredentialID.fingerprint(of: "abc"))
    #expect(
      CredentialID.fingerprint(of: "abc").rawValue == "fp:" + knownAbc)
  }

  /// The id keeps a hash for the registry and compares by it first; equality, hashing and
  /// coding must still follow the text alone.
  @Test func canonicallyEqualIdsAreEqualHashAlikeAndFindEachOther() {
    let pairs: [(CredentialID, CredentialID)] = [
      ("caf\u{E9}-key", CredentialID("cafe\u{301}-key")),
      ("\u{212A}ey-1", CredentialID(rawValue: "Key-1")),
      ("openai-prod-key-17", CredentialID(String("openai-prod-key-17".reversed().reversed()))),
    ]
    for (left, right) in pairs {
      #expect(left == right)
      #expect(left.hashValue == right.hashValue)
      let keyed: [CredentialID: Int] = [left: 1]
      #expect(keyed[right] == 1)
      #expect(Set([left, right]).count == 1)
    }
    let distinct: [CredentialID] = ["key-1", "key-2", "key-1 ", "Key-1", "", "caf\u{E9}"]
    #expect(Set(distinct).count == distinct.count)
    for (index, id) in distinct.enumerated() {
      for other in distinct[(index + 1)...] { #expect(id != other) }
    }
  }

  @Test func encodesAsItsTextAloneAndDecodesToAnEqualId() throws {
    let id = CredentialID("openai-prod-key-17")
    let encoded = try JSONEncoder().encode([id])
    #expect(String(decoding: encoded, as: UTF8.self) == #"["openai-prod-key-17"]"#)
    let decoded = try JSONDecoder().decode([CredentialID].self, from: encoded)
    #expect(decoded == [id])
    #expect(decoded[0].hashValue == id.hashValue)
    let registry = BreakerRegistry()
    #expect(registry.breaker(for: decoded[0]) === registry.breaker(for: id))
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(CredentialID.self, from: Data("17".utf8))
    }
  }

  @Test func labelsAreKeptVerbatimAndSorted() {
    let ids: [CredentialID] = ["b", "a", CredentialID("c")]
    #expect(ids.sorted().map(\.rawValue) == ["a", "b", "c"])
  }
}

private let knownAbc = "9ddd0b206061ad94ac053fd389ac1fac"
