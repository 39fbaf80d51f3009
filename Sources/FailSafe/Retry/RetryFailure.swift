/// The error a ``RetryExecutor`` throws when a call does not succeed: why it stopped, how many
/// sends it made, and the first and the last failure.
public struct RetryFailure<Instant: InstantProtocol>: Error, CustomStringConvertible {
  /// Why the executor stopped.
  public let reason: RetryStopReason<Instant>
  /// How many times the operation was started.
  public let attempts: Int
  /// The first failed attempt, or `nil` if the call stopped before any attempt failed.
  public let firstFailure: AttemptFailure?
  /// The last failed attempt (the same as ``firstFailure`` when there was one).
  public let lastFailure: AttemptFailure?

  /// Creates a failure.
  public init(
    reason: RetryStopReason<Instant>, attempts: Int, firstFailure: AttemptFailure?,
    lastFailure: AttemptFailure?
  ) {
    self.reason = reason
    self.attempts = attempts
    self.firstFailure = firstFailure
    self.lastFailure = lastFailure
  }

  /// When the work may be tried again, for a call stopped because no credential was usable and
  /// the earliest instant one becomes usable is known; otherwise `nil`.
  public var retryAt: Instant? {
    if case .credentialsUnavailable(let until) = reason { return until }
    return nil
  }

  /// What the worker should do with the job: fail it only when its request can never
  /// succeed; hold it while no credential is usable; otherwise keep it and try again later.
  ///
  /// | reason | action |
  /// |---|---|
  /// | ``RetryStopReason/fatal`` | ``JobAction/fail`` |
  /// | ``RetryStopReason/credentialDead``, ``RetryStopReason/credentialsUnavailable(until:)`` | ``JobAction/hold(until:)`` |
  /// | attempts, deadline or budget exhausted, cancelled | ``JobAction/retryLater`` |
  public var jobAction: JobAction<Instant> {
    switch reason {
    case .fatal: return .fail
    case .credentialDead: return .hold(until: nil)
    case .credentialsUnavailable(let until): return .hold(until: until)
    case .attemptsExhausted, .deadlineExceeded, .budgetExhausted, .cancelled: return .retryLater
    }
  }

  /// The reason, the attempt count and the last failure; safe to log.
  public var description: String {
    var text = "stopped: \(reason) after \(attempts) attempt\(attempts == 1 ? "" : "s")"
    if let lastFailure { text += "; last: \(lastFailure)" }
    return text
  }
}
