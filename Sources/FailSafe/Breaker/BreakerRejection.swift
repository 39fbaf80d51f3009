/// Why a breaker refused a call, decided before the caller's operation starts.
///
/// Thrown by ``CircuitBreaker/acquire()`` as a typed error, so rejecting allocates no
/// existential box. The first error is held by reference, so copying a rejection costs two
/// retains whatever the error's size.
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
  @usableFromInline let firstErrorRecord: ErrorRecord?

  /// The first error of the episode that opened, paused, suspended or killed the credential
  /// (already redacted by the classifier), or `nil` if an operator forced it.
  public var firstError: Classification? { firstErrorRecord?.classification }

  /// Creates a rejection.
  public init(
    credential: CredentialID, state: BreakerState, reopenAt: Instant?, retryAfter: Duration?,
    firstError: Classification?
  ) {
    self.init(
      credential: credential, state: state, reopenAt: reopenAt, retryAfter: retryAfter,
      firstErrorRecord: firstError.map(ErrorRecord.init))
  }

  @inlinable
  init(
    credential: CredentialID, state: BreakerState, reopenAt: Instant?, retryAfter: Duration?,
    firstErrorRecord: ErrorRecord?
  ) {
    self.credential = credential
    self.state = state
    self.reopenAt = reopenAt
    self.retryAfter = retryAfter
    self.firstErrorRecord = firstErrorRecord
  }

  /// Equal when every public field is equal.
  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.credential == rhs.credential && lhs.state == rhs.state && lhs.reopenAt == rhs.reopenAt
      && lhs.retryAfter == rhs.retryAfter && lhs.firstError == rhs.firstError
  }

  /// Hashes every public field.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(credential)
    hasher.combine(state)
    hasher.combine(reopenAt)
    hasher.combine(retryAfter)
    hasher.combine(firstError)
  }

  /// `credential <id> is <state>`, the wait if known, and the first error: safe to log.
  public var description: String {
    var text = "credential \(credential) is \(state)"
    if let retryAfter { text += " for \(retryAfter)" }
    if let firstError { text += " (first error: \(firstError))" }
    return text
  }
}
