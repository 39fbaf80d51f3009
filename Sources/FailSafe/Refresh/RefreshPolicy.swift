/// How a ``RefreshCoordinator`` treats a refresh endpoint that is busy or failing.
///
/// A refresh answered with a `retryable` or `quotaExhausted` classification (a 429, a 503) is not
/// an authentication failure: the coordinator waits and tries again on its own schedule,
/// `initialBackoff * 2^(streak-1)` capped at `maxBackoff` (a longer provider wait replaces it), and
/// never counts it toward pausing or killing the credential. Any other failure that is not
/// `permanent` counts toward ``pauseAfterFailures``.
public struct RefreshPolicy: Sendable, Hashable, CustomStringConvertible {
  /// Calls to the refresher one refresh may make, the first included, while the endpoint keeps
  /// answering `retryable`. At least 1.
  public let maxAttempts: Int
  /// The wait after the first retryable refresh failure. Positive.
  public let initialBackoff: Duration
  /// The longest wait between refresh calls. A provider wait longer than this is not slept
  /// through: the refresh reports the credential unavailable until then instead.
  public let maxBackoff: Duration
  /// Consecutive non-retryable refresh failures after which the credential is paused. At least 1.
  public let pauseAfterFailures: Int

  /// Four calls per refresh, 1 s doubling to at most 60 s, pause after three failures in a row.
  public static let standard = RefreshPolicy(
    uncheckedMaxAttempts: 4, initialBackoff: .seconds(1), maxBackoff: .seconds(60),
    pauseAfterFailures: 3)

  /// Creates a policy.
  ///
  /// - Throws: ``RefreshPolicyError`` if a count is below 1, `initialBackoff` is not positive or
  ///   `maxBackoff` is shorter than `initialBackoff`.
  public init(
    maxAttempts: Int, initialBackoff: Duration, maxBackoff: Duration, pauseAfterFailures: Int
  ) throws(RefreshPolicyError) {
    guard maxAttempts >= 1 else { throw .countBelowOne(name: "maxAttempts", value: maxAttempts) }
    guard pauseAfterFailures >= 1 else {
      throw .countBelowOne(name: "pauseAfterFailures", value: pauseAfterFailures)
    }
    guard initialBackoff > .zero, maxBackoff >= initialBackoff else {
      throw .backoffOutOfOrder(initial: initialBackoff, maximum: maxBackoff)
    }
    self.init(
      uncheckedMaxAttempts: maxAttempts, initialBackoff: initialBackoff, maxBackoff: maxBackoff,
      pauseAfterFailures: pauseAfterFailures)
  }

  private init(
    uncheckedMaxAttempts: Int, initialBackoff: Duration, maxBackoff: Duration,
    pauseAfterFailures: Int
  ) {
    self.maxAttempts = uncheckedMaxAttempts
    self.initialBackoff = initialBackoff
    self.maxBackoff = maxBackoff
    self.pauseAfterFailures = pauseAfterFailures
  }

  /// The wait after the `streak`-th retryable failure in a row:
  /// `initialBackoff * 2^(streak-1)`, capped at `maxBackoff`. Any streak, even `Int.max`, zero or
  /// negative, yields a duration in `initialBackoff...maxBackoff` without overflow.
  public func backoff(afterStreak streak: Int) -> Duration {
    // Doubling stops at the cap, so at most 63 doublings run and nothing overflows.
    let doublings = min(max(streak, 1) - 1, 63)
    var wait = initialBackoff
    for _ in 0..<doublings {
      if wait >= maxBackoff / 2 { return maxBackoff }
      wait = wait * 2
    }
    return min(wait, maxBackoff)
  }

  /// For example `maxAttempts=4 backoff=1.0 seconds...60.0 seconds pauseAfterFailures=3`.
  public var description: String {
    "maxAttempts=\(maxAttempts) backoff=\(initialBackoff)...\(maxBackoff)"
      + " pauseAfterFailures=\(pauseAfterFailures)"
  }
}

/// Why a ``RefreshPolicy`` was refused.
public enum RefreshPolicyError: Error, Sendable, Hashable, CustomStringConvertible {
  /// A count that must be at least 1 was not.
  case countBelowOne(name: String, value: Int)
  /// The initial backoff must be positive and no longer than the maximum.
  case backoffOutOfOrder(initial: Duration, maximum: Duration)

  /// A sentence naming the bad value.
  public var description: String {
    switch self {
    case .countBelowOne(let name, let value):
      return "refresh policy \(name) must be at least 1, got \(value)"
    case .backoffOutOfOrder(let initial, let maximum):
      return
        "refresh policy needs 0 < initialBackoff <= maxBackoff, got \(initial) and \(maximum)"
    }
  }
}
