import FailSafe
import FailSafeTesting
import Foundation

/// Deterministic breaker settings for tests: open after `threshold` retryable failures,
/// cooldown 5 s doubling to 60 s, no jitter.
func testBreakerPolicy(threshold: Int = 3) -> BreakerPolicy {
  BreakerPolicy(
    failureThreshold: threshold,
    backoff: BackoffPolicy(base: .seconds(5), maximum: .seconds(60), jitter: .none))
}

/// A retry configuration without jitter: backoff 1 s doubling to 30 s.
func testRetryConfiguration(
  maxAttempts: Int = 4, deadline: Duration? = nil, attemptTimeout: Duration? = nil,
  credentialWait: Duration = .zero
) -> RetryConfiguration {
  RetryConfiguration(
    maxAttempts: maxAttempts, deadline: deadline, attemptTimeout: attemptTimeout,
    backoff: BackoffPolicy(base: .seconds(1), maximum: .seconds(30), jitter: .none),
    credentialWait: credentialWait)
}

/// An executor over a pool of `keys` (ids equal to the key values) on `clock`.
func makeExecutor(
  keys: [String] = ["key-a"], clock: ManualClock, selection: CredentialSelection = .roundRobin,
  breakerPolicy: BreakerPolicy = testBreakerPolicy(),
  configuration: RetryConfiguration = testRetryConfiguration(),
  budget: RetryBudget? = RetryBudget(),
  refreshing: CredentialRefreshing<String>? = nil,
  classifier: any FailureClassifying = TestClassifier()
) throws -> ClockedRetryExecutor<String, ManualClock> {
  let registry = BreakerRegistry(policy: breakerPolicy, clock: clock, random: { _ in .seeded(1) })
  let pool = try ClockedCredentialPool(
    keys.map { (CredentialID($0), $0) }, registry: registry, selection: selection,
    refreshing: refreshing)
  return ClockedRetryExecutor(
    pool: pool, classifier: classifier, configuration: configuration, budget: budget,
    random: .seeded(7))
}

/// An HTTP-like answer for fake operations.
func answer(_ status: Int, _ body: String = "", retryAfter: Int? = nil) -> ProviderResponseError {
  var headers = HTTPHeaderFields()
  if let retryAfter { headers.append(name: "Retry-After", value: "\(retryAfter)") }
  return ProviderResponseError(ProviderResponse(status: status, headers: headers, body: body))
}

/// Gemini's answer for a revoked or invalid key.
let apiKeyInvalid = answer(
  400, #"{"error":{"code":400,"status":"INVALID_ARGUMENT","reason":"API_KEY_INVALID"}}"#)

/// Records which credential each call of a fake operation used, in order.
final class CallLog: Sendable {
  private let calls = LockedValue<[String]>([])
  func append(_ key: String) { calls.withLock { $0.append(key) } }
  var all: [String] { calls.value }
  var count: Int { calls.value.count }
  func count(of key: String) -> Int { calls.value.filter { $0 == key }.count }
}
