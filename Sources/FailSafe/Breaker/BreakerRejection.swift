/// Why a breaker refused a call, decided before the caller's operation starts.
///
/// Thrown by ``CircuitBreaker/acquire()`` as a typed error, so rejecting allocates no
/// existential box. Everything but the wait lives in one immutable record that the breaker
/// shares between all rejections of the same state, so a rejection is that one reference and
/// a `Duration`: its layout is fixed even for a resilient `Instant` (`ContinuousClock.Instant`),
/// and making or dropping one costs one retain and one release.
public struct BreakerRejection<Instant: InstantProtocol>: Error, Sendable, Hashable,
  CustomStringConvertible
where Instant.Duration == Duration {
  @usableFromInline let refusal: BreakerRefusal<Instant>
  /// How long from the rejection until ``reopenAt``, or `nil` when that is unknown.
  public let retryAfter: Duration?

  /// The credential whose breaker refused.
  public var credential: CredentialID { refusal.credential }
  /// The state that refused: open, halfOpen (a probe is out), dead, paused or suspended.
  public var state: BreakerState { refusal.state }
  /// When the breaker will admit a call again (a probe), or `nil` if no time is known: dead,
  /// paused, forced open, or half-open with a probe in flight.
  public var reopenAt: Instant? {
    guard let offset = refusal.reopenAt, let origin = refusal.origin else { return nil }
    return origin.instant(offset)
  }
  /// The first error of the episode that opened, paused, suspended or killed the credential
  /// (already redacted by the classifier), or `nil` if an operator forced it.
  public var firstError: Classification? { refusal.firstErrorRecord?.classification }

  /// Creates a rejection.
  public init(
    credential: CredentialID, state: BreakerState, reopenAt: Instant?, retryAfter: Duration?,
    firstError: Classification?
  ) {
    // A stand-alone rejection is its own origin: `reopenAt` is the origin plus zero.
    self.init(
      refusal: BreakerRefusal(
        credential: credential, state: state, origin: reopenAt.map(BreakerOrigin.init),
        reopenAt: reopenAt == nil ? nil : .zero, firstErrorRecord: firstError.map(ErrorRecord.init)),
      retryAfter: retryAfter)
  }

  @inlinable
  init(refusal: BreakerRefusal<Instant>, retryAfter: Duration?) {
    self.refusal = refusal
    self.retryAfter = retryAfter
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
