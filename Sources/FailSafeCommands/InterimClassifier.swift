import FailSafe

/// TEMPORARY: a status-and-keyword stand-in used by `failsafe simulate` until the built-in
/// provider classifier lands; it knows only the bodies the built-in scenarios replay.
struct InterimClassifier: FailureClassifying {
  func classify(_ response: ProviderResponse) -> Classification {
    let body = String(decoding: response.body.prefix(4_096), as: UTF8.self)
    switch response.status {
    case 400 where body.contains("API_KEY_INVALID"):
      return Classification(disposition: .permanent, reason: .keyInvalid)
    case 401 where body.contains("invalid_api_key"):
      return Classification(disposition: .permanent, reason: .keyRevoked)
    case 400 where body.contains("invalid_grant"):
      return Classification(disposition: .permanent, reason: .keyRevoked)
    case 401: return Classification(disposition: .unauthorized, reason: .tokenExpired)
    case 429: return Classification(disposition: .retryable, reason: .rateLimited)
    case 503, 529: return Classification(disposition: .retryable, reason: .overloaded)
    case 500...599: return Classification(disposition: .retryable, reason: .serverError)
    default: return Classification(disposition: .fatal, reason: .badRequest)
    }
  }

  func classify(_ error: any Error) -> Classification {
    Classification(disposition: .retryable, reason: .connectionLost)
  }
}
