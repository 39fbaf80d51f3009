/// What every breaker of one registry shares: the clock, the (sanitised) policy and the event
/// hub. Shared by reference so an idle breaker stays small.
final class BreakerEnvironment<C: Clock>: Sendable where C.Duration == Duration {
  let clock: C
  let policy: BreakerPolicy
  let hub: BreakerEventHub<C.Instant>

  init(clock: C, policy: BreakerPolicy, observer: (@Sendable (BreakerEvent<C.Instant>) -> Void)?) {
    self.clock = clock
    self.policy = policy.sanitized
    self.hub = BreakerEventHub(observer: observer)
  }
}
