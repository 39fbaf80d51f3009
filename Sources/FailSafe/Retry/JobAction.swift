/// What a worker does with a job whose call stopped (``RetryFailure/jobAction``).
///
/// Work is held, never thrown away: only a request that can never succeed fails.
public enum JobAction<Instant: InstantProtocol>: Sendable, Hashable {
  /// The request can never succeed as sent (`fatal`): fail the job.
  case fail
  /// No credential can take the call (dead, paused, suspended, open): keep the job, write
  /// nothing for it, and wait (``ClockedCredentialPool/waitUntilUsable(deadline:)``) before running it
  /// again. `until` is the earliest instant a credential becomes usable on its own, or `nil`
  /// when only a change can help (a replaced key, a revive, a resume).
  case hold(until: Instant?)
  /// The provider is struggling or the call ran out of attempts, deadline or budget, or was
  /// cancelled: keep the job and run it again later.
  case retryLater
}
