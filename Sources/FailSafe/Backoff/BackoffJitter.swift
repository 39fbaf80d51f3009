/// How a computed cooldown is randomised so that many clients do not retry in lock step.
///
/// With `d` the capped exponential cooldown and `r` a uniform draw:
/// - ``none``: `d`.
/// - ``full``: `r` in `0...d`.
/// - ``equal``: `d/2 + r` with `r` in `0...d/2`.
/// - ``decorrelated``: `r` in `base...(3 * previous)`, capped at the maximum, where `previous`
///   is the last cooldown (or `base` for the first).
public enum BackoffJitter: String, Sendable, Hashable, Codable, CaseIterable {
  /// No randomness: the cooldown is exactly the capped exponential value.
  case none
  /// Uniform in zero through the capped exponential value.
  case full
  /// Half the capped value, plus a uniform draw over the other half.
  case equal
  /// Uniform between the base and three times the previous cooldown, capped.
  case decorrelated
}
