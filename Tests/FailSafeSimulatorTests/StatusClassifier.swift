import FailSafe

/// A test classifier that reads only the status and the one body word the scenarios need, so
/// these tests do not depend on the built-in classifier's rules.
struct StatusClassifier: FailureClassifying {
  func classify(_ response: ProviderResponse) -> Classification {
    let body = String(decoding: response.body, as: UTF8.self)
    switch response.status {
    case 400 where body.contains("API_KEY_INVALID"), 401 where body.contains("invalid_api_key"):
      return Classification(disposition: .permanent, reason: .keyInvalid)
    case 401: return Classification(disposition: .unauthorized, reason: .tokenExpired)
    case 429: return Classification(disposition: .retryable, reason: .rateLimited)
    case 500...599: return Classification(disposition: .retryable, reason: .overloaded)
    default: return Classification(disposition: .fatal, reason: .badRequest)
    }
  }

  func classify(_ error: any Error) -> Classification {
    Classification(disposition: .retryable, reason: .connectionLost)
  }
}
