/// How a ``RefreshCoordinator`` treats a refresh endpoint that is busy or failing, and how early
/// it refreshes a credential whose expiry it knows.
///
/// A refresh answered with a `retryable` or `quotaExhausted` classification (a 429, a 5xx) is not
/// an authentication failure and never counts toward pausing or killing the credential. No
/// refresh is tried again before
/// `answeredAt + min(max(retryAfter, initialBackoff * 2^(streak-1)), maxBackoff)`, where `streak`
/// counts the busy answers in a row (it survives across refreshes until one succeeds) and
/// `retryAfter` is the provider's wait, if any: a longer provider wait is honoured up to
/// `maxBackoff`. Any other failure that is not `permanent` counts toward ``pauseAfterFailures``.
///
/// ``standard``: 5 minutes after the first busy answer, then 10, 20, 30, 30... minutes; one
/// refresher call per refresh, so a busy answer ends the refresh at once and its callers learn
/// when to come back (``RefreshOutcome/unavailable(until:_:)``) instead of waiting inside it.
public struct RefreshPolicy: Sendable, Hashable, CustomStringConvertible {
  /// Calls to the refresher one refresh may make, the first included, while the endpoint keeps
  /// answering busy. At least 1.
  ///
  /// The waits between those calls are slept inside the refresh while every caller of it waits.
  /// With waits of minutes (the ``standard`` schedule) keep it at 1: a busy answer then ends the
  /// refresh at once with ``RefreshOutcome/unavailable(until:_:)``, the pool keeps the credential
  /// out of rotation until that instant, and the first caller after it makes the next call.
  /// Raise it only with a schedule of seconds, where holding the callers that long is acceptable.
  public let maxAttempts: Int
  /// The wait after the first busy refresh answer. Positive.
  public let initialBackoff: Duration
  /// The longest wait after a busy answer, the provider's wait included: a longer
  /// `Retry-After` is cut to this.
  public let maxBackoff: Duration
  /// Consecutive non-retryable refresh failures after which the credential is paused. At least 1.
  public let pauseAfterFailures: Int
  /// How long before its known expiry a credential is refreshed instead of being sent, at most
  /// half its lifetime: a credential issued with lifetime `L` at `t` is refreshed before use
  /// from `t + L - min(expiryMargin, L / 2)`. Zero or more. Only credentials whose refresher
  /// returned a lifetime have a known expiry.
  public let expiryMargin: Duration

  /// One call per refresh; after a busy answer 5 minutes, doubling to at most 30 minutes; pause
  /// after three failures in a row; refresh 30 seconds before a known expiry.
  public static let standard = RefreshPolicy(
    uncheckedMaxAttempts: 1, initialBackoff: .seconds(300), maxBackoff: .seconds(1_800),
    pauseAfterFailures: 3, expiryMargin: .seconds(30))

  /// Creates a policy.
  ///
  /// A negative `expiryMargin` is taken as zero.
  ///
  /// - Throws: ``RefreshPolicyError`` if a count is below 1, `initialBackoff` is not positive or
  ///   `maxBackoff` is shorter than `initialBackoff`.
  public init(
    maxAttempts: Int, initialBackoff: Duration, maxBackoff: Duration, pauseAfterFailures: Int,
    expiryMargin: Duration = .seconds(30)
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
      pauseAfterFailures: pauseAfterFailures, expiryMargin: max(expiryMargin, .zero))
  }

  private init(
    uncheckedMaxAttempts: Int, initialBackoff: Duration, maxBackoff: Duration,
    pauseAfterFailures: Int, expiryMargin: Duration
  ) {
    self.maxAttempts = uncheckedMaxAttempts
    self.initialBackoff = initialBackoff
    self.maxBackoff = maxBackoff
    self.pauseAfterFailures = pauseAfterFailures
    self.expiryMargin = expiryMargin
  }

  /// The schedule's wait after the `streak`-th busy answer in a row:
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

  /// How long no refresh is tried after the `streak`-th busy answer in a row, which came with
  /// the provider's wait `retryAfter` (if any):
  /// `min(max(retryAfter, backoff(afterStreak: streak)), maxBackoff)`. A negative provider wait
  /// counts as none. Always in `initialBackoff...maxBackoff`.
  public func busyWait(afterStreak streak: Int, retryAfter: Duration?) -> Duration {
    min(max(retryAfter ?? .zero, backoff(afterStreak: streak)), maxBackoff)
  }

  /// When a credential issued at `issuedAt` with `lifetime` is refreshed before use:
  /// `issuedAt + L - min(expiryMargin, L / 2)`, where `L` is `lifetime` clamped to
  /// `0...100 years`. `nil` when the lifetime is unknown or not positive.
  public func earlyRefreshInstant<Instant: InstantProtocol>(
    issuedAt: Instant, lifetime: Duration?
  ) -> Instant? where Instant.Duration == Duration {
    guard let lifetime, lifetime > .zero else { return nil }
    let clamped = min(lifetime, Self.longestLifetime)
    return issuedAt.advanced(by: clamped - min(expiryMargin, clamped / 2))
  }

  /// Lifetimes beyond this are treated as this long, so that no instant arithmetic overflows.
  private static let longestLifetime = Duration.seconds(100 * 366 * 86_400)

  /// For example
  /// `maxAttempts=1 backoff=300.0 seconds...1800.0 seconds pauseAfterFailures=3 expiryMargin=30.0 seconds`.
  public var description: String {
    "maxAttempts=\(maxAttempts) backoff=\(initialBackoff)...\(maxBackoff)"
      + " pauseAfterFailures=\(pauseAfterFailures) expiryMargin=\(expiryMargin)"
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
