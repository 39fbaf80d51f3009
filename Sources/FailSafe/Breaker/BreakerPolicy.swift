/// When a breaker opens, and for how long.
///
/// Every duration is clamped into `0...maximumDuration` (100 years) before use, so no setting
/// can overflow an instant.
public struct BreakerPolicy: Sendable, Hashable, Codable {
  /// Consecutive retryable failures (in the closed state) that open the breaker. Values below 1
  /// count as 1.
  public var failureThreshold: Int
  /// Whether a retryable failure carrying a provider wait (`retryAfter`) opens the breaker at
  /// once, whatever the threshold.
  public var opensOnProviderWait: Bool
  /// The cooldown schedule: `backoff.cooldown(forStreak: streak)` after the streak-th trip.
  public var backoff: BackoffPolicy
  /// The cap on a wait the provider asked for; a capped provider wait replaces the computed
  /// cooldown.
  public var maximumProviderWait: Duration
  /// How long a `quotaExhausted` credential stays suspended when the provider gave no reset
  /// time.
  public var quotaCooldown: Duration
  /// The cap on a quota reset wait the provider gave.
  public var maximumQuotaWait: Duration
  /// How long the half-open probe may stay out before its permit lapses and another caller
  /// becomes the probe.
  public var probeLeaseTimeout: Duration

  /// The cap applied to every duration setting: 100 years.
  public static let maximumDuration: Duration = .seconds(100 * 365 * 86_400)

  /// Creates a policy. The defaults suit paid APIs: open after 3 consecutive retryable failures
  /// or at once on a provider wait; 5 s doubling to 10 min; provider waits capped at 15 min;
  /// quota suspended 1 h without a reset time, reset waits capped at 24 h; probes leased 2 min.
  public init(
    failureThreshold: Int = 3,
    opensOnProviderWait: Bool = true,
    backoff: BackoffPolicy = BackoffPolicy(),
    maximumProviderWait: Duration = .seconds(900),
    quotaCooldown: Duration = .seconds(3_600),
    maximumQuotaWait: Duration = .seconds(86_400),
    probeLeaseTimeout: Duration = .seconds(120)
  ) {
    self.failureThreshold = failureThreshold
    self.opensOnProviderWait = opensOnProviderWait
    self.backoff = backoff
    self.maximumProviderWait = maximumProviderWait
    self.quotaCooldown = quotaCooldown
    self.maximumQuotaWait = maximumQuotaWait
    self.probeLeaseTimeout = probeLeaseTimeout
  }

  /// This policy with every setting clamped into its valid range.
  var sanitized: BreakerPolicy {
    func clamp(_ duration: Duration) -> Duration {
      min(max(duration, .zero), Self.maximumDuration)
    }
    var copy = self
    copy.failureThreshold = max(failureThreshold, 1)
    copy.backoff.base = clamp(backoff.base)
    copy.backoff.maximum = clamp(backoff.maximum)
    copy.maximumProviderWait = clamp(maximumProviderWait)
    copy.quotaCooldown = clamp(quotaCooldown)
    copy.maximumQuotaWait = clamp(maximumQuotaWait)
    copy.probeLeaseTimeout = clamp(probeLeaseTimeout)
    return copy
  }
}
