/// Why a breaker changed state.
public enum BreakerTransitionCause: Sendable, Hashable {
  /// A reported failure (its classification, already redacted).
  case failure(Classification)
  /// The half-open probe succeeded.
  case probeSucceeded
  /// The cooldown (or quota suspension) ended and a caller arrived: a probe is admitted.
  case cooldownExpired
  /// An operator action, or a credential replacement.
  case operatorAction(BreakerOperatorAction)
}
