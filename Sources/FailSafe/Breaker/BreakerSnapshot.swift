/// A breaker's state as plain values, to persist and restore (``CircuitBreaker/snapshot()``,
/// ``CircuitBreaker/restore(_:)``).
///
/// Clock-free: the cooldown is stored as the time remaining when the snapshot was taken, so a
/// store converts it to a wall-clock date by adding it to "now" and back by subtracting.
public struct BreakerSnapshot: Sendable, Hashable, Codable {
  /// The state. `halfOpen` restores as `open` with no time remaining (a probe is due).
  public var state: BreakerState
  /// Consecutive retryable failures since the last success (drives the threshold).
  public var consecutiveFailures: Int
  /// Consecutive trips since the last success (drives the cooldown: `cooldown(forStreak:)`).
  public var streak: Int
  /// Time left until the breaker admits a probe (open, suspended), or `nil` (none, or held
  /// open by an operator).
  public var cooldownRemaining: Duration?
  /// The last cooldown used, for decorrelated jitter.
  public var lastCooldown: Duration?
  /// The first error of the current episode (already redacted), or `nil`.
  public var firstError: Classification?
  /// Failures after ``firstError`` in the same episode (counted, not stored).
  public var repeatedErrors: Int
  /// Lifetime counters.
  public var counters: BreakerCounters

  /// Creates a snapshot.
  public init(
    state: BreakerState = .closed, consecutiveFailures: Int = 0, streak: Int = 0,
    cooldownRemaining: Duration? = nil, lastCooldown: Duration? = nil,
    firstError: Classification? = nil, repeatedErrors: Int = 0,
    counters: BreakerCounters = BreakerCounters()
  ) {
    self.state = state
    self.consecutiveFailures = consecutiveFailures
    self.streak = streak
    self.cooldownRemaining = cooldownRemaining
    self.lastCooldown = lastCooldown
    self.firstError = firstError
    self.repeatedErrors = repeatedErrors
    self.counters = counters
  }
}

/// Lifetime counts kept by a breaker. Successes are not counted: the success path writes nothing.
public struct BreakerCounters: Sendable, Hashable, Codable {
  /// Calls rejected without running.
  public var rejections: Int
  /// Failures recorded (any disposition except fatal).
  public var failures: Int
  /// Times the breaker opened because of retryable failures.
  public var trips: Int
  /// Half-open probes admitted.
  public var probes: Int

  /// Creates counters, all zero by default; negative values become zero.
  public init(rejections: Int = 0, failures: Int = 0, trips: Int = 0, probes: Int = 0) {
    self.rejections = max(0, rejections)
    self.failures = max(0, failures)
    self.trips = max(0, trips)
    self.probes = max(0, probes)
  }
}
