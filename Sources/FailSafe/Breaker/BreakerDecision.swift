/// What the locked part of ``CircuitBreaker/acquire()`` decided, so the ``BreakerRejection`` is
/// built once, after the lock is released.
@usableFromInline
enum BreakerDecision<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
  /// The call may go ahead.
  case admitted(BreakerPermit)
  /// The call is refused.
  case rejected(BreakerRefusal<Instant>)
}
