import FailSafe
import Foundation
import Testing

@Suite("CredentialID", .timeLimit(.minutes(1)))
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

  @Test func labelsAreKeptVerbatimAndSorted() {
    let ids: [CredentialID] = ["b", "a", CredentialID("c")]
    #expect(ids.sorted().map(\.rawValue) == ["a", "b", "c"])
  }
}

private let knownAbc = "9ddd0b206061ad94ac053fd389ac1fac"
