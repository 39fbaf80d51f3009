/// Why a breaker refused a call, decided before the caller's operation starts.
///
/// Thrown by ``CircuitBreaker/acquire()`` as a typed error, so rejecting allocates no
/// existential box. The first error and the reopen instant's origin are held by reference and
/// the deadline as a `Duration`, so the rejection's layout is fixed even for a resilient
/// `Instant` (`ContinuousClock.Instant`): copying one is a plain copy plus a few retains,
/// never a call through generic value witnesses.
public struct BreakerRejection<Instant: InstantProtocol>: Error, Sendable, Hashable,
  CustomStringConvertible
{
  /// The credential whose breaker refused.
  public let credential: CredentialID
  /// The state that refused: open, halfOpen (a probe is out), dead, paused or suspended.
  public let state: BreakerState
  /// When the breaker will admit a call again (a probe), or `nil` if no time is known: dead,
  /// paused, forced open, or half-open with a probe in flight.
  public var reopenAt: Instant? {
    guard let reopenOrigin, let reopenOffset else { return nil }
    return reopenOrigin.instant(reopenOffset)
  }
  /// How long from the rejection until ``reopenAt``, or `nil` when that is unknown.
  public let retryAfter: Duration?
  @usableFromInline let firstErrorRecord: ErrorRecord?
  /// ``reopenAt`` is `reopenOrigin + reopenOffset`; both are `nil` when no time is known.
  @usableFromInline let reopenOrigin: BreakerOrigin<Instant>?
  @usableFromInline let reopenOffset: Instant.Duration?

  /// The first error of the episode that opened, paused, suspended or killed the credential
  /// (already redacted by the classifier), or `nil` if an operator forced it.
  public var firstError: Classification? { firstErrorRecord?.classification }

  /// Creates a rejection.
  public init(
    credential: CredentialID, state: BreakerState, reopenAt: Instant?, retryAfter: Duration?,
    firstError: Classification?
  ) {
    self.init(
      credential: credential, state: state, reopenOrigin: reopenAt.map(BreakerOrigin.init),
      reopenOffset: reopenAt == nil ? nil : .zero, retryAfter: retryAfter,
      firstErrorRecord: firstError.map(ErrorRecord.init))
  }

  @inlinable
  init(
    credential: CredentialID, state: BreakerState, reopenOrigin: BreakerOrigin<Instant>?,
    reopenOffset: Instant.Duration?, retryAfter: Duration?, firstErrorRecord: ErrorRecord?
  ) {
    self.credential = credential
    self.state = state
    self.reopenOrigin = reopenOrigin
    self.reopenOffset = reopenOffset
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
