import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Classifies errors thrown instead of a response: cancellation, `URLError`, POSIX errors.
///
/// Cancellation (`CancellationError`, `URLError.cancelled`, `ECANCELED`) is
/// `fatal`/``FailureReason/cancelled``: the work must not be retried, and because `fatal`
/// leaves the credential untouched, a breaker that knows nothing of cancellation already treats
/// it as neutral. Connection and DNS failures are `retryable`/``FailureReason/connectionLost``,
/// timeouts `retryable`/``FailureReason/timeout``, malformed server answers
/// `retryable`/``FailureReason/serverError``, and configuration mistakes (bad URL, TLS trust)
/// `fatal`. An error nothing here recognises is `retryable`/``FailureReason/unknown``: the
/// executor's attempt limit and the breaker bound it.
enum TransportErrorClassifier {
  /// The classification of `error`.
  static func classify(_ error: any Error) -> Classification {
    if error is CancellationError { return make(.fatal, .cancelled, "cancelled") }
    if let urlError = error as? URLError { return classify(urlError.code) }
    if let posixError = error as? POSIXError { return classify(posix: posixError.code.rawValue) }
    if error is DecodingError || error is EncodingError {
      return make(.fatal, .badRequest, "could not encode or decode the body")
    }
    let nsError = error as NSError
    if nsError.domain == NSURLErrorDomain {
      return classify(URLError.Code(rawValue: nsError.code) ?? .unknown)
    }
    if nsError.domain == NSPOSIXErrorDomain, let code = Int32(exactly: nsError.code) {
      return classify(posix: code)
    }
    return make(
      .retryable, .unknown,
      SecretRedactor.redact(String(String(describing: type(of: error)).prefix(80))))
  }

  private static func classify(_ code: URLError.Code) -> Classification {
    let evidence = "URLError \(code.rawValue)"
    switch code {
    case .cancelled, .userCancelledAuthentication:
      return make(.fatal, .cancelled, evidence)
    case .timedOut:
      return make(.retryable, .timeout, evidence)
    case .cannotFindHost, .cannotConnectToHost, .networkConnectionLost, .dnsLookupFailed,
      .notConnectedToInternet, .internationalRoamingOff, .callIsActive, .dataNotAllowed,
      .secureConnectionFailed, .cannotLoadFromNetwork, .backgroundSessionWasDisconnected:
      return make(.retryable, .connectionLost, evidence)
    case .badServerResponse, .cannotParseResponse, .zeroByteResource, .cannotDecodeRawData,
      .cannotDecodeContentData, .resourceUnavailable:
      return make(.retryable, .serverError, evidence)
    case .userAuthenticationRequired:
      return make(.unauthorized, .credentialMissing, evidence)
    case .dataLengthExceedsMaximum:
      return make(.fatal, .payloadTooLarge, evidence)
    case .badURL, .unsupportedURL, .fileDoesNotExist, .fileIsDirectory, .noPermissionsToReadFile,
      .httpTooManyRedirects, .redirectToNonExistentLocation, .serverCertificateUntrusted,
      .serverCertificateHasBadDate, .serverCertificateHasUnknownRoot,
      .serverCertificateNotYetValid, .clientCertificateRejected, .clientCertificateRequired,
      .appTransportSecurityRequiresSecureConnection, .requestBodyStreamExhausted:
      return make(.fatal, .badRequest, evidence)
    default:
      return make(.retryable, .connectionLost, evidence)
    }
  }

  private static func classify(posix code: Int32) -> Classification {
    let evidence = "POSIX error \(code)"
    switch code {
    case ECANCELED:
      return make(.fatal, .cancelled, evidence)
    case ETIMEDOUT:
      return make(.retryable, .timeout, evidence)
    case ECONNRESET, ECONNREFUSED, ECONNABORTED, ENETDOWN, ENETUNREACH, ENETRESET, EHOSTUNREACH,
      EHOSTDOWN, EPIPE, ENOTCONN, ESHUTDOWN, EAGAIN, EINTR:
      return make(.retryable, .connectionLost, evidence)
    case EMSGSIZE:
      return make(.fatal, .payloadTooLarge, evidence)
    case EACCES, EPERM:
      return make(.fatal, .permissionDenied, evidence)
    default:
      return make(.retryable, .unknown, evidence)
    }
  }

  private static func make(
    _ disposition: Disposition, _ reason: FailureReason, _ evidence: String
  ) -> Classification {
    Classification(disposition: disposition, reason: reason, retryAfter: nil, evidence: evidence)
  }
}
