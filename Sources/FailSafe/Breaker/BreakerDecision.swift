/// What the locked part of ``CircuitBreaker/acquire()`` decided, in plain fields, so the
/// ``BreakerRejection`` is built once, after the lock is released.
@usableFromInline
enum BreakerDecision: Sendable {
  /// The call may go ahead.
  case admitted(BreakerPermit)
  /// The call is refused.
  case rejected(BreakerRefusal)
}
