/// What every breaker of one registry shares: the clock, the (sanitised) policy, the event
/// hub and the origin instant the machines measure time from (read from the clock once, here).
/// Shared by reference so an idle breaker stays small.
@usableFromInline
final class BreakerEnvironment<C: Clock>: Sendable where C.Duration == Duration {
  @usableFromInline let clock: C
  @usableFromInline let policy: BreakerPolicy
  @usableFromInline let hub: BreakerEventHub<C.Instant>
  @usableFromInline let origin: BreakerOrigin<C.Instant>
  /// Reports state changes to pools waiting for a usable credential.
  @usableFromInline let changes = BreakerChangeSignal()

  @usableFromInline
  init(clock: C, policy: BreakerPolicy, observer: (@Sendable (BreakerEvent<C.Instant>) -> Void)?) {
    self.clock = clock
    self.policy = policy.sanitized
    self.hub = BreakerEventHub(observer: observer)
    self.origin = BreakerOrigin(clock.now)
  }

  /// Now, as an offset from ``origin``: the machine's time.
  @inlinable var now: Duration { origin.offset(of: clock.now) }

  /// `instant` as an offset from ``origin``.
  @inlinable func offset(of instant: C.Instant) -> Duration {
    origin.offset(of: instant)
  }
}
