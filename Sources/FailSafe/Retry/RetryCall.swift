/// The bookkeeping of one ``ClockedRetryExecutor/run(_:)`` call.
struct RetryCall<C: Clock> where C.Duration == Duration {
  let deadlineAt: C.Instant?
  let credentialWait: Duration
  var attempts = 0
  var retryableSends = 0
  var excluded = Set<CredentialID>()
  var refreshed = Set<CredentialID>()
  var withdrawal: RetryBudget.Withdrawal?
  var previousBackoff: Duration?
  var waited: Duration = .zero
  /// Set after a retry's backoff: the next lease may wait once for a breaker to reopen.
  var awaitsRetry = false
  /// Set when the call was woken from waiting for a credential: its next lease passes the wake on.
  var wasWoken = false
  var first: AttemptFailure?
  var last: AttemptFailure?

  init(start: C.Instant, configuration: RetryConfiguration) {
    deadlineAt = configuration.effectiveDeadline.map { start.advanced(by: $0) }
    credentialWait = configuration.effectiveCredentialWait
  }

  func isPastDeadline(_ now: C.Instant) -> Bool { deadlineAt.map { now >= $0 } ?? false }

  func wouldPassDeadline(_ instant: C.Instant) -> Bool { deadlineAt.map { instant >= $0 } ?? false }

  /// The time left until the deadline, or `nil` without one.
  func remaining(at now: C.Instant) -> Duration? {
    deadlineAt.map { max(now.duration(to: $0), .zero) }
  }

  /// When a retry whose backoff has ended should try again because a breaker reopens then, or
  /// `nil`: only right after a backoff, for a known instant before the deadline.
  func retryReopenTarget(until: C.Instant?, now: C.Instant) -> C.Instant? {
    guard awaitsRetry, let until, until > now, !wouldPassDeadline(until) else { return nil }
    return until
  }

  /// The latest instant a wait for a credential may last until: what is left of the credential
  /// wait, and no later than the deadline; `nil` when nothing is left.
  func credentialWaitLimit(now: C.Instant) -> C.Instant? {
    let allowance = credentialWait - waited
    guard allowance > .zero else { return nil }
    var limit = now.advanced(by: allowance)
    if let deadlineAt { limit = min(limit, deadlineAt) }
    return limit > now ? limit : nil
  }

  mutating func record(_ classification: Classification, error: (any Error)?, on id: CredentialID) {
    let failure = AttemptFailure(
      attempt: attempts, credential: id, classification: classification, error: error)
    if first == nil { first = failure }
    last = failure
  }

  func stop(_ reason: RetryStopReason<C.Instant>) -> RetryFailure<C.Instant> {
    RetryFailure(reason: reason, attempts: attempts, firstFailure: first, lastFailure: last)
  }
}
