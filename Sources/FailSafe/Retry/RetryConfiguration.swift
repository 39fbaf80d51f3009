/// The limits and schedule of a ``RetryExecutor``.
///
/// Out-of-range values are clamped, never trapped on: a `maxAttempts` below 1 counts as 1,
/// durations count as clamped into `0...BreakerPolicy.maximumDuration` (100 years; a zero or
/// negative `deadline` or `attemptTimeout` means the first check fails at once).
///
/// The executor measures all of them on its pool's clock: with the default registry, the
/// coarse monotonic clock (``CoarseMonotonicClock``), which steps by the kernel tick and does
/// not advance while the machine sleeps.
public struct RetryConfiguration: Sendable, Hashable {
  /// The most times one call sends its request for retryable failures, the first send
  /// included. Moving to another credential does not count: after a credential verdict (dead,
  /// paused, suspended), or after a retryable failure that opened the credential's breaker
  /// while another credential was usable.
  public var maxAttempts: Int
  /// The longest a call may take, from its start to its last attempt's end; `nil` for none.
  /// No attempt starts, and no wait begins, that would end past it.
  public var deadline: Duration?
  /// The longest one attempt may take; the attempt is cancelled and counts as a retryable
  /// `timeout` when it runs over. `nil` for none. The operation must honour cancellation.
  public var attemptTimeout: Duration?
  /// The wait before retry `n` (`n >= 1`) when the provider gave none:
  /// `backoff.cooldown(forStreak: n)` with its jitter. A provider's wait replaces it.
  public var backoff: BackoffPolicy
  /// How long a call may wait, in total, for a credential when none is usable (all open,
  /// paused, suspended or dead). Zero (the default) stops at once with a ``RetryFailure`` whose
  /// ``RetryFailure/jobAction`` is ``JobAction/hold(until:)``. Otherwise the call waits for the
  /// pool to report a usable credential (``ClockedCredentialPool/waitUntilUsable(deadline:)``: woken by
  /// a replacement, a revive, a resume or a cooldown's end, never by polling) and goes on; use
  /// ``untilUsable`` to hold the call for as long as it takes (the ``deadline`` still applies).
  public var credentialWait: Duration

  /// A ``credentialWait`` with no practical end (100 years): the call holds until a credential
  /// is usable, it is cancelled, or its ``deadline`` passes.
  public static let untilUsable: Duration = BreakerPolicy.maximumDuration

  /// Creates a configuration. The defaults: 4 attempts, no deadline, no attempt timeout,
  /// backoff 1 s doubling to 30 s with equal jitter, no waiting for credentials.
  public init(
    maxAttempts: Int = 4,
    deadline: Duration? = nil,
    attemptTimeout: Duration? = nil,
    backoff: BackoffPolicy = BackoffPolicy(
      base: .seconds(1), maximum: .seconds(30), jitter: .equal),
    credentialWait: Duration = .zero
  ) {
    self.maxAttempts = maxAttempts
    self.deadline = deadline
    self.attemptTimeout = attemptTimeout
    self.backoff = backoff
    self.credentialWait = credentialWait
  }

  /// ``maxAttempts`` clamped to at least 1.
  var effectiveMaxAttempts: Int { max(maxAttempts, 1) }

  /// ``deadline`` clamped into `0...BreakerPolicy.maximumDuration`.
  var effectiveDeadline: Duration? { deadline.map(Self.bounded) }

  /// ``attemptTimeout`` clamped into `0...BreakerPolicy.maximumDuration`.
  var effectiveAttemptTimeout: Duration? { attemptTimeout.map(Self.bounded) }

  /// ``credentialWait`` clamped into `0...BreakerPolicy.maximumDuration`.
  var effectiveCredentialWait: Duration { Self.bounded(credentialWait) }

  /// `duration` clamped into `0...BreakerPolicy.maximumDuration`, so adding it to any instant a
  /// clock reports cannot overflow.
  private static func bounded(_ duration: Duration) -> Duration {
    min(max(duration, .zero), BreakerPolicy.maximumDuration)
  }
}
