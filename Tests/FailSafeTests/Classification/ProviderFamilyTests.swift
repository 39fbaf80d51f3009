import FailSafe
import FailSafeTesting
import Foundation
import Testing

/// The rules of issue #16 at their edges: where each family starts and stops applying.
@Suite(
  "Provider families beyond LLMs", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct ProviderFamilyTests {
  @Test func aWaitLongerThanTheThresholdIsAQuotaReportedAsStated() {
    let result = classify(429, headers: [("retry-after", "86400")])
    #expect(result.disposition == .quotaExhausted)
    #expect(result.reason == .quotaExhausted)
    #expect(result.retryAfter == .seconds(86_400))
    // One hour exactly is still a rate limit, capped as before.
    #expect(classify(429, headers: [("retry-after", "3600")]).disposition == .retryable)
  }

  @Test func theQuotaWaitThresholdIsConfigurable() {
    var classifier = ProviderErrorClassifier()
    classifier.configuration.quotaWaitThreshold = .seconds(3 * 3_600)
    let response = ProviderResponse(status: 503, headers: ["retry-after": "7200"], body: "")
    let result = classifier.classify(response)
    #expect(result.disposition == .retryable)
    #expect(result.retryAfter == classifier.configuration.maximumWait)
    classifier.configuration.quotaWaitThreshold = .seconds(60)
    #expect(classifier.classify(response).disposition == .quotaExhausted)
    #expect(classifier.classify(response).retryAfter == .seconds(7_200))
  }

  @Test func aWaitBeyondAYearIsABrokenHintNotAQuota() {
    let result = classify(429, headers: [("retry-after", "40000000")])
    #expect(result.disposition == .retryable)
    #expect(result.retryAfter == ProviderErrorClassifier().configuration.maximumWait)
  }

  @Test func anHTMLCodeTagIsNotAnAWSCode() {
    let page =
      "<html><body><p>Send <code>SlowDown</code> headers</p><Code>Throttling</Code></body></html>"
    #expect(classify(400, page).disposition == .fatal)
  }

  @Test func anXMLErrorsMessageWordingCountsLikeJSON() {
    let body = "<Error><Code>SomethingNew</Code><Message>Rate exceeded</Message></Error>"
    let result = classify(400, body)
    #expect(result.disposition == .retryable)
    #expect(result.evidence.contains("somethingnew") || result.evidence.contains("Rate exceeded"))
  }

  @Test func eachPolicyOfARateLimitListIsPairedWithItsWindow() {
    // The per-second window is empty, the per-month one is not: a short rate limit.
    let headers = [
      ("x-ratelimit-policy", "1;w=1, 15000;w=2592000"), ("x-ratelimit-remaining", "0, 1200"),
      ("x-ratelimit-reset", "1, 1419704"),
    ]
    let result = classify(
      429, #"{"error":{"detail":"Request rate limit exceeded"}}"#, headers: headers)
    #expect(result.disposition == .retryable)
    #expect(result.retryAfter == .seconds(1))
  }

  @Test func anInvalidTokenIsDeadOnlyOnA401Or403AndNotWhenExpired() {
    #expect(classify(401, #"{"message":"Invalid token"}"#).disposition == .permanent)
    #expect(classify(401, #"{"message":"Token deleted"}"#).disposition == .permanent)
    #expect(classify(401, #"{"message":"Unknown API key"}"#).disposition == .permanent)
    #expect(
      classify(401, #"{"message":"Token is invalid or expired"}"#).disposition == .unauthorized)
    #expect(classify(400, #"{"message":"Invalid token in field 'cursor'"}"#).disposition == .fatal)
  }

  @Test func aDailyLimitWithAShortWaitStaysARateLimit() {
    let body = #"{"error":{"message":"Daily request limit reached. Try again in 30s."}}"#
    #expect(classify(429, body).disposition == .retryable)
    #expect(
      classify(429, #"{"error":{"message":"Daily request limit reached."}}"#).disposition
        == .quotaExhausted)
  }

  @Test func aPlanThatAllowsNoneOfTheRequestIsFatal() {
    let limitZero = #"{"error":{"message":"Quota exceeded for metric: x, limit: 0, model: y"}}"#
    #expect(classify(429, limitZero).disposition == .fatal)
    let plan = #"{"message":"This model requires a paid plan."}"#
    #expect(classify(429, plan).disposition == .fatal)
    let rate = #"{"message":"Rate limit exceeded for your plan; upgrade required."}"#
    #expect(classify(429, rate).disposition == .retryable)
  }

  @Test func aTimeInAWaitFieldIsMeasuredAgainstTheDateHeader() {
    let date = ("date", "Tue, 03 Mar 2026 10:00:00 GMT")
    for body in [
      #"{"code":"quota_exceeded","reset_at":"2026-03-03T10:05:00Z"}"#,
      #"{"error":{"retry_after":"2026-03-03T10:05:00Z"}}"#,
      #"{"error":{"message":"slow down","retryAt":1772532300}}"#,
    ] {
      #expect(classify(429, body, headers: [date]).retryAfter == .seconds(300), "\(body)")
      #expect(classify(429, body).retryAfter == nil, "\(body): no date, no wait")
    }
  }

  @Test func arrearsAreBillingWhateverTheStatus() {
    for status in [400, 403] {
      let result = classify(status, #"{"message":"Your account is in arrears."}"#)
      #expect(result.disposition == .quotaExhausted)
      #expect(result.reason == .billing)
    }
  }
}
