/// Refreshes one credential (for example an OAuth access token) single-flight: however many
/// callers find it rejected at once, the user's refresher runs once and every caller gets its
/// result.
///
/// - A caller passes the credential that was rejected. If the coordinator already holds a newer
///   one, the caller gets it at once; if a refresh is running, the caller waits for it; otherwise
///   the caller starts one.
/// - A refresher failure is classified. A `retryable` or `quotaExhausted` answer (429, 5xx) means
///   the endpoint is busy: no refresher call is made before the next instant its capped
///   exponential schedule allows (``RefreshPolicy/busyWait(afterStreak:retryAfter:)``, with the
///   standard policy 5 minutes after the first busy answer, doubling to 30), and until then every
///   caller gets ``RefreshOutcome/unavailable(until:_:)`` at once. So a refresh token is never
///   presented again to an endpoint that rate-limited it before the endpoint's own wait is over,
///   and busy answers never count as authentication failures. Only a policy with
///   ``RefreshPolicy/maxAttempts`` above 1 sleeps through the wait inside the refresh, its callers
///   waiting, and tries again.
/// - A refresher may return the credential's lifetime (``RefreshedCredential``): the coordinator
///   then knows when it expires, measured on its clock from the instant the refresher was
///   called, and ``earlyRefreshAt`` says from when it is refreshed before use. A credential that
///   was just rejected (passed to ``refresh(replacing:)`` and not replaced since) is due at once.
/// - `permanent`, or an OAuth `invalid_grant` answer whatever its classification, kills the
///   credential: no refresh is ever tried again until ``replace(with:)``.
/// - Other failures count; ``RefreshPolicy/pauseAfterFailures`` in a row pause the credential
///   until ``resume()`` or ``replace(with:)``.
///
/// Cancellation: a cancelled caller stops waiting at once. The refresh itself keeps running for
/// the callers still waiting, and finishes even when all of them left, so that a token the
/// endpoint already rotated is never lost; only its waits between calls stop when nobody waits.
///
/// The credential's standing (usable, dead, paused; counts; the busy wait) is a plain value,
/// `RefreshStanding`, with its table of moves; this class adds the single flight around it.
///
/// Time comes only from the injected clock.
public final class RefreshCoordinator<Credential: Sendable & Equatable, C: Clock>: Sendable
where C.Duration == Duration {
  /// The user's refresher: given the rejected credential, returns a fresh one or throws. Throw a
  /// ``ProviderResponseError`` for an HTTP answer so that it is classified by its status and body.
  public typealias Refresher = @Sendable (Credential) async throws -> Credential
  /// A refresher that also says how long the fresh credential lives (an OAuth `expires_in`).
  /// Throw a ``ProviderResponseError`` for an HTTP answer.
  public typealias ExpiringRefresher =
    @Sendable (Credential) async throws -> RefreshedCredential<Credential>
  /// What callers receive.
  public typealias Outcome = RefreshOutcome<Credential, C.Instant>

  /// Whether the credential may be used and refreshed.
  public enum Status: Sendable {
    /// Usable; it may be refreshed.
    case usable
    /// Dead: the refresh was rejected for good. Only ``RefreshCoordinator/replace(with:)`` helps.
    case dead(Classification)
    /// Paused after repeated refresh failures, until resumed or replaced.
    case paused(Classification)
  }

  private struct Flight {
    var waiters: [UInt64: CheckedContinuation<Outcome, any Error>] = [:]
    var task: Task<Void, Never>?
    /// Set while the flight sleeps between refresher calls: only then may it be cancelled.
    var backingOff = false
    /// Set when the last waiter left: the flight makes no further call.
    var abandoned = false
  }

  private enum Admission {
    case answer(Outcome)
    case start
    case joined
    case cancelled
  }

  /// The credential's standing (the machine: RefreshStanding.swift) and the flight plumbing.
  private struct State {
    var standing: RefreshStanding<Credential, C>
    var flight: Flight?
    var nextWaiterID: UInt64 = 0
  }

  private let state: SanitizerVisibleMutex<State>
  private let refresher: ExpiringRefresher
  private let classifier: any FailureClassifying
  private let clock: C
  /// The schedule and thresholds in use.
  public let policy: RefreshPolicy

  /// Creates a coordinator holding `credential`.
  ///
  /// - Parameters:
  ///   - credential: the credential in use now.
  ///   - policy: the refresh schedule and thresholds.
  ///   - classifier: classifies what the refresher throws.
  ///   - clock: the clock for waits between refresher calls.
  ///   - refresher: the user's refresh function.
  public convenience init(
    credential: Credential, policy: RefreshPolicy = .standard,
    classifier: any FailureClassifying, clock: C, refresher: @escaping Refresher
  ) {
    self.init(
      credential: credential, lifetime: nil, policy: policy, classifier: classifier,
      clock: clock, expiringRefresher: { stale in RefreshedCredential(try await refresher(stale)) })
  }

  /// Creates a coordinator holding `credential` whose refresher says how long each fresh
  /// credential lives, so that it is refreshed before it expires instead of after a `401`.
  ///
  /// - Parameters:
  ///   - credential: the credential in use now.
  ///   - lifetime: how long `credential` stays valid from now, or `nil` when unknown; it is
  ///     refreshed before use from `now + lifetime - min(expiryMargin, lifetime / 2)`.
  ///   - policy: the refresh schedule, thresholds and expiry margin.
  ///   - classifier: classifies what the refresher throws.
  ///   - clock: the clock for waits and expiries.
  ///   - expiringRefresher: the user's refresh function, returning the credential and its
  ///     lifetime.
  public init(
    credential: Credential, lifetime: Duration?, policy: RefreshPolicy = .standard,
    classifier: any FailureClassifying, clock: C,
    expiringRefresher: @escaping ExpiringRefresher
  ) {
    let refreshAt =
      lifetime == nil ? nil : policy.earlyRefreshInstant(issuedAt: clock.now, lifetime: lifetime)
    state = SanitizerVisibleMutex(
      State(standing: RefreshStanding(current: credential, refreshAt: refreshAt)))
    self.policy = policy
    self.classifier = classifier
    self.clock = clock
    self.refresher = expiringRefresher
  }

  /// The credential to use now.
  public var current: Credential { state.withLock { $0.standing.current } }

  /// Whether the credential is usable, dead or paused.
  public var status: Status { state.withLock { $0.standing.status } }

  /// How many times the refresher has been called in total.
  public var refresherCallCount: Int { state.withLock { $0.standing.refresherCalls } }

  /// From when ``current`` is refreshed before it is sent: its known expiry less the margin
  /// (``RefreshPolicy/earlyRefreshInstant(issuedAt:lifetime:)``), the instant it was rejected if
  /// no refresh has replaced it yet, or `nil` when nothing is known against it.
  public var earlyRefreshAt: C.Instant? { state.withLock { $0.standing.refreshAt } }

  /// The credential to send now, and whether it must be refreshed first. Reads the clock only
  /// when an expiry is known.
  @usableFromInline
  func currentForUse() -> (credential: Credential, refreshFirst: Bool) {
    let (credential, refreshAt) = state.withLock { ($0.standing.current, $0.standing.refreshAt) }
    guard let refreshAt else { return (credential, false) }
    return (credential, clock.now >= refreshAt)
  }

  /// Whether a refresh is running now.
  public var isRefreshing: Bool { state.withLock { $0.flight != nil } }

  /// How many callers are waiting for the running refresh (0 when none runs).
  public var waitingCallerCount: Int { state.withLock { $0.flight?.waiters.count ?? 0 } }

  /// Installs a new credential (an operator or a secret store replaced it): clears dead and
  /// paused, the failure counts and the busy schedule. A refresh still running cannot overwrite
  /// it; its waiters receive the new credential.
  public func replace(with credential: Credential) {
    state.withLock { $0.standing.replace(with: credential) }
  }

  /// Resumes a paused credential so that it may be refreshed again. A dead one stays dead.
  public func resume() {
    state.withLock { $0.standing.resume() }
  }

  /// Gets a credential to use instead of `stale`, the one that was just rejected as
  /// `unauthorized` or is known to expire, refreshing it single-flight if nobody has yet.
  ///
  /// While the endpoint's busy wait lasts, answers ``RefreshOutcome/unavailable(until:_:)`` at
  /// once, without a refresher call; `stale`, if it is still the current credential, is then
  /// known to be rejected and is refreshed before its next use (``earlyRefreshAt``).
  ///
  /// - Throws: `CancellationError` only, as soon as the calling task is cancelled.
  public func refresh(replacing stale: Credential) async throws -> Outcome {
    try Task.checkCancellation()
    let waiterID = state.withLock { state -> UInt64 in
      state.nextWaiterID &+= 1
      return state.nextWaiterID
    }
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation {
        (continuation: CheckedContinuation<Outcome, any Error>) in
        let admission = state.withLock { state -> Admission in
          // Under the lock: the cancellation handler then either ran before (flag set) or
          // will find this waiter to remove.
          if Task.isCancelled { return .cancelled }
          if let answer = state.standing.standingAnswer() { return .answer(answer) }
          if let flight = state.flight {
            state.flight?.waiters[waiterID] = continuation
            // A flight abandoned but not yet cancelled carries on for its new waiter.
            if flight.task?.isCancelled != true { state.flight?.abandoned = false }
            return .joined
          }
          if let answer = state.standing.replacedAnswer(for: stale) { return .answer(answer) }
          if let answer = state.standing.admitRefresh(now: clock.now) { return .answer(answer) }
          var flight = Flight()
          flight.waiters[waiterID] = continuation
          state.flight = flight
          return .start
        }
        switch admission {
        case .answer(let outcome): continuation.resume(returning: outcome)
        case .cancelled: continuation.resume(throwing: CancellationError())
        case .joined: break
        case .start: launchFlight(refreshing: stale)
        }
      }
    } onCancel: {
      let leaving = state.withLock { state -> CheckedContinuation<Outcome, any Error>? in
        guard let waiter = state.flight?.waiters.removeValue(forKey: waiterID) else { return nil }
        if state.flight?.waiters.isEmpty == true {
          state.flight?.abandoned = true
          if state.flight?.backingOff == true { state.flight?.task?.cancel() }
        }
        return waiter
      }
      leaving?.resume(throwing: CancellationError())
    }
  }

  private func launchFlight(refreshing stale: Credential) {
    let task = Task { await self.fly(refreshing: stale) }
    state.withLock { state in
      state.flight?.task = task
      if state.flight?.abandoned == true, state.flight?.backingOff == true { task.cancel() }
    }
  }

  /// One refresh: calls the refresher, waiting between calls while the endpoint is busy.
  private func fly(refreshing stale: Credential) async {
    var attempts = 0
    while true {
      let call = state.withLock { state -> (epoch: UInt64, at: C.Instant)? in
        guard let flight = state.flight, !flight.abandoned, !Task.isCancelled else { return nil }
        state.flight?.backingOff = false
        return (state.standing.startCall(), clock.now)
      }
      guard let (epochAtCall, calledAt) = call else { return finishAbandoned() }
      attempts += 1
      let failure: any Error
      do {
        let fresh = try await refresher(stale)
        // The lifetime runs from the call, not the answer: the expiry is never overestimated.
        let refreshAt = policy.earlyRefreshInstant(issuedAt: calledAt, lifetime: fresh.lifetime)
        return finish(epoch: epochAtCall) { standing in
          standing.succeeded(with: fresh.credential, refreshAt: refreshAt)
        }
      } catch {
        failure = error
      }
      if failure is CancellationError, Task.isCancelled { return finishAbandoned() }
      let classification = classify(failure)
      switch classification.disposition {
      case .permanent, .unauthorized, .fatal:
        return finish(epoch: epochAtCall) { standing in
          standing.failed(classification, policy: policy)
        }
      case .retryable, .quotaExhausted:
        let (wakeAt, keepTrying) = state.withLock { state -> (C.Instant, Bool) in
          let wakeAt = state.standing.busy(classification, now: clock.now, policy: policy)
          let keepTrying = attempts < policy.maxAttempts && state.flight?.abandoned == false
          if keepTrying { state.flight?.backingOff = true }
          return (wakeAt, keepTrying)
        }
        guard keepTrying else {
          return finish(epoch: epochAtCall) { _ in .unavailable(until: wakeAt, classification) }
        }
        do {
          try await clock.sleep(until: wakeAt, tolerance: nil)
        } catch {
          return finishAbandoned()
        }
      }
    }
  }

  private func classify(_ error: any Error) -> Classification {
    if let failure = error as? ProviderResponseError,
      OAuthErrorCode.code(in: failure.response.body) == OAuthErrorCode.invalidGrant
    {
      let base = classifier.classify(failure.response)
      return Classification(
        disposition: .permanent, reason: .keyRevoked,
        evidence: base.evidence.isEmpty
          ? "HTTP \(failure.response.status) invalid_grant" : base.evidence)
    }
    return classifier.classify(thrown: error)
  }

  /// Ends the flight: applies `update` unless the credential was replaced meanwhile, and hands
  /// the outcome to every waiter.
  private func finish(epoch: UInt64, _ update: (inout RefreshStanding<Credential, C>) -> Outcome) {
    let (waiters, outcome) = state.withLock { state in
      let outcome =
        state.standing.epoch == epoch
        ? update(&state.standing) : .refreshed(state.standing.current)
      let waiters = state.flight.map { Array($0.waiters.values) } ?? []
      state.flight = nil
      return (waiters, outcome)
    }
    for waiter in waiters { waiter.resume(returning: outcome) }
  }

  /// Ends a flight nobody waits for any more; the busy schedule it recorded stays.
  private func finishAbandoned() {
    let (waiters, outcome) = state.withLock {
      state -> ([CheckedContinuation<Outcome, any Error>], Outcome) in
      let waiters = state.flight.map { Array($0.waiters.values) } ?? []
      state.flight = nil
      let busy =
        state.standing.lastBusy
        ?? Classification(
          disposition: .retryable, reason: .cancelled, evidence: "refresh abandoned")
      return (waiters, .unavailable(until: state.standing.notBefore ?? clock.now, busy))
    }
    // Normally empty; a caller that joined as the flight was cancelled is told when to retry.
    for waiter in waiters { waiter.resume(returning: outcome) }
  }
}
