import FailSafeTesting
import Testing

@testable import FailSafe

@Suite(
  "Secret redaction scanning helpers", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct RedactionScanningTests {
  @Test func tokenKindsDecideUnknownKeysAndMaskedKeys() {
    // 32 token bytes mixing cases and digits: redacted; 31, or one kind missing: kept.
    let mixed = "Ab1" + String(repeating: "x", count: 29)
    #expect(SecretRedactor.redact("a \(mixed) b") == "a [REDACTED] b")
    #expect(SecretRedactor.redact("a \(mixed.dropLast()) b") == "a \(mixed.dropLast()) b")
    let noDigit = "Abc" + String(repeating: "x", count: 29)
    #expect(SecretRedactor.redact(noDigit) == noDigit)
    // Four stars in a token of 12 or more bytes: a masked key; three are not.
    #expect(SecretRedactor.redact("see ab-****cdefg.") == "see [REDACTED]")
    #expect(SecretRedactor.redact("see ab-***cdefgh") == "see ab-***cdefgh")
    #expect(SecretRedactor.redact("see a****b") == "see a****b")
  }

  @Test func secretNamesInAnyCaseStillIntroduceASecret() {
    for name in ["KEY", "Api_Key", "X-GOOG-API-KEY", "Client_Secret", "PASSWD", "Sig"] {
      #expect(SecretRedactor.redact("\(name)=v1 x") == "\(name)=[REDACTED] x", "\(name)")
    }
    // Same first letter and a length no secret name has: not a name.
    #expect(SecretRedactor.redact("keys=v1 x") == "keys=v1 x")
    #expect(SecretRedactor.redact("please: v1") == "please: v1")
  }

  @Test func tokensAtTheEndsAndAroundNonASCIIBytes() {
    #expect(SecretRedactor.redact("") == "")
    #expect(SecretRedactor.redact("k") == "k")
    #expect(SecretRedactor.redact("token=") == "token=")
    #expect(SecretRedactor.redact("token=é") == "token=é")
    #expect(SecretRedactor.redact("éAb1\(String(repeating: "x", count: 29))é") == "é[REDACTED]é")
    #expect(SecretRedactor.redact("x [REDACTED]") == "x [REDACTED]")
    #expect(SecretRedactor.redact("key=[REDACTED]y") == "key=[REDACTED]y")
  }
}

@Suite("Secret prefixes", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct SecretPrefixTests {
  @Test(arguments: SecretRedactor.prefixes)
  func aPrefixWithSixMoreBytesIsASecretAndWithFiveIsNot(prefix: String) {
    #expect(SecretRedactor.redact("a \(prefix)abcdef b") == "a [REDACTED] b")
    #expect(SecretRedactor.redact("a \(prefix)abcde b") == "a \(prefix)abcde b")
    // The last byte of the prefix changed (to a byte no prefix has there): not a secret.
    let changed = String(prefix.dropLast()) + "Q"
    #expect(SecretRedactor.redact("a \(changed)abcdef b") == "a \(changed)abcdef b")
  }

  @Test func theBytesPastEightOfALongPrefixAreCompared() {
    #expect(SecretRedactor.redact("github_pat_abcdef") == "[REDACTED]")
    #expect(SecretRedactor.redact("github_pXt_abcdef") == "github_pXt_abcdef")
    #expect(SecretRedactor.redact("github_paT_abcdef") == "github_paT_abcdef")
    #expect(SecretRedactor.redact("github_pat-abcdef") == "github_pat-abcdef")
  }
}
