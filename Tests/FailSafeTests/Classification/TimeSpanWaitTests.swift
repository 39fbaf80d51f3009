import FailSafe
import FailSafeTesting
import Foundation
import Testing

/// Waits written as a .NET `TimeSpan` (`d.hh:mm:ss`), as Azure API Management's quota policy
/// writes them: "Out of call volume quota. Quota will be replenished in 5.03:23:11" (a 403).
/// Before, the days form was read as 5.03 seconds, the `hh:mm:ss` form as a time of day, and
/// the 403 as a request that can never succeed, so every queued job failed at once.
@Suite("TimeSpan waits", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct TimeSpanWaitTests {
  func apimQuota(_ span: String, headers: [(String, String)] = []) -> Classification {
    classify(
      403,
      #"{ "statusCode": 403, "message": "Out of call volume quota. Quota will be replenished in "#
        + span + #"." }"#, headers: headers)
  }

  @Test(arguments: [
    ("5.03:23:11", 444_191.0), ("22.14:18:12", 1_952_292), ("03:30:56", 12_656),
    ("3:05:00", 11_100), ("0.00:01:00", 60), ("00:00:56.5", 56.5), ("1.00:00:00.250", 86_400.25),
  ])
  func aSpanAfterInIsALengthOfTime(span: String, expected: Double) throws {
    let result = classify(
      429, #"{"error":{"message":"Rate limit exceeded. Try again in \#(span)"}}"#)
    let wait = try #require(seconds(result.retryAfter), "\(span): no wait")
    #expect(abs(wait - expected) < 0.001, "\(span): \(wait)")
    // A wait over an hour (the default quota threshold) makes the rate limit a quota.
    let expectedDisposition: Disposition = expected > 3_600 ? .quotaExhausted : .retryable
    #expect(result.disposition == expectedDisposition, "\(span): \(result)")
  }

  @Test func aSpanWithDaysIsALengthAfterAnyWaitWords() throws {
    let result = classify(
      403, #"{"message":"Out of call volume quota. Retry after 1.00:00:00."}"#)
    #expect(result.disposition == .quotaExhausted)
    #expect(result.retryAfter == .seconds(86_400))
  }

  @Test func aClockTimeAfterAtOrUntilIsStillATime() {
    // No date header: a time has nothing to be measured from, so no wait at all.
    for phrase in ["Try again at 03:30:56.", "Blocked until 03:30:56.", "Retry after 03:30:56."] {
      #expect(classify(429, phrase).retryAfter == nil, "\(phrase)")
    }
  }

  @Test(arguments: [
    "1.24:00:00", "1.3:00:00", "1.03:60:00", "1.03:00:60", "03:30:56:10", "1.03:00", "2.5:00",
    "123456789.00:00:00", "03:3:56",
  ])
  func aMalformedSpanGivesNoWait(span: String) {
    let result = classify(429, "Rate limit exceeded. Try again in \(span) please")
    #expect(result.retryAfter == nil, "\(span): \(String(describing: result.retryAfter))")
  }

  @Test func azureQuotaIsExhaustionUntilItIsReplenished() throws {
    let days = apimQuota("5.03:23:11")
    #expect(days.disposition == .quotaExhausted, "\(days)")
    #expect(days.retryAfter == .seconds(444_191))
    let hours = apimQuota("03:30:56", headers: [("retry-after", "12656")])
    #expect(hours.disposition == .quotaExhausted, "\(hours)")
    #expect(hours.retryAfter == .seconds(12_656))
    let bandwidth = classify(
      403,
      #"{ "statusCode": 403, "message": "Out of bandwidth quota. Quota will be replenished in 05:00:00." }"#
    )
    #expect(bandwidth.disposition == .quotaExhausted, "\(bandwidth)")
    #expect(bandwidth.retryAfter == .seconds(18_000))
  }

  @Test func aQuotaWhoseWindowReopensSoonIsARateLimit() {
    let result = apimQuota("00:00:56", headers: [("retry-after", "56")])
    #expect(result.disposition == .retryable, "\(result)")
    #expect(result.retryAfter == .seconds(56))
  }

  @Test func aForbiddenWithoutQuotaWordsIsStillRefused() {
    // "out" alone is no quota: the 403's meaning is unchanged.
    let result = classify(403, #"{"message":"You are locked out of this resource."}"#)
    #expect(result.disposition != .quotaExhausted)
    #expect(
      classify(403, #"{"message":"The quota check timed out."}"#).disposition
        != .quotaExhausted)
  }
}
