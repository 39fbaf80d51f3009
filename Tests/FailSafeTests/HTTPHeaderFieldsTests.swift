import FailSafe
import Testing

@Suite("HTTPHeaderFields")
struct HTTPHeaderFieldsTests {
  @Test func lookupIgnoresCaseAndKeepsOrder() {
    var headers: HTTPHeaderFields = ["Retry-After": "30", "X-RateLimit-Reset": "10"]
    headers.append(name: "retry-after", value: "99")
    #expect(headers["retry-after"] == "30")
    #expect(headers["RETRY-AFTER"] == "30")
    #expect(headers.values(for: "Retry-After") == ["30", "99"])
    #expect(headers["missing"] == nil)
    #expect(headers.map(\.name) == ["retry-after", "x-ratelimit-reset", "retry-after"])
  }

  @Test func classificationDescriptionNamesDispositionReasonAndWait() {
    let classification = Classification(
      disposition: .retryable, reason: .rateLimited, retryAfter: .seconds(2), evidence: "429")
    #expect(classification.description == "retryable/rateLimited retryAfter=2.0 seconds: 429")
  }
}
