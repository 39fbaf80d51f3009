/// What one failed call means for the request and for the credential that sent it.
///
/// The five cases are the whole vocabulary the breaker and the executor act on; a classifier
/// maps every provider response and transport error onto exactly one of them.
public enum Disposition: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible
{
  /// Transient: rate limit, overload, 5xx, gateway errors, timeouts, connection loss.
  /// Counts toward the credential's failure streak; retry after the backoff or the provider's wait.
  case retryable
  /// The request can never succeed as sent (bad request, unknown model, context too long, ...).
  /// The credential is healthy; the request fails at once and is not retried.
  case fatal
  /// The credential was rejected but may be fixed by refreshing or replacing it.
  /// Refresh once if a refresher exists; otherwise pause the credential until it changes.
  case unauthorized
  /// The credential is dead (invalid, revoked, leaked, suspended account).
  /// Terminal: no refresh, no probe; only a replacement or an operator revive brings it back.
  case permanent
  /// Billing or long-window quota is exhausted. The credential is suspended until the
  /// provider's reset time, or a long capped cooldown; other credentials are used meanwhile.
  case quotaExhausted

  /// The stable wire name, identical to `rawValue`.
  public var description: String { rawValue }
}
