/// Why a breaker refused a call, decided before the caller's operation starts.
///
/// Thrown by ``CircuitBreaker/acquire()`` as a typed error, so rejecting allocates no
/// existential box.
public struct BreakerRejection<Instant: InstantProtocol>: Error, Sendable, Hashable,
  CustomStringConvertible
{
  /// The credential whose breaker refused.
  public let credential: CredentialID
  /// The state that refused: open, halfOpen (a probe is out), dead, paused or suspended.
  public let state: BreakerState
  /// When the breaker will admit a call again (a probe), or `nil` if no time is known: dead,
  /// paused, forced open, or half-open with a probe in flight.
  public let reopenAt: Instant?
  /// How long from the rejection until ``reopenAt``, or `nil` when that is unknown.
  public let retryAfter: Duration?
  /// The first error of the episode that opened, paused, suspended or killed the credential
  /// (already redacted by the classifier), or `nil` if an operator forced it.
  public let firstError: Classification?

  /// Creates a rejection.
  @inlinable
  public init(
    credential: CredentialID, state: BreakerState, reopenAt: Instant?, retryAfter: Duration?,
    firstError: Classification?
  ) {
    self.credential = credential
    self.state = state
    self.reopenAt = reopenAt
    self.retryAfter = retryAfter
    self.firstError = firstError
  }

  /// `credential <id> is <state>`, the wait if known, and the first error: safe to log.
  public var description: String {
    var text = "credential \(credential) is \(state)"
    if let retryAfter { text += " for \(retryAfter)" }
    if let firstError { text += " (first error: \(firstError))" }
    return text
  }
}
