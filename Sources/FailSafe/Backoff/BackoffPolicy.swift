/// Capped exponential backoff: how long a breaker stays open after its `streak`-th trip.
///
/// `cooldown(forStreak: n) = min(base * 2^(n-1), maximum)`, for `n >= 1`; a streak of zero or
/// less counts as 1. The exponent is clamped before doubling, so `Int.max` or a corrupted
/// negative streak still yields a valid duration in `0...maximum`, never a trap.
/// ``jitter`` then randomises that value (see ``BackoffJitter``).
public struct BackoffPolicy: Sendable, Hashable, Codable {
  /// The first cooldown. Negative values count as zero.
  public var base: Duration
  /// The cap on every cooldown. A cap below ``base`` wins over it.
  public var maximum: Duration
  /// How the capped value is randomised.
  public var jitter: BackoffJitter

  /// Creates a policy. Defaults suit paid APIs: 5 s, doubling to a 10 min cap, equal jitter.
  public init(
    base: Duration = .seconds(5), maximum: Duration = .seconds(600), jitter: BackoffJitter = .equal
  ) {
    self.base = base
    self.maximum = maximum
    self.jitter = jitter
  }

  /// The cap actually applied: ``maximum`` but never negative.
  private var effectiveMaximum: Duration { max(maximum, .zero) }

  /// The base actually applied: ``base`` clamped into `0...maximum`.
  private var effectiveBase: Duration { min(max(base, .zero), effectiveMaximum) }

  /// `min(base * 2^(streak-1), maximum)` without jitter. Streaks below 1 count as 1.
  public func cooldown(forStreak streak: Int) -> Duration {
    let cap = effectiveMaximum
    var value = effectiveBase
    // Clamp the exponent first: past 127 doublings any positive base exceeds every Duration.
    let doublings = min(max(streak, 1) - 1, 127)
    if value == .zero { return .zero }
    for _ in 0..<doublings {
      // Compare against half the cap before doubling, so the product can never overflow.
      if value >= cap / 2 { return cap }
      value = value * 2
    }
    return min(value, cap)
  }

  /// The cooldown for `streak` with ``jitter`` applied, drawing from `random`.
  ///
  /// `previous` is the last cooldown this breaker used; only ``BackoffJitter/decorrelated``
  /// reads it (`nil` means `base`). The result always lies in `0...maximum`.
  public func cooldown<R: RandomNumberGenerator>(
    forStreak streak: Int, previous: Duration? = nil, using random: inout R
  ) -> Duration {
    let capped = cooldown(forStreak: streak)
    switch jitter {
    case .none:
      return capped
    case .full:
      return Self.uniform(from: .zero, through: capped, using: &random)
    case .equal:
      let half = capped / 2
      return half + Self.uniform(from: .zero, through: capped - half, using: &random)
    case .decorrelated:
      let low = effectiveBase
      let last = min(max(previous ?? low, low), effectiveMaximum)
      // 3 * last cannot overflow: last is at most the cap, and the cap bounds the result.
      let high = last >= effectiveMaximum / 3 ? effectiveMaximum : last * 3
      return min(Self.uniform(from: low, through: max(high, low), using: &random), effectiveMaximum)
    }
  }

  /// A uniform draw in `low...high` at nanosecond resolution (spans past ~292 years saturate).
  private static func uniform<R: RandomNumberGenerator>(
    from low: Duration, through high: Duration, using random: inout R
  ) -> Duration {
    guard high > low else { return low }
    let span = nanoseconds(high - low)
    let draw = span == .max ? random.next() : random.next(upperBound: span + 1)
    return low + .nanoseconds(Int64(clamping: draw))
  }

  /// A non-negative duration in whole nanoseconds, saturating at `UInt64.max`.
  private static func nanoseconds(_ duration: Duration) -> UInt64 {
    let (seconds, attoseconds) = duration.components
    guard seconds >= 0 else { return 0 }
    let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
    if overflow { return .max }
    let (sum, sumOverflow) = whole.addingReportingOverflow(UInt64(attoseconds / 1_000_000_000))
    return sumOverflow ? .max : sum
  }
}
