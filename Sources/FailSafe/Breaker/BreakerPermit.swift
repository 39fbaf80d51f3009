/// Permission for one call, from ``CircuitBreaker/acquire()``.
///
/// Report its outcome exactly once: ``CircuitBreaker/recordSuccess(_:)``,
/// ``CircuitBreaker/recordFailure(_:_:)`` or ``CircuitBreaker/recordCancellation(_:)``.
/// A permit is two words, no allocation. Its generation ties the report to the breaker state
/// that issued it: a report from an older generation is ignored (except `permanent`,
/// `unauthorized` and `quotaExhausted` verdicts, which describe the credential itself and apply
/// unless the credential was replaced or an operator acted since).
public struct BreakerPermit: Sendable, Hashable {
  /// The breaker's generation when the permit was issued; it changes on every transition.
  public let generation: UInt64
  /// Whether this permit is the single half-open probe.
  public let isProbe: Bool

  /// Creates a permit. Only the breaker issues meaningful ones.
  @inlinable
  init(generation: UInt64, isProbe: Bool) {
    self.generation = generation
    self.isProbe = isProbe
  }
}
