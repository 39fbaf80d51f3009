/// The retry executor on the default clock, ``CoarseMonotonicClock``: what a service creates
/// and stores. `RetryExecutor(pool: CredentialPool(["primary": key]))` is a
/// `RetryExecutor<String>`.
public typealias RetryExecutor<Credential: Sendable & Equatable> = ClockedRetryExecutor<
  Credential, CoarseMonotonicClock
>

/// Runs an operation with a credential from a ``CredentialPool`` and decides, from each
/// classified outcome, whether to return, retry, rotate, refresh or stop.
///
/// | outcome | breaker | the call |
/// |---|---|---|
/// | success | success | returns the value; the ``RetryBudget`` is refunded |
/// | `fatal` | untouched | stops: ``RetryStopReason/fatal`` |
/// | `permanent` | dead | moves on to another credential, no attempt spent |
/// | `quotaExhausted` | suspended | moves on to another credential, no attempt spent |
/// | `unauthorized` | refreshed, or paused | retries once with the refreshed credential, or moves on |
/// | `retryable` | failure counted | retries after the provider's wait or the backoff, spending an attempt; or, if this credential's breaker opened and another is usable, moves there at once without spending one; either way paid from the budget |
/// | cancelled | neutral | stops: ``RetryStopReason/cancelled`` |
///
/// No credential is ever sent once its breaker rejects it. When no credential is usable (every
/// one open, paused, suspended or dead) the call stops at once with the earliest instant one
/// becomes usable, and ``RetryFailure/jobAction`` says to hold the job; or, with a
/// ``RetryConfiguration/credentialWait``, it waits for the pool to report a usable credential
/// (a replacement, a revive, a cooldown's end: see ``ClockedCredentialPool/waitUntilUsable(deadline:)``)
/// and goes on. A retry whose backoff ended before the breaker reopens waits for the reopening
/// instead, once, if the deadline allows. Every wait honours cancellation at once, and no wait
/// or attempt runs past ``RetryConfiguration/deadline``.
///
/// One executor serves every caller of a service: share it, so its budget and its pool's
/// breakers see all the traffic. Time comes from the pool's clock only.
///
/// Services store it as ``RetryExecutor`` (`RetryExecutor<String>`), on the default clock;
/// the clock parameter is for tests, which run it on a manual clock.
public final class ClockedRetryExecutor<Credential: Sendable & Equatable, C: Clock>: Sendable
where C.Duration == Duration {
  /// The error ``run(_:)`` throws.
  public typealias Failure = RetryFailure<C.Instant>

  /// Where credentials come from.
  public let pool: ClockedCredentialPool<Credential, C>
  /// Turns every failure into a ``Classification``.
  public let classifier: any FailureClassifying
  /// Limits and schedule.
  public let configuration: RetryConfiguration
  /// The retry budget shared by every call, or `nil` for none.
  public let budget: RetryBudget?
  private let random: SanitizerVisibleMutex<BackoffRandomSource>
  /// Neither a deadline nor an attempt timeout is set: the first attempt needs no clock.
  @usableFromInline let hasNoTimeLimits: Bool

  /// Creates an executor.
  ///
  /// - Parameters:
  ///   - pool: the credentials and their breakers; its clock is the executor's clock.
  ///   - classifier: classifies every thrown error and non-success response; the built-in
  ///     ``ProviderErrorClassifier`` by default.
  ///   - configuration: attempts, deadline, attempt timeout, backoff, credential wait.
  ///   - budget: the retry budget; a fresh ``RetryBudget`` with the standard configuration by
  ///     default. Pass one shared instance to executors that call the same service.
  ///   - random: the jitter source of the backoff (seed it in tests).
  public init(
    pool: ClockedCredentialPool<Credential, C>,
    classifier: any FailureClassifying = ProviderErrorClassifier(),
    configuration: RetryConfiguration = RetryConfiguration(),
    budget: RetryBudget? = RetryBudget(),
    random: BackoffRandomSource = .system
  ) {
    self.pool = pool
    self.classifier = classifier
    self.configuration = configuration
    self.budget = budget
    self.random = SanitizerVisibleMutex(random)
    self.hasNoTimeLimits = configuration.deadline == nil && configuration.attemptTimeout == nil
  }

  /// The clock all waits use: the pool's.
  public var clock: C { pool.clock }

  /// Runs `operation` with a credential until it succeeds or the executor stops.
  ///
  /// `operation` is started once per attempt with the credential to use. Throw a
  /// ``ProviderResponseError`` for a provider's non-success answer so it is classified by its
  /// status, headers and body; any other error is classified as an error.
  ///
  /// `run` is `nonisolated(nonsending)`: it runs in the caller's isolation (an actor's, the
  /// main actor's, or none), and so does `operation` on every attempt without a time limit; an
  /// attempt raced against ``RetryConfiguration/deadline`` or
  /// ``RetryConfiguration/attemptTimeout`` runs in a child task. So a call that succeeds at
  /// once hops to no other executor. A closure stored in a `@Sendable` variable and passed here
  /// is converted to the parameter's type on every call, which allocates; a closure literal is
  /// not.
  ///
  /// - Returns: the first successful result.
  /// - Throws: ``RetryFailure`` saying why it stopped, with the first and the last failure.
  @inlinable @inline(__always)
  nonisolated(nonsending) public func run<T: Sendable>(
    _ operation: nonisolated(nonsending) @escaping @Sendable (Credential) async throws -> T
  ) async throws(Failure) -> T {
    // The success path, inlined so it specialises in the caller: with no deadline and no
    // attempt timeout, the first attempt needs no clock, no per-call state and no lock but the
    // value's. Anything else (cancelled, no closed credential at the cursor, a refresh due, a
    // failed attempt) goes on in `runRetrying`, out of line, which does what the loop did.
    // Always inlined: a call to `run` takes its async frame from the task's allocator (about
    // 140 instructions); inlining took the path from 626 to 420 instructions.
    guard hasNoTimeLimits, !Task.isCancelled, let admitted = pool.admitAtCursor() else {
      return try await runRetrying(operation, pending: nil, firstFailure: nil)
    }
    // The parts of the lease, not a lease: see `ClockedCredentialPool.lease(admitted:...)`.
    let (credential, refreshFirst) = pool.valueForUse(at: admitted.index)
    guard !refreshFirst else {
      let lease = pool.lease(admitted: admitted, credential: credential, refreshFirst: true)
      return try await runRetrying(operation, pending: lease, firstFailure: nil)
    }
    let value: T
    do {
      value = try await operation(credential)
    } catch {
      let lease = pool.lease(admitted: admitted, credential: credential, refreshFirst: false)
      return try await runRetrying(operation, pending: nil, firstFailure: (lease, error))
    }
    pool.breaker(at: admitted.index).recordSuccess(admitted.permit)
    budget?.recordSuccess(after: nil)
    return value
  }

  /// The whole of a call but its success path: leases, waits, refreshes, attempts with time
  /// limits, failures and their decisions. Starts with `pending`, a lease to use first, or
  /// after `firstFailure`, the first attempt that `run` made and that threw.
  @usableFromInline
  nonisolated(nonsending) func runRetrying<T: Sendable>(
    _ operation: nonisolated(nonsending) @escaping @Sendable (Credential) async throws -> T,
    pending first: CredentialLease<Credential, C>?,
    firstFailure: (lease: CredentialLease<Credential, C>, error: any Error)?
  ) async throws(Failure) -> T {
    let start = clock.now
    var call = RetryCall<C>(start: start, configuration: configuration)
    var pending = first
    // A clock reading nothing has awaited since: the first pass of a call that has not failed
    // uses its start, so a successful call with a deadline reads the clock once.
    var reading: C.Instant? = firstFailure == nil ? start : nil
    if let firstFailure {
      call.attempts = 1
      let failed: FailedAttempt = failedAttempt(of: firstFailure.error)
      pending = try await afterFailed(failed, on: firstFailure.lease, call: &call)
    }
    while true {
      let now = reading ?? clock.now
      reading = nil
      var attemptNow: C.Instant? = now
      let early: RetryStopReason<C.Instant>? =
        Task.isCancelled ? .cancelled : call.isPastDeadline(now) ? .deadlineExceeded : nil
      if let early {
        // A lease taken for an immediate retry must give its permit back (it may be a probe).
        if let pending { pending.breaker.recordCancellation(pending.permit) }
        throw call.stop(early)
      }
      var lease: CredentialLease<Credential, C>
      if let next = pending {
        lease = next
        pending = nil
      } else {
        switch pool.lease(excluding: call.excluded) {
        case .leased(let leased):
          lease = leased
          // A waiter woken for this lease passes the wake on while credentials have room.
          if call.wasWoken {
            call.wasWoken = false
            pool.wakeNextIfClosed()
          }
        case .allDead:
          try await waitForCredential(reopenAt: nil, call: &call) { .credentialDead }
          continue
        case .unavailable(let until):
          if let reopen = call.retryReopenTarget(until: until, now: clock.now) {
            // A retry waits for the breaker that stopped it, once, like any other backoff.
            call.awaitsRetry = false
            try await sleep(until: reopen, call: &call)
            continue
          }
          try await waitForCredential(reopenAt: until, call: &call) {
            .credentialsUnavailable(until: until)
          }
          continue
        }
      }
      call.awaitsRetry = false
      if lease.refreshFirst, call.refreshed.insert(lease.id).inserted {
        // Known expired or rejected: refresh before sending, once per credential per call.
        attemptNow = nil
        switch await pool.refreshBeforeUse(lease) {
        case .send(let fresh):
          lease = fresh
        case .rotate:
          call.excluded.insert(lease.id)
          continue
        case .cancelled:
          throw call.stop(.cancelled)
        }
      }

      call.attempts += 1
      switch await attempt(operation, with: lease.credential, call: call, now: attemptNow) {
      case .success(let value):
        lease.breaker.recordSuccess(lease.permit)
        budget?.recordSuccess(after: call.withdrawal)
        return value
      case .failed(let failed):
        pending = try await afterFailed(failed, on: lease, call: &call)
      }
    }
  }

  /// Reports a failed attempt and decides what comes next: a lease to use at once, `nil` to ask
  /// the pool again, or a stop.
  private func afterFailed(
    _ failed: FailedAttempt, on lease: CredentialLease<Credential, C>, call: inout RetryCall<C>
  ) async throws(Failure) -> CredentialLease<Credential, C>? {
    switch failed {
    case .cancelled:
      lease.breaker.recordCancellation(lease.permit)
      throw call.stop(.cancelled)
    case .deadlineReached(let classification):
      // Cut short by our own deadline: says nothing about the credential.
      lease.breaker.recordCancellation(lease.permit)
      call.record(classification, error: nil, on: lease.id)
      throw call.stop(.deadlineExceeded)
    case .failed(let classification, let error):
      call.record(classification, error: error, on: lease.id)
      pool.noteFailure(of: lease)
      return try await decide(after: classification, on: lease, call: &call)
    }
  }

  /// Reports a failed attempt to its breaker and decides what comes next: a lease to use at
  /// once, `nil` to ask the pool again, or a stop.
  private func decide(
    after classification: Classification, on lease: CredentialLease<Credential, C>,
    call: inout RetryCall<C>
  ) async throws(Failure) -> CredentialLease<Credential, C>? {
    switch classification.disposition {
    case .fatal:
      lease.breaker.recordFailure(lease.permit, classification)
      throw call.stop(.fatal)
    case .permanent, .quotaExhausted:
      // A verdict on the credential, not on the request: rotate without spending an attempt.
      lease.breaker.recordFailure(lease.permit, classification)
      call.excluded.insert(lease.id)
      return nil
    case .unauthorized:
      let mayRefresh = call.refreshed.insert(lease.id).inserted
      switch await pool.resolveUnauthorized(lease, classification, mayRefresh: mayRefresh) {
      case .retry:
        return nil
      case .rotate:
        call.excluded.insert(lease.id)
        return nil
      case .cancelled:
        throw call.stop(.cancelled)
      }
    case .retryable:
      lease.breaker.recordFailure(lease.permit, classification)
      // If this credential's breaker opened and another credential can take the call now, the
      // retry moves there at once: a rotation, which spends no attempt (the budget still pays).
      var immediate: CredentialLease<Credential, C>?
      if lease.breaker.availability() != .available,
        case .leased(let other) = pool.lease(excluding: call.excluded.union([lease.id]))
      {
        immediate = other
      }
      let now = clock.now
      var wait = Duration.zero
      if immediate == nil {
        call.retryableSends += 1
        if call.retryableSends >= configuration.effectiveMaxAttempts {
          throw call.stop(.attemptsExhausted)
        }
        wait = classification.retryAfter.map { max($0, .zero) } ?? nextBackoff(&call)
        if call.wouldPassDeadline(now.advanced(by: wait)) { throw call.stop(.deadlineExceeded) }
      }
      if let budget {
        guard let withdrawal = budget.withdrawRetry(after: classification.reason) else {
          if let immediate { immediate.breaker.recordCancellation(immediate.permit) }
          throw call.stop(.budgetExhausted)
        }
        call.withdrawal = withdrawal
      }
      if let immediate { return immediate }
      try await sleep(until: now.advanced(by: wait), call: &call)
      call.awaitsRetry = true
      return nil
    }
  }

  private func nextBackoff(_ call: inout RetryCall<C>) -> Duration {
    let streak = call.retryableSends
    let previous = call.previousBackoff
    let wait = random.withLock { random in
      configuration.backoff.cooldown(forStreak: streak, previous: previous, using: &random)
    }
    call.previousBackoff = wait
    return wait
  }

  /// Sleeps until `wakeAt`; cancellation ends the call at once.
  private func sleep(until wakeAt: C.Instant, call: inout RetryCall<C>) async throws(Failure) {
    do {
      try await clock.sleep(until: wakeAt, tolerance: nil)
    } catch {
      throw call.stop(.cancelled)
    }
  }

  /// Waits, within what is left of ``RetryConfiguration/credentialWait`` and the deadline, for
  /// the pool to report a change that may have made a credential usable (see
  /// ``ClockedCredentialPool/waitUntilUsable(deadline:)``), then returns so the call leases again.
  /// Stops with `unusable()` when no wait is allowed, the allowance runs out, or the earliest
  /// known cooldown end (`reopenAt`) lies past the allowance; and with
  /// ``RetryStopReason/cancelled`` at once on cancellation.
  private func waitForCredential(
    reopenAt: C.Instant?, call: inout RetryCall<C>,
    unusable: () -> RetryStopReason<C.Instant>
  ) async throws(Failure) {
    let before = clock.now
    // A cooldown known to end past the allowance will not end in time: stop now, not later.
    guard let limit = call.credentialWaitLimit(now: before), reopenAt.map({ $0 <= limit }) ?? true
    else { throw call.stop(unusable()) }
    let wake = await pool.waitForChange(deadline: limit)
    call.waited += before.duration(to: clock.now)
    switch wake {
    case .woken:
      call.wasWoken = true
      // Something changed (a replaced key, a revive): the verdicts this call made on the old
      // values no longer stand. A credential still unusable is refused by its breaker anyway.
      call.excluded.removeAll()
    case .timedOut: throw call.stop(unusable())
    case .cancelled: throw call.stop(.cancelled)
    }
  }

  /// Runs one attempt, bounded by the attempt timeout and the deadline. `reading` is a clock
  /// reading still current (nothing awaited since), used instead of reading the clock again.
  nonisolated(nonsending) private func attempt<T: Sendable>(
    _ operation: nonisolated(nonsending) @escaping @Sendable (Credential) async throws -> T,
    with credential: Credential,
    call: RetryCall<C>, now reading: C.Instant?
  ) async -> AttemptOutcome<T> {
    var limit = configuration.effectiveAttemptTimeout
    // No limit to cut the attempt at: no clock reading and no race.
    let now = call.deadlineAt == nil && limit == nil ? nil : reading ?? clock.now
    var limitIsDeadline = false
    if let now, let remaining = call.remaining(at: now), limit.map({ remaining <= $0 }) ?? true {
      limit = remaining
      limitIsDeadline = true
    }
    let timedOut = Classification(
      disposition: .retryable, reason: .timeout,
      evidence: limitIsDeadline ? "call deadline reached" : "attempt timed out")
    guard let limit, let now else {
      do {
        return .success(try await operation(credential))
      } catch {
        return .failed(failedAttempt(of: error))
      }
    }
    let clock = self.clock
    let raced = await withTaskGroup(of: AttemptRace<T>?.self) { group in
      group.addTask {
        do {
          return .finished(.success(try await operation(credential)))
        } catch {
          return .finished(.failure(error))
        }
      }
      group.addTask {
        do {
          try await clock.sleep(until: now.advanced(by: limit), tolerance: nil)
          return .timedOut
        } catch {
          return nil
        }
      }
      var first: AttemptRace<T>?
      while first == nil, let next = await group.next() { first = next }
      group.cancelAll()
      return first ?? .timedOut
    }
    switch raced {
    case .finished(.success(let value)): return .success(value)
    case .finished(.failure(let error)): return .failed(failedAttempt(of: error))
    case .timedOut:
      if Task.isCancelled { return .failed(.cancelled) }
      return .failed(limitIsDeadline ? .deadlineReached(timedOut) : .failed(timedOut, error: nil))
    }
  }

  /// What an attempt that threw `error` means: cancelled, or a classified failure.
  private func failedAttempt(of error: any Error) -> FailedAttempt {
    if Task.isCancelled || error is CancellationError { return .cancelled }
    let classification = classifier.classify(thrown: error)
    if classification.reason == .cancelled { return .cancelled }
    return .failed(classification, error: error)
  }
}

/// How one attempt ended.
private enum AttemptOutcome<T> {
  case success(T)
  case failed(FailedAttempt)
}

/// How one attempt ended when it did not succeed.
private enum FailedAttempt {
  case failed(Classification, error: (any Error)?)
  case deadlineReached(Classification)
  case cancelled
}

/// The first finisher of an attempt raced against its time limit.
private enum AttemptRace<T: Sendable>: Sendable {
  case finished(Result<T, any Error>)
  case timedOut
}
