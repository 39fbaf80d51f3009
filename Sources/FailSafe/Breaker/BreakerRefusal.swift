/// A refused call as plain fields read under the breaker's lock; ``CircuitBreaker`` turns it
/// into a ``BreakerRejection`` after releasing the lock.
@usableFromInline
struct BreakerRefusal: Sendable {
  /// The state that refused.
  @usableFromInline let state: BreakerState
  /// The reopen deadline as an offset from the breaker's origin, if one is known.
  @usableFromInline let reopenAt: Duration?
  /// The episode's first error.
  @usableFromInline let firstErrorRecord: ErrorRecord?

  @inlinable init(state: BreakerState, reopenAt: Duration?, firstErrorRecord: ErrorRecord?) {
    self.state = state
    self.reopenAt = reopenAt
    self.firstErrorRecord = firstErrorRecord
  }
}
