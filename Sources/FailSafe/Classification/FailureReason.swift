/// A machine-readable reason for a classification, finer-grained than its ``Disposition``.
///
/// Reasons are open-ended strings so user rules can add their own; the well-known ones are
/// provided as static members. The raw value is stable and safe to log or export as a label.
public struct FailureReason: RawRepresentable, Sendable, Hashable, Codable,
  ExpressibleByStringLiteral, CustomStringConvertible
{
  /// The stable, lower-camel-case name of the reason, such as `"keyInvalid"`.
  public let rawValue: String

  /// Creates a reason from its stable name.
  public init(rawValue: String) { self.rawValue = rawValue }

  /// Creates a reason from a string literal, such as `"keyInvalid"`.
  public init(stringLiteral value: String) { self.rawValue = value }

  /// The stable name, identical to ``rawValue``.
  public var description: String { rawValue }
}

extension FailureReason {
  // Retryable.
  /// The provider throttled the caller for a short window (requests or tokens per minute).
  public static let rateLimited: FailureReason = "rateLimited"
  /// The provider is overloaded (Anthropic 529, 503 "overloaded", capacity errors).
  public static let overloaded: FailureReason = "overloaded"
  /// A 5xx answer from the provider's own servers.
  public static let serverError: FailureReason = "serverError"
  /// A proxy or gateway in front of the provider failed (502, 504, Cloudflare 52x).
  public static let gatewayError: FailureReason = "gatewayError"
  /// The request or the connection timed out.
  public static let timeout: FailureReason = "timeout"
  /// The connection was lost, refused or reset, or the host could not be reached.
  public static let connectionLost: FailureReason = "connectionLost"

  // Fatal for the request.
  /// The request is malformed or invalid as sent.
  public static let badRequest: FailureReason = "badRequest"
  /// The model, endpoint or resource does not exist (or the credential cannot see it).
  public static let notFound: FailureReason = "notFound"
  /// The prompt or the requested output exceeds the model's context window.
  public static let contextTooLong: FailureReason = "contextTooLong"
  /// The request body is larger than the provider accepts.
  public static let payloadTooLarge: FailureReason = "payloadTooLarge"
  /// The content was refused by a safety or content policy.
  public static let contentPolicy: FailureReason = "contentPolicy"
  /// The provider does not serve the caller's country, region or location.
  public static let regionUnsupported: FailureReason = "regionUnsupported"
  /// The request alone is larger than the whole rate-limit window, so waiting cannot help.
  public static let requestExceedsLimit: FailureReason = "requestExceedsLimit"
  /// The caller lacks permission for this particular resource or feature.
  public static let permissionDenied: FailureReason = "permissionDenied"
  /// The request conflicts with the resource's current state.
  public static let conflict: FailureReason = "conflict"
  /// A payment made by the request was declined (an end customer's card); the caller's
  /// credential and account are fine.
  public static let paymentDeclined: FailureReason = "paymentDeclined"
  /// The server lacks the memory or hardware this request needs, every time it is sent.
  public static let insufficientResources: FailureReason = "insufficientResources"

  // Unauthorized.
  /// A short-lived token (OAuth, STS) expired; a refresh should fix it.
  public static let tokenExpired: FailureReason = "tokenExpired"
  /// No credential was sent, or it was empty.
  public static let credentialMissing: FailureReason = "credentialMissing"
  /// The credential was rejected without saying whether it is expired or revoked.
  public static let authenticationFailed: FailureReason = "authenticationFailed"

  // Permanent.
  /// The key is malformed, unknown or invalid.
  public static let keyInvalid: FailureReason = "keyInvalid"
  /// The key was revoked, deleted, or disabled after a leak.
  public static let keyRevoked: FailureReason = "keyRevoked"
  /// A key or credential that expired and must be re-issued rather than refreshed.
  public static let keyExpired: FailureReason = "keyExpired"
  /// The account, project or organisation is deactivated, suspended or banned.
  public static let accountDisabled: FailureReason = "accountDisabled"

  // Quota.
  /// A long-window quota (per day, per month, project quota) is used up.
  public static let quotaExhausted: FailureReason = "quotaExhausted"
  /// Billing stopped the credential: no credit, a spend limit, a payment failure.
  public static let billing: FailureReason = "billing"

  // Neither success nor failure, or nothing known.
  /// The caller cancelled the work; the breaker treats it as neutral.
  public static let cancelled: FailureReason = "cancelled"
  /// Nothing more specific is known.
  public static let unknown: FailureReason = "unknown"
}
