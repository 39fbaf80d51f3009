import FailSafe
import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// An error that carries its classification, so tests can make an operation fail exactly as
/// they need.
struct ScriptedFailure: Error, Sendable, Equatable {
  let classification: Classification

  init(_ disposition: Disposition, _ reason: FailureReason, retryAfter: Duration? = nil) {
    classification = Classification(
      disposition: disposition, reason: reason, retryAfter: retryAfter, evidence: "scripted")
  }
}

/// A small, predictable classifier for tests, so these tests do not depend on the real one.
///
/// Statuses: 429 retryable (with `retry-after` seconds), 5xx retryable, 401 unauthorized,
/// 400 with `API_KEY_INVALID` and 403 permanent, 402 quota, other 4xx fatal.
struct TestClassifier: FailureClassifying {
  func classify(_ response: ProviderResponse) -> Classification {
    let body = String(decoding: response.body, as: UTF8.self)
    let wait = response.headers["retry-after"].flatMap(Int.init).map { Duration.seconds($0) }
    let evidence = "HTTP \(response.status)"
    switch response.status {
    case 429:
      return Classification(
        disposition: .retryable, reason: .rateLimited, retryAfter: wait, evidence: evidence)
    case 500...599:
      return Classification(
        disposition: .retryable, reason: .serverError, retryAfter: wait, evidence: evidence)
    case 401:
      return Classification(disposition: .unauthorized, reason: .tokenExpired, evidence: evidence)
    case 402:
      return Classification(
        disposition: .quotaExhausted, reason: .billing, retryAfter: wait, evidence: evidence)
    case 403:
      return Classification(disposition: .permanent, reason: .keyRevoked, evidence: evidence)
    case 400 where body.contains("API_KEY_INVALID"):
      return Classification(disposition: .permanent, reason: .keyInvalid, evidence: evidence)
    default:
      return Classification(disposition: .fatal, reason: .badRequest, evidence: evidence)
    }
  }

  func classify(_ error: any Error) -> Classification {
    if let scripted = error as? ScriptedFailure { return scripted.classification }
    if error is CancellationError {
      return Classification(disposition: .fatal, reason: .cancelled, evidence: "cancelled")
    }
    if let urlError = error as? URLError {
      let reason: FailureReason = urlError.code == .timedOut ? .timeout : .connectionLost
      return Classification(
        disposition: .retryable, reason: reason, evidence: "URLError \(urlError.code.rawValue)")
    }
    return Classification(disposition: .fatal, reason: .unknown, evidence: "\(type(of: error))")
  }
}
