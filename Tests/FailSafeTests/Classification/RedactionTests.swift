import FailSafe
import FailSafeTesting
import Testing

@Suite("Secret redaction", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct RedactionTests {
  static let secrets = [
    "sk-proj-AbCdEf0123456789AbCdEf0123456789", "sk-ant-api03-AbCdEf0123456789xyz",
    "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q", "ghp_0123456789abcdefABCDEF0123456789abcd",
    "sk_live_51H0123456789abcdef", "xoxb-1234567890-abcdefghij", "AKIAIOSFODNN7EXAMPLE",
    "gsk_0123456789abcdefghij", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
  ]

  @Test(arguments: secrets)
  func knownKeyFormatsAreRedacted(secret: String) {
    let text = SecretRedactor.redact("Incorrect API key provided: \(secret). See docs.")
    #expect(!text.contains(secret))
    #expect(text.contains(SecretRedactor.placeholder))
    #expect(text.hasPrefix("Incorrect API key provided: "))
  }

  @Test func bearerTokensAndKeyValuePairs() {
    let text = SecretRedactor.redact(
      "Authorization: Bearer abc.def-ghi key=plainsecret123 token: tok_777 password=hunter2")
    for secret in ["abc.def-ghi", "plainsecret123", "tok_777", "hunter2"] {
      #expect(!text.contains(secret), "\(secret) leaked in \(text)")
    }
  }

  @Test func maskedAndUnknownHighEntropyKeys() {
    let text = SecretRedactor.redact(
      "key sk-****************abcd and Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz")
    #expect(!text.contains("abcd"))
    #expect(!text.contains("Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz"))
  }

  @Test(arguments: [
    "key=plainsecret123 and Authorization: Bearer abc.def-ghi",
    "Incorrect API key provided: sk-proj-AbCdEf0123456789AbCdEf0123456789.",
    "token: [REDACTED] then [REDACTED] then [not-a-placeholder] key=[REDACTED]x",
    "[REDACTED", "password=[REDACTED]",
  ])
  func redactingTwiceChangesNothingMore(text: String) {
    let once = SecretRedactor.redact(text)
    #expect(SecretRedactor.redact(once) == once)
    #expect(!once.contains("[[REDACTED]]"))
  }

  @Test func ordinaryTextIsUnchanged() {
    let text = "Rate limit reached for gpt-4o in organization on tokens per min. Try again in 6s."
    #expect(SecretRedactor.redact(text) == text)
  }

  @Test func classificationEvidenceAndDescriptionNeverContainTheKey() {
    let key = "sk-proj-Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0"
    let google = "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"
    let bodies = [
      #"{"error":{"message":"Incorrect API key provided: \#(key).","code":"invalid_api_key"}}"#,
      #"{"error":{"message":"Consumer 'api_key:\#(google)' has been suspended.","status":"PERMISSION_DENIED"}}"#,
      "Bearer \(key) rejected",
      "<html><title>Denied for \(key)</title></html>",
    ]
    for body in bodies {
      let result = classify(401, body)
      #expect(
        !result.evidence.contains(key) && !result.evidence.contains(google), "\(result.evidence)")
      #expect(!result.description.contains(key) && !result.description.contains(google))
    }
  }

  @Test func aKeyAtTheExcerptLimitIsNeverCutIntoAVisibleFragment() {
    let key = "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LzMn8Bv7Cx6"  // 42 bytes
    for padding in 90...130 {
      let body =
        #"{"error":{"message":""# + String(repeating: "a ", count: padding / 2)
        + (padding.isMultiple(of: 2) ? "" : "b") + " " + key + #" tail"}}"#
      let evidence = classify(400, body).evidence
      #expect(!evidence.contains("Zx9Qw8Er7"), "padding \(padding): \(evidence)")
    }
  }

  @Test func evidenceIsShort() {
    let body = #"{"error":{"message":""# + String(repeating: "word ", count: 5_000) + #""}}"#
    let result = classify(400, body)
    #expect(result.evidence.count < 200)
  }
}
