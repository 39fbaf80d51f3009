import FailSafe
import FailSafeTesting
import Testing

@Suite("User rules", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct UserRuleTests {
  @Test func aMatchingRuleOverridesTheBuiltIns() {
    let classifier = ProviderErrorClassifier(
      configuration: .init(rules: [
        ClassificationRule(
          status: 429, code: "insufficient_quota", disposition: .retryable, reason: "myQuota")
      ]))
    let result = classifier.classify(
      ProviderResponse(
        status: 429, headers: ["retry-after": "5"],
        body: #"{"error":{"code":"insufficient_quota"}}"#))
    #expect(result.disposition == .retryable)
    #expect(result.reason == "myQuota")
    #expect(result.retryAfter == .seconds(5))
  }

  @Test func allCriteriaMustMatchAndTheFirstMatchingRuleWins() {
    let classifier = ProviderErrorClassifier(
      configuration: .init(rules: [
        ClassificationRule(
          statuses: 400...499, messageContains: "NO SUCH", disposition: .permanent,
          reason: .keyInvalid),
        ClassificationRule(statuses: 400...499, disposition: .fatal, reason: "anyClientError"),
      ]))
    let matching = classifier.classify(
      ProviderResponse(status: 404, body: #"{"message":"no such user"}"#))
    #expect(matching.disposition == .permanent)
    let fallThrough = classifier.classify(
      ProviderResponse(status: 429, body: #"{"message":"slow down"}"#))
    #expect(fallThrough.reason == "anyClientError")
    let outside = classifier.classify(
      ProviderResponse(status: 500, body: #"{"message":"no such"}"#))
    #expect(outside.disposition == .retryable)
  }

  @Test func codeMatchesHeaderIdentifiersToo() {
    let classifier = ProviderErrorClassifier(
      configuration: .init(rules: [
        ClassificationRule(
          code: "ThrottlingException", disposition: .quotaExhausted, reason: .quotaExhausted)
      ]))
    let result = classifier.classify(
      ProviderResponse(
        status: 429,
        headers: ["x-amzn-errortype": "ThrottlingException:http://internal.amazon.com/"],
        body: "{}"))
    #expect(result.disposition == .quotaExhausted)
  }

  struct AlwaysFatal: FailureClassifying {
    func classify(_ response: ProviderResponse) -> Classification {
      Classification(disposition: .fatal, reason: "custom")
    }
    func classify(_ error: any Error) -> Classification {
      Classification(disposition: .fatal, reason: "custom")
    }
  }

  @Test func theClassifierCanBeReplacedEntirely() {
    let classifier: any FailureClassifying = AlwaysFatal()
    #expect(classifier.classify(ProviderResponse(status: 429)).reason == "custom")
  }
}
