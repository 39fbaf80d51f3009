/// Why a ``RetryExecutor`` gave up on a call.
public enum RetryStopReason<Instant: InstantProtocol>: Sendable, Hashable, CustomStringConvertible {
  /// The provider answered `fatal`: the request can never succeed as sent. Not retried.
  case fatal
  /// The call's credential is dead (`permanent`) and no other credential remains: every
  /// credential of the pool is dead.
  case credentialDead
  /// No credential can take a call now (open, suspended, paused, probing, or ruled out for this
  /// call); `until` is the earliest instant one becomes usable, or `nil` if that is unknown
  /// (paused until refreshed or resumed, a probe in flight).
  case credentialsUnavailable(until: Instant?)
  /// Every allowed attempt failed retryably.
  case attemptsExhausted
  /// The next attempt or wait would have ended past the call's deadline.
  case deadlineExceeded
  /// The shared ``RetryBudget`` refused the retry: too many calls to this service are failing.
  case budgetExhausted
  /// The calling task was cancelled.
  case cancelled

  /// A short name such as `credentialsUnavailable(until: 30.0 seconds)`.
  public var description: String {
    switch self {
    case .fatal: return "fatal"
    case .credentialDead: return "credentialDead"
    case .credentialsUnavailable(let until):
      return "credentialsUnavailable(until: \(until.map { "\($0)" } ?? "unknown"))"
    case .attemptsExhausted: return "attemptsExhausted"
    case .deadlineExceeded: return "deadlineExceeded"
    case .budgetExhausted: return "budgetExhausted"
    case .cancelled: return "cancelled"
    }
  }
}
