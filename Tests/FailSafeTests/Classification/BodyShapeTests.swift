import FailSafe
import FailSafeTesting
import Foundation
import Testing

@Suite("Body shapes", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct BodyShapeTests {
  static let quota = #"{"error":{"type":"insufficient_quota","code":"insufficient_quota"}}"#

  @Test func byteOrderMarkAndLeadingWhitespace() {
    #expect(classify(429, "\u{FEFF}" + Self.quota).disposition == .quotaExhausted)
    #expect(classify(429, "\r\n\t  " + Self.quota).disposition == .quotaExhausted)
  }

  @Test func topLevelArray() {
    #expect(classify(429, "[" + Self.quota + "]").disposition == .quotaExhausted)
  }

  @Test func jsonInsideAJSONString() {
    let body = #"{"message":"{\"error\":{\"code\":\"invalid_api_key\"}}"}"#
    #expect(classify(401, body).disposition == .permanent)
  }

  @Test func messageAsAnObject() {
    let body = #"{"message":{"detail":[{"msg":"Incorrect API key provided"}]},"type":"x"}"#
    #expect(classify(401, body).disposition == .permanent)
  }

  @Test func invalidUTF8IsRepairedInEvidence() {
    var body = Data(#"{"error":{"message":"bad "#.utf8)
    body.append(contentsOf: [0xFF, 0xFE, 0xC3])
    body.append(Data(#" bytes","code":"context_length_exceeded"}}"#.utf8))
    let result = ProviderErrorClassifier().classify(ProviderResponse(status: 400, body: body))
    #expect(result.disposition == .fatal)
    #expect(result.reason == .contextTooLong)
    #expect(result.evidence.contains("bad"))
  }

  @Test func htmlErrorPageUsesItsTitle() {
    let body = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    let result = classify(502, body)
    #expect(result.disposition == .retryable)
    #expect(result.evidence.contains("502 Bad Gateway"))
  }

  @Test func htmlWordingNeverMakesACredentialDead() {
    let body = "<html><head><title>Invalid API key</title></head></html>"
    #expect(classify(500, body).disposition == .retryable)
  }

  @Test func plainTextAndEmptyBodies() {
    #expect(classify(503, "Service Unavailable").disposition == .retryable)
    #expect(classify(401, "").disposition == .unauthorized)
    #expect(classify(400, "   ").disposition == .fatal)
  }

  @Test func escapedUnicodeIsDecoded() {
    let body = #"{"error":{"message":"Invalid API key \u00e9\ud83d\ude00 provided"}}"#
    let result = classify(401, body)
    #expect(result.disposition == .permanent)
    #expect(result.evidence.contains("é😀"))
  }
}
