/// Whether a credential can take a call now, for pools choosing among credentials.
public enum BreakerAvailability<Instant: InstantProtocol>: Sendable, Hashable {
  /// A call would be admitted now (closed, or a probe is due).
  case available
  /// No call now; `until` is when one will be admitted again, or `nil` if unknown (paused,
  /// forced open, or a probe is in flight).
  case unavailable(until: Instant?, state: BreakerState)
  /// The credential is dead until it is replaced or revived.
  case dead
}
