import FailSafeTesting
import Testing

@testable import FailSafe

/// The secret formats that used to survive redaction (issue 19, defects 4 to 7), each from its
/// reproducer.
@Suite(
  "Secret formats redaction used to miss",
  .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct SecretFormatRedactionTests {
  /// A fixed sequence of pseudo-random numbers (SplitMix64), so the tests are repeatable.
  struct Numbers {
    var state: UInt64

    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var value = state
      value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
      value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
      return value ^ (value >> 31)
    }

    mutating func text(of count: Int, from alphabet: String) -> String {
      let characters = Array(alphabet)
      return String((0..<count).map { _ in characters[Int(next() % UInt64(characters.count))] })
    }
  }

  static let hex = "0123456789abcdef"

  @Test func aSlackTokenInAURLPathIsRedacted() {
    let token = "xoxp-1234567890-1234567890-0123456789abcdef0123456789abcdef"
    let text = SecretRedactor.redact("GET https://slack.example/api/keys/\(token) failed")
    #expect(!text.contains("xoxp-1234567890"), "\(text)")
    #expect(text == "GET https://slack.example/api/keys/[REDACTED] failed")
  }

  @Test func anAWSKeyAfterALiteralBackslashNIsRedacted() {
    let text = SecretRedactor.redact(#"denied:\nAKIAIOSFODNN7EXAMPLE\nplease rotate"#)
    #expect(!text.contains("AKIAIOSFODNN7"), "\(text)")
    #expect(text == #"denied:\n[REDACTED]\nplease rotate"#)
  }

  @Test(arguments: SecretRedactor.prefixes)
  func aPrefixedSecretGluedAfterPunctuationIsRedacted(prefix: String) {
    var numbers = Numbers(state: UInt64(prefix.utf8.count))
    for glue in ["/", ".", "-", "_", "+", "~", "x/", "a1", #"\n"#, #"\t"#] {
      let secret = prefix + numbers.text(of: 24, from: "abcdefghijkmnopqrstuvwxyz0123456789")
      let text = SecretRedactor.redact("see id\(glue)\(secret) now")
      #expect(!text.contains(secret), "\(glue) \(text)")
      #expect(SecretRedactor.redact(text) == text)
    }
  }

  @Test func anUpperCasePrefixGluedToLowerCaseOrDigitsIsRedacted() {
    for glue in ["key", "n", "42"] {
      let text = SecretRedactor.redact("id=x \(glue)AKIAIOSFODNN7EXAMPLE end")
      #expect(text == "id=x \(glue)[REDACTED] end")
    }
  }

  @Test func wordsThatMerelyContainAPrefixAreKept() {
    for text in [
      "task-force-alpha-bravo", "ask-questions-politely", "network_rk_stats is fine",
      "EURASIAN", "gpt-4o-mini-2024-07-18", "models/gemini-1.5-pro-latest:generate",
      "x-ratelimit-remaining-tokens",
    ] {
      #expect(SecretRedactor.redact(text) == text)
    }
  }

  @Test func anAuthorizationCredentialAfterAnyScheme() {
    var numbers = Numbers(state: 5)
    for scheme in ["token", "Token", "Digest", "SSWS", "ApiKey", "Splunk"] {
      let credential = numbers.text(of: 40, from: Self.hex)
      for separator in [": ", ":", "="] {
        let text = SecretRedactor.redact("Authorization\(separator)\(scheme) \(credential) sent")
        #expect(!text.contains(credential), "\(text)")
        #expect(text == "Authorization\(separator)[REDACTED] [REDACTED] sent")
        #expect(SecretRedactor.redact(text) == text)
      }
    }
    // Bearer and Basic keep their scheme, as before.
    #expect(
      SecretRedactor.redact("Authorization: Bearer abc.def-ghi x")
        == "Authorization: Bearer [REDACTED] x")
    // A short word of letters after the first is no credential.
    #expect(
      SecretRedactor.redact("Authorization: missing for this call")
        == "Authorization: [REDACTED] for this call")
  }

  @Test func jsonQuotedSecretNamesIntroduceTheirValue() {
    var numbers = Numbers(state: 6)
    for name in ["api_key", "x-api-key", "token", "access_token", "client_secret", "password"] {
      let value = numbers.text(of: 32, from: Self.hex)
      for text in [
        #"{"\#(name)": "\#(value)", "model": "m"}"#, #"{"\#(name)":"\#(value)"}"#,
        #"{\"\#(name)\": \"\#(value)\"}"#, "{'\(name)' => '\(value)'}",
      ] {
        let redacted = SecretRedactor.redact(text)
        #expect(!redacted.contains(value), "\(redacted)")
        #expect(redacted.contains(SecretRedactor.placeholder))
        #expect(SecretRedactor.redact(redacted) == redacted)
      }
    }
    #expect(
      SecretRedactor.redact(#"{"api_key": "0123abcd", "model": "gpt-4o"}"#)
        == #"{"api_key": "[REDACTED]", "model": "gpt-4o"}"#)
  }

  @Test func awsSecretKeysWithoutADigitAreRedacted() {
    let key = "wJalrXUtnFEMI/KqMDENG/bPxRfiCYEXAMPLEKEY"
    #expect(SecretRedactor.redact("secret \(key) used") == "secret [REDACTED] used")
    var numbers = Numbers(state: 7)
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz/+"
    for _ in 0..<20_000 {
      let random = numbers.text(of: 40, from: alphabet)
      #expect(SecretRedactor.redact("k \(random) x") == "k [REDACTED] x", "\(random)")
    }
  }

  @Test func longCamelCaseNamesWithoutDigitsAreKept() {
    for name in [
      "ProvisionedThroughputExceededException", "ResourceExhaustedExceptionHandler",
      "ThisIsNotASecretButALongName",
    ] {
      #expect(SecretRedactor.redact("error \(name) here") == "error \(name) here")
    }
  }
}
