/// Refreshes one credential (for example an OAuth access token) single-flight: however many
/// callers find it rejected at once, the user's refresher runs once and every caller gets its
/// result.
///
/// - A caller passes the credential that was rejected. If the coordinator already holds a newer
///   one, the caller gets it at once; if a refresh is running, the caller waits for it; otherwise
///   the caller starts one.
/// - A refresher failure is classified. `retryable` and `quotaExhausted` answers (429, 503) make
///   the coordinator wait on its own capped exponential schedule (``RefreshPolicy``) and try again,
///   up to ``RefreshPolicy/maxAttempts`` calls; they never count as authentication failures, so a
///   busy token endpoint cannot burn the refresh token. After that, and until the next allowed
///   instant, callers get ``RefreshOutcome/unavailable(until:_:)`` without a refresher call.
/// - `permanent`, or an OAuth `invalid_grant` answer whatever its classification, kills the
///   credential: no refresh is ever tried again until ``replace(with:)``.
/// - Other failures count; ``RefreshPolicy/pauseAfterFailures`` in a row pause the credential
///   until ``resume()`` or ``replace(with:)``.
///
/// Cancellation: a cancelled caller stops waiting at once. The refresh itself keeps running for
/// the callers still waiting, and finishes even when all of them left, so that a token the
/// endpoint already rotated is never lost; only its waits between calls stop when nobody waits.
///
/// Time comes only from the injected clock.
public final class RefreshCoordinator<Credential: Sendable & Equatable, C: Clock>: Sendable
where C.Duration == Duration {
  /// The user's refresher: given the rejected credential, returns a fresh one or throws. Throw a
  /// ``ProviderResponseError`` for an HTTP answer so that it is classified by its status and body.
  public typealias Refresher = @Sendable (Credential) async throws -> Credential
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

  private struct State {
    var current: Credential
    var status: Status = .usable
    var flight: Flight?
    /// Bumped by ``replace(with:)`` so that a refresh started before cannot overwrite it.
    var epoch: UInt64 = 0
    var consecutiveFailures = 0
    var busyStreak = 0
    var notBefore: C.Instant?
    var lastBusy: Classification?
    var refresherCalls = 0
    var nextWaiterID: UInt64 = 0
  }

  private let state: SanitizerVisibleMutex<State>
  private let refresher: Refresher
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
  public init(
    credential: Credential, policy: RefreshPolicy = .standard,
    classifier: any FailureClassifying, clock: C, refresher: @escaping Refresher
  ) {
    state = SanitizerVisibleMutex(State(current: credential))
    self.policy = policy
    self.classifier = classifier
    self.clock = clock
    self.refresher = refresher
  }

  /// The credential to use now.
  public var current: Credential { state.withLock { $0.current } }

  /// Whether the credential is usable, dead or paused.
  public var status: Status { state.withLock { $0.status } }

  /// How many times the refresher has been called in total.
  public var refresherCallCount: Int { state.withLock { $0.refresherCalls } }

  /// Whether a refresh is running now.
  public var isRefreshing: Bool { state.withLock { $0.flight != nil } }

  /// How many callers are waiting for the running refresh (0 when none runs).
  public var waitingCallerCount: Int { state.withLock { $0.flight?.waiters.count ?? 0 } }

  /// Installs a new credential (an operator or a secret store replaced it): clears dead and
  /// paused, the failure counts and the busy schedule. A refresh still running cannot overwrite
  /// it; its waiters receive the new credential.
  public func replace(with credential: Credential) {
    state.withLock { state in
      state.current = credential
      state.status = .usable
      state.epoch &+= 1
      state.consecutiveFailures = 0
      state.busyStreak = 0
      state.notBefore = nil
      state.lastBusy = nil
    }
  }

  /// Resumes a paused credential so that it may be refreshed again. A dead one stays dead.
  public func resume() {
    state.withLock { state in
      if case .paused = state.status {
        state.status = .usable
        state.consecutiveFailures = 0
      }
    }
  }

  /// Gets a credential to use instead of `stale`, the one that was just rejected as
  /// `unauthorized`, refreshing it single-flight if nobody has yet.
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
          switch state.status {
          case .dead(let classification): return .answer(.dead(classification))
          case .paused(let classification): return .answer(.paused(classification))
          case .usable: break
          }
          if let flight = state.flight {
            state.flight?.waiters[waiterID] = continuation
            // A flight abandoned but not yet cancelled carries on for its new waiter.
            if flight.task?.isCancelled != true { state.flight?.abandoned = false }
            return .joined
          }
          if state.current != stale { return .answer(.refreshed(state.current)) }
          if let notBefore = state.notBefore, clock.now < notBefore, let busy = state.lastBusy {
            return .answer(.unavailable(until: notBefore, busy))
          }
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
      let epochAtCall = state.withLock { state -> UInt64? in
        guard let flight = state.flight, !flight.abandoned, !Task.isCancelled else { return nil }
        state.flight?.backingOff = false
        state.refresherCalls += 1
        return state.epoch
      }
      guard let epochAtCall else { return finishAbandoned() }
      attempts += 1
      let failure: any Error
      do {
        let fresh = try await refresher(stale)
        return finish(epoch: epochAtCall) { state in
          state.current = fresh
          state.consecutiveFailures = 0
          state.busyStreak = 0
          state.notBefore = nil
          state.lastBusy = nil
          return .refreshed(fresh)
        }
      } catch {
        failure = error
      }
      if failure is CancellationError, Task.isCancelled { return finishAbandoned() }
      let classification = classify(failure)
      switch classification.disposition {
      case .permanent:
        return finish(epoch: epochAtCall) { state in
          state.status = .dead(classification)
          return .dead(classification)
        }
      case .unauthorized, .fatal:
        return finish(epoch: epochAtCall) { state in
          state.consecutiveFailures = min(state.consecutiveFailures, Int.max - 1) + 1
          if state.consecutiveFailures >= policy.pauseAfterFailures {
            state.status = .paused(classification)
            return .paused(classification)
          }
          return .failed(classification)
        }
      case .retryable, .quotaExhausted:
        let (wakeAt, keepTrying) = state.withLock { state -> (C.Instant, Bool) in
          state.busyStreak = min(state.busyStreak, Int.max - 1) + 1
          let backoff = policy.backoff(afterStreak: state.busyStreak)
          let wait = max(classification.retryAfter ?? .zero, backoff)
          let wakeAt = clock.now.advanced(by: wait)
          state.notBefore = wakeAt
          state.lastBusy = classification
          let keepTrying =
            attempts < policy.maxAttempts && wait <= policy.maxBackoff
            && state.flight?.abandoned == false
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
  private func finish(epoch: UInt64, _ update: (inout State) -> Outcome) {
    let (waiters, outcome) = state.withLock { state in
      let outcome = state.epoch == epoch ? update(&state) : .refreshed(state.current)
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
        state.lastBusy
        ?? Classification(
          disposition: .retryable, reason: .cancelled, evidence: "refresh abandoned")
      return (waiters, .unavailable(until: state.notBefore ?? clock.now, busy))
    }
    // Normally empty; a caller that joined as the flight was cancelled is told when to retry.
    for waiter in waiters { waiter.resume(returning: outcome) }
  }
}
