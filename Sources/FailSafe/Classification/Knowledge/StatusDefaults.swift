/// What the status code alone says, used when nothing in the body or headers is more specific.
///
/// The safe defaults: an unrecognised 4xx is `fatal` for the request (never retried forever,
/// and never blamed on the credential); an unrecognised 5xx is `retryable`; `401` is
/// `unauthorized` (cannot tell expired from revoked), `402` is billing, `429` a rate limit.
enum StatusDefaults {
  /// The verdict for `status` alone.
  static func verdict(for status: Int) -> Verdict {
    let (disposition, reason) = decide(status)
    return .decided(disposition, reason, .status, source: "")
  }

  private static func decide(_ status: Int) -> (Disposition, FailureReason) {
    switch status {
    case 400, 422: return (.fatal, .badRequest)
    case 401: return (.unauthorized, .authenticationFailed)
    case 402: return (.quotaExhausted, .billing)
    case 403: return (.fatal, .permissionDenied)
    case 404, 410: return (.fatal, .notFound)
    case 408: return (.retryable, .timeout)
    case 409: return (.fatal, .conflict)
    case 413: return (.fatal, .payloadTooLarge)
    case 425, 429: return (.retryable, .rateLimited)
    case 451: return (.fatal, .regionUnsupported)
    case 499: return (.retryable, .connectionLost)
    case 400..<500: return (.fatal, .unknown)
    case 501, 505: return (.fatal, .badRequest)
    case 503, 529: return (.retryable, .overloaded)
    case 504, 522, 524, 598, 599: return (.retryable, .timeout)
    case 502, 520, 521, 523, 525, 526, 527, 530: return (.retryable, .gatewayError)
    case 500..<600: return (.retryable, .serverError)
    default: return (.fatal, .unknown)
    }
  }

  /// Whether a non-retryable category or wording may apply: a client error other than 408/429
  /// (a 429 or a 5xx keeps its retryable default unless something definitive says otherwise).
  static func isClientSide(_ status: Int) -> Bool {
    status < 500 && status != 429 && status != 408
  }
}

extension StatusDefaults {
  /// The reason the status alone gives.
  static func verdictReason(_ status: Int) -> FailureReason {
    if case .decided(_, let reason) = verdict(for: status).outcome { return reason }
    return .unknown
  }
}
