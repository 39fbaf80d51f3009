import FailSafeTesting
import Foundation
import Testing

@testable import FailSafe

@Suite("Wait hints", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct WaitHintTests {
  @Test(arguments: [
    ("30", 30.0), ("0", 0), (" 12 ", 12), ("1.5", 1.5),
  ])
  func retryAfterSeconds(value: String, expected: Double) {
    #expect(seconds(classify(429, headers: [("Retry-After", value)]).retryAfter) == expected)
  }

  @Test func retryAfterHTTPDateIsMeasuredFromTheDateHeader() {
    let result = classify(
      503,
      headers: [
        ("date", "Sun, 06 Nov 1994 08:49:37 GMT"), ("retry-after", "Sun, 06 Nov 1994 08:51:07 GMT"),
      ])
    #expect(seconds(result.retryAfter) == 90)
  }

  @Test func obsoleteHTTPDateFormsAreAccepted() {
    let date = ("date", "Sun, 06 Nov 1994 08:49:37 GMT")
    #expect(
      seconds(
        classify(503, headers: [date, ("retry-after", "Sunday, 06-Nov-94 08:49:47 GMT")]).retryAfter
      )
        == 10)
    #expect(
      seconds(
        classify(503, headers: [date, ("retry-after", "Sun Nov  6 08:49:57 1994")]).retryAfter)
        == 20)
  }

  @Test func withoutADateHeaderReceivedAtIsTheReference() {
    let receivedAt = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
    let result = classify(
      503, headers: [("retry-after", "Sun, 06 Nov 1994 08:50:37 GMT")], receivedAt: receivedAt)
    #expect(seconds(result.retryAfter) == 60)
  }

  @Test func anAbsoluteTimeWithNoReferenceGivesNoWait() {
    #expect(
      classify(503, headers: [("retry-after", "Sun, 06 Nov 1994 08:50:37 GMT")]).retryAfter == nil)
  }

  @Test func retryAfterMillisecondsWinsOverRetryAfter() {
    let result = classify(429, headers: [("retry-after", "2"), ("retry-after-ms", "1500")])
    #expect(seconds(result.retryAfter) == 1.5)
  }

  @Test(arguments: [("6m0s", 360.0), ("120ms", 0.12), ("0h59m3.5s", 3_543.5), ("7.25s", 7.25)])
  func goDurationResetsOfAnEmptyWindow(value: String, expected: Double) throws {
    let result = classify(
      429,
      headers: [("x-ratelimit-remaining-requests", "0"), ("x-ratelimit-reset-requests", value)])
    let wait = try #require(seconds(result.retryAfter))
    #expect(abs(wait - expected) < 1e-9)
  }

  @Test func resetsOfWindowsThatAreNotEmptyAreIgnored() {
    let result = classify(
      429,
      headers: [
        ("x-ratelimit-remaining-requests", "10"), ("x-ratelimit-reset-requests", "6m0s"),
        ("x-ratelimit-remaining-tokens", "0"), ("x-ratelimit-reset-tokens", "2s"),
      ])
    #expect(seconds(result.retryAfter) == 2)
  }

  @Test func anthropicRFC3339ResetOfTheEmptyWindow() {
    let result = classify(
      429,
      headers: [
        ("date", "Wed, 01 Jan 2025 00:00:00 GMT"),
        ("anthropic-ratelimit-tokens-remaining", "0"),
        ("anthropic-ratelimit-tokens-reset", "2025-01-01T00:00:45Z"),
        ("anthropic-ratelimit-requests-remaining", "99"),
        ("anthropic-ratelimit-requests-reset", "2025-01-01T00:10:00Z"),
      ])
    #expect(seconds(result.retryAfter) == 45)
  }

  @Test func rfc3339OffsetsAndFractionsAreHonoured() {
    let result = classify(
      429,
      headers: [
        ("date", "Wed, 01 Jan 2025 00:00:00 GMT"),
        ("anthropic-ratelimit-requests-remaining", "0"),
        ("anthropic-ratelimit-requests-reset", "2025-01-01T01:00:30.5+01:00"),
      ])
    #expect(seconds(result.retryAfter) == 30.5)
  }

  @Test func bodyRetryAfterAndRetryDelay() {
    #expect(seconds(classify(429, #"{"error":{"retry_after":12}}"#).retryAfter) == 12)
    #expect(seconds(classify(429, #"{"retry_after":"3.5"}"#).retryAfter) == 3.5)
    #expect(
      seconds(
        classify(
          429,
          #"{"error":{"details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1.25s"}]}}"#
        ).retryAfter) == 1.25)
  }

  @Test func messageWaitInGoDurationForm() throws {
    let result = classify(
      429,
      #"{"error":{"message":"Rate limit reached. Please try again in 9m38.016s. Visit the docs."}}"#
    )
    let wait = try #require(seconds(result.retryAfter))
    #expect(abs(wait - 578.016) < 1e-6)
  }

  @Test func headerWaitWinsOverMessageWait() {
    let result = classify(
      429, #"{"error":{"message":"Please try again in 20s."}}"#, headers: [("retry-after", "3")])
    #expect(seconds(result.retryAfter) == 3)
  }

  @Test func waitsAreCappedByConfiguration() {
    let classifier = ProviderErrorClassifier(configuration: .init(maximumWait: .seconds(60)))
    let result = classifier.classify(
      ProviderResponse(status: 429, headers: ["retry-after": "3600"], body: ""))
    #expect(result.retryAfter == .seconds(60))
  }

  @Test func limitsChangedAfterCreationApply() {
    // The classifier keeps the limits in seconds; setting the configuration must update them.
    var classifier = ProviderErrorClassifier()
    classifier.configuration.maximumWait = .seconds(60)
    let capped = classifier.classify(
      ProviderResponse(status: 429, headers: ["retry-after": "3600"], body: ""))
    #expect(capped.retryAfter == .seconds(60))
    let quota = ProviderResponse(
      status: 429, headers: ["retry-after": "120"],
      body: Data(#"{"error":{"status":"QUOTA_EXHAUSTED"}}"#.utf8))
    // The 120-second wait is capped to 60, inside the default ten-minute window.
    #expect(classifier.classify(quota).disposition == .retryable)
    classifier.configuration.maximumWait = .seconds(3_600)
    classifier.configuration.shortQuotaWindow = .seconds(60)
    #expect(classifier.classify(quota).disposition == .quotaExhausted)
    classifier.configuration.shortQuotaWindow = .seconds(120)
    #expect(classifier.classify(quota).disposition == .retryable)
  }

  @Test(arguments: [
    0.0, 1, 38, 59, 600, 3_600, 86_400, 1e15, 0.5, 1.5, 38.25, 578.016, 1e-9, 3_599.999_999,
  ])
  func waitsBecomeTheSameDurationAsSecondsOfADouble(wait: Double) {
    // Whole waits are built from an integer; the attoseconds must match `.seconds(Double)`.
    #expect(ProviderErrorClassifier.duration(seconds: wait) == .seconds(wait))
    #expect(
      ProviderErrorClassifier.duration(seconds: wait).components
        == Duration.seconds(wait).components)
  }

  @Test(arguments: [64, 65, 400, 100_000])
  func aHugeAllDigitRetryAfterGivesTheMaximumWait(digits: Int) {
    // Issue 19 #13: 64 digits gave the maximum, 65 or more gave no wait at all.
    let maximum = ProviderErrorClassifier().configuration.maximumWait
    let value = String(repeating: "9", count: digits)
    #expect(classify(429, headers: [("Retry-After", value)]).retryAfter == maximum)
    #expect(classify(429, headers: [("retry-after-ms", value)]).retryAfter == maximum)
    #expect(classify(429, headers: [("Retry-After", value + ".5")]).retryAfter == maximum)
    #expect(classify(429, #"{"retry_after":"\#(value)"}"#).retryAfter == maximum)
  }

  @Test func longDecimalsWithLeadingZerosOrLongFractionsKeepTheirValue() {
    // Length alone does not make a value huge.
    let zeros = String(repeating: "0", count: 70)
    #expect(seconds(classify(429, headers: [("Retry-After", zeros + "5")]).retryAfter) == 5)
    #expect(seconds(classify(429, headers: [("Retry-After", "7." + zeros)]).retryAfter) == 7)
    #expect(
      seconds(classify(429, headers: [("Retry-After", zeros + "2.5" + zeros)]).retryAfter) == 2.5)
    #expect(seconds(classify(429, headers: [("Retry-After", zeros)]).retryAfter) == 0)
    #expect(classify(429, headers: [("Retry-After", zeros + "x")]).retryAfter == nil)
    #expect(classify(429, headers: [("Retry-After", "1." + zeros + ".")]).retryAfter == nil)
  }

  /// `windows` empty rate-limit windows, `x-ratelimit-remaining-w<i>: 0` then
  /// `x-ratelimit-reset-w<i>: <i>ms`, so the longest reset grows with the number read.
  static func emptyWindows(_ windows: Int) -> [(String, String)] {
    (0..<windows).flatMap { index in
      [("x-ratelimit-remaining-w\(index)", "0"), ("x-ratelimit-reset-w\(index)", "\(index)ms")]
    }
  }

  @Test func aFloodOfRateLimitHeadersGetsTheAnswerOfTheBoundedSet() throws {
    // Issue 19 #10: 100,000 rate-limit headers took 31 s in release (every reset header
    // scanned every remaining header). Only the first `maximumInspectedFields` are read.
    let flood = Self.emptyWindows(50_000)
    #expect(flood.count == 100_000)
    let bounded = Array(flood.prefix(HeaderSignals.maximumInspectedFields))
    let all = classify(429, headers: flood)
    #expect(all == classify(429, headers: bounded))
    let wait = try #require(seconds(all.retryAfter))
    #expect(abs(wait - Double(bounded.count / 2 - 1) / 1_000) < 1e-9)
    let signals = HeaderSignals(HTTPHeaderFields(flood), status: 429, receivedAt: nil)
    #expect(signals.inspectedFieldCount == HeaderSignals.maximumInspectedFields)
  }

  @Test func pairingResetsWithRemainingCountsIsLinearInTheHeaders() {
    // Counted, never timed: the comparisons and look-ups made pairing windows grow at most
    // linearly with the headers read (a nested scan made windows² / 2).
    for windows in [1, 4, 16, 64, HeaderSignals.maximumInspectedFields / 2] {
      let headers = HTTPHeaderFields(Self.emptyWindows(windows))
      let signals = HeaderSignals(headers, status: 429, receivedAt: nil)
      #expect(signals.inspectedFieldCount == 2 * windows)
      #expect(signals.windowResetWait != nil)
      #expect(
        signals.pairingWork <= 2 * signals.inspectedFieldCount + 64,
        "\(windows) windows: \(signals.pairingWork) steps")
    }
  }

  @Test func negativeOrNonNumericBodyWaitsAreIgnored() {
    #expect(classify(429, #"{"retry_after":-30}"#).retryAfter == nil)
    #expect(classify(429, #"{"retry_after":"soon"}"#).retryAfter == nil)
    #expect(classify(429, #"{"retry_after":1e999}"#).retryAfter == nil)
  }

  @Test func aPastResetMeansNoWait() {
    let result = classify(
      503,
      headers: [
        ("date", "Sun, 06 Nov 1994 08:49:37 GMT"), ("retry-after", "Sun, 06 Nov 1994 08:00:00 GMT"),
      ])
    #expect(result.retryAfter == .zero)
  }
}
