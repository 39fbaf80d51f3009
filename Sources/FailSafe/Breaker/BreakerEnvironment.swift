/// What every breaker of one registry shares: the clock, the (sanitised) policy and the event
/// hub. Shared by reference so an idle breaker stays small.
@usableFromInline
final class BreakerEnvironment<C: Clock>: Sendable where C.Duration == Duration {
  @usableFromInline let clock: C
  @usableFromInline let policy: BreakerPolicy
  @usableFromInline let hub: BreakerEventHub<C.Instant>

  @usableFromInline
  init(clock: C, policy: BreakerPolicy, observer: (@Sendable (BreakerEvent<C.Instant>) -> Void)?) {
    self.clock = clock
    self.policy = policy.sanitized
    self.hub = BreakerEventHub(observer: observer)
  }
}
