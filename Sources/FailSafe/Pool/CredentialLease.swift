/// One credential handed out by a ``CredentialPool`` for one attempt, with the breaker permit
/// that admitted it. Report the permit's outcome exactly once.
///
/// `@usableFromInline`: the executor's success path, inlined into the caller, holds one.
@usableFromInline
struct CredentialLease<Credential: Sendable, C: Clock>: Sendable where C.Duration == Duration {
  /// Index of the member in the pool.
  @usableFromInline let index: Int
  /// The credential's id.
  @usableFromInline let id: CredentialID
  /// The value to send.
  @usableFromInline let credential: Credential
  /// The credential's breaker.
  @usableFromInline let breaker: CircuitBreaker<C>
  /// The breaker's permission for this attempt.
  @usableFromInline let permit: BreakerPermit
  /// Whether `credential` is known to be expired or rejected: refresh it before sending it.
  @usableFromInline let refreshFirst: Bool

  @inlinable
  init(
    index: Int, id: CredentialID, credential: Credential, breaker: CircuitBreaker<C>,
    permit: BreakerPermit, refreshFirst: Bool
  ) {
    self.index = index
    self.id = id
    self.credential = credential
    self.breaker = breaker
    self.permit = permit
    self.refreshFirst = refreshFirst
  }
}

/// What a pool answers when asked for a credential.
enum PoolDecision<Credential: Sendable, C: Clock>: Sendable where C.Duration == Duration {
  /// A usable credential, admitted by its breaker.
  case leased(CredentialLease<Credential, C>)
  /// Every credential is dead.
  case allDead
  /// None can take a call now; `until` is the earliest instant one will, if any is known.
  case unavailable(until: C.Instant?)
}

/// What the executor does with a lease whose credential the pool refreshed before use.
enum RefreshBeforeUse<Credential: Sendable, C: Clock>: Sendable where C.Duration == Duration {
  /// Send this lease: the fresh credential, with the same permit.
  case send(CredentialLease<Credential, C>)
  /// The credential cannot be used now (the permit's outcome was reported): move on.
  case rotate(Classification)
  /// The calling task was cancelled while waiting for the refresh.
  case cancelled
}

/// What the executor does after an `unauthorized` answer was dealt with by the pool.
enum UnauthorizedResolution: Sendable {
  /// The credential was refreshed: try it again.
  case retry
  /// The credential cannot be used now: move on to another.
  case rotate(Classification)
  /// The calling task was cancelled while waiting for the refresh.
  case cancelled
}
