import FailSafe
import FailSafeTesting
import Foundation
import Testing

/// Hostile and broken input: every response classifies, without crashing, with a bounded wait.
@Suite("Classifier robustness", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct RobustnessTests {
  static let cap: Duration = .seconds(3_600)

  func expectBounded(_ result: Classification, _ context: String = "") {
    if let wait = result.retryAfter {
      #expect(wait >= .zero && wait <= Self.cap, "\(context): wait \(wait)")
    }
    #expect(result.evidence.count <= 300, "\(context): evidence too long")
  }

  @Test func seededRandomBytesNeverCrash() {
    var generator = SeededGenerator(state: 0x5EED)
    let alphabet = Array(#"{}[]":,\ 0123456789.-etrufalsn"#.utf8) + [0xEF, 0xBB, 0xBF, 0xFF, 0xC3]
    for round in 0..<2_000 {
      let length = Int.random(in: 0..<600, using: &generator)
      let bytes = (0..<length).map { _ in
        Bool.random(using: &generator)
          ? alphabet.randomElement(using: &generator)!
          : UInt8.random(in: 0...255, using: &generator)
      }
      let status = [400, 401, 403, 429, 500, 503, 0, -1, 999].randomElement(using: &generator)!
      let result = ProviderErrorClassifier().classify(
        ProviderResponse(status: status, body: Data(bytes)))
      expectBounded(result, "round \(round)")
    }
  }

  @Test func everyTruncationOfAProviderBodyClassifies() {
    let body = Array(
      #"{"error":{"code":429,"message":"Quota \"exceeded\" \u00e9 \ud83d\ude00","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"38s"}]}}"#
        .utf8)
    for length in 0...body.count {
      let result = ProviderErrorClassifier().classify(
        ProviderResponse(status: 429, body: Data(body.prefix(length))))
      #expect(result.disposition == .retryable || result.disposition == .quotaExhausted)
      expectBounded(result, "length \(length)")
    }
  }

  @Test(arguments: ["[", "{\"a\":", "[{\"message\":"])
  func hundredThousandDeepNesting(opening: String) {
    let body = String(repeating: opening, count: 100_000)
    let result = classify(400, body)
    #expect(result.disposition == .fatal)
    expectBounded(result)
  }

  @Test func tenMegabyteBodyUsesOnlyItsPrefix() {
    var body = Data(#"{"error":{"type":"rate_limit_error","message":""#.utf8)
    body.append(Data(repeating: UInt8(ascii: "a"), count: 10_000_000))
    body.append(Data(#""},"retry_after":99}"#.utf8))
    let result = ProviderErrorClassifier().classify(ProviderResponse(status: 500, body: body))
    #expect(result.disposition == .retryable)
    #expect(result.retryAfter == nil, "the retry_after past 64 KiB must not be read")
    expectBounded(result)
  }

  @Test(arguments: [
    "99999999999999999999", "-5", "NaN", "nan", "inf", "1e400", "Fri, 31 Dec 9999 23:59:59 GMT",
    "", "   ", "5 apples", "0x10", "Thu, 99 Foo 2025 99:99:99 GMT",
    String(repeating: "9", count: 5_000),
  ])
  func absurdRetryAfterValues(value: String) {
    let result = classify(
      429, headers: [("retry-after", value), ("date", "Mon, 12 May 2025 11:11:55 GMT")])
    #expect(result.disposition == .retryable)
    expectBounded(result, value)
  }

  @Test(arguments: ["9999-12-31T23:59:59Z", "0000-00-00T00:00:00Z", "2025-13-45T25:61:61Z", "x"])
  func absurdResetTimes(value: String) {
    let result = classify(
      429,
      headers: [
        ("date", "Mon, 12 May 2025 11:11:55 GMT"), ("anthropic-ratelimit-tokens-remaining", "0"),
        ("anthropic-ratelimit-tokens-reset", value), ("x-ratelimit-remaining", "0"),
        ("x-ratelimit-reset", "99999999999999999999"),
      ])
    expectBounded(result, value)
  }

  @Test func yearNineThousandNineHundredNinetyNineIsCapped() {
    let result = classify(
      503,
      headers: [
        ("date", "Mon, 12 May 2025 11:11:55 GMT"), ("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT"),
      ])
    #expect(result.retryAfter == Self.cap)
  }

  @Test func hugeRetryAfterIsCapped() {
    #expect(
      classify(429, headers: [("retry-after", "99999999999999999999")]).retryAfter == Self.cap)
  }

  @Test(arguments: [Int.min, -1, 0, 99, 200, 302, 600, Int.max])
  func oddStatusesClassify(status: Int) {
    expectBounded(classify(status, #"{"error":{"message":"x"}}"#))
  }
}
