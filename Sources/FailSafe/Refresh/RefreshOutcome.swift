/// What one call to ``RefreshCoordinator/refresh(replacing:)`` produced.
public enum RefreshOutcome<Credential: Sendable, Instant: Sendable>: Sendable {
  /// A fresh credential to retry with: the result of this refresh, or of one that another caller
  /// started or finished first.
  case refreshed(Credential)
  /// The refresh was rejected for good (`invalid_grant`, or a `permanent` classification): the
  /// credential is dead and is never refreshed again until it is replaced.
  case dead(Classification)
  /// Refreshes kept failing, so the credential is paused until it is replaced or resumed.
  case paused(Classification)
  /// The refresh endpoint is busy (429, 5xx): no refresh may be tried before the instant given.
  /// This is not an authentication failure and does not count toward pausing.
  case unavailable(until: Instant, Classification)
  /// One refresh failed for a reason that is neither busy nor permanent; it counts toward
  /// pausing the credential.
  case failed(Classification)
}

extension RefreshOutcome: Equatable where Credential: Equatable, Instant: Equatable {}
