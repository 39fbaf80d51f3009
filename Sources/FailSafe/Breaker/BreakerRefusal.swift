/// Everything a rejection says except the wait: which credential, which state, until when and
/// the episode's first error. Immutable, so one instance serves every rejection of a state.
///
/// The machine builds one when a state first refuses a call and keeps it in its episode record
/// until the state, the reopen deadline or the first error changes; each later rejection in that
/// state takes the same object. A ``BreakerRejection`` then holds one reference (one retain,
/// one release) instead of the credential, the origin and the first error separately.
@usableFromInline
final class BreakerRefusal<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
  /// The credential whose breaker refused.
  @usableFromInline let credential: CredentialID
  /// The state that refused.
  @usableFromInline let state: BreakerState
  /// Turns ``reopenAt`` back into an instant (`nil` only for a rejection made by hand without
  /// a reopen instant).
  @usableFromInline let origin: BreakerOrigin<Instant>?
  /// The reopen deadline as an offset from ``origin``, if one is known.
  @usableFromInline let reopenAt: Duration?
  /// The episode's first error.
  @usableFromInline let firstErrorRecord: ErrorRecord?

  @inlinable
  init(
    credential: CredentialID, state: BreakerState, origin: BreakerOrigin<Instant>?,
    reopenAt: Duration?, firstErrorRecord: ErrorRecord?
  ) {
    self.credential = credential
    self.state = state
    self.origin = origin
    self.reopenAt = reopenAt
    self.firstErrorRecord = firstErrorRecord
  }
}
