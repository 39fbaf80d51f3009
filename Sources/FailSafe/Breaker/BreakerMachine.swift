/// The breaker's state machine as a plain value: every slow-path decision, with the time
/// passed in. ``CircuitBreaker`` keeps one inside a `Mutex` and mirrors ``stateWord`` into an
/// atomic for its lock-free fast path.
///
/// Every move is a row of ``BreakerTransitions``: each entry point below works out which
/// ``BreakerTrigger`` happened (from the permit, the classification, the count and the clock)
/// and ``fire(_:_:now:policy:events:)`` does what the row for the current state says, or
/// nothing if there is none. Storage (the episode record, the state word) is in
/// BreakerMachine+Episode.swift, refusals (which are not moves) in BreakerMachine+Refusals.swift.
///
/// Time inside the machine is a `Duration` offset from the breaker's origin instant
/// (``BreakerOrigin``), converted to and from `Instant` only at the public API. `Duration` has a
/// fixed layout; `ContinuousClock.Instant` is a resilient type, so holding instants made every
/// copy of a deadline (and of a rejection) go through generic value witnesses.
@usableFromInline
struct BreakerMachine<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
  @usableFromInline typealias Event = BreakerEvent<Instant>

  /// Stamps every permit; a permit of an older generation reports into a state it did not see.
  @usableFromInline var generation: UInt64 = 0
  /// Permits issued before this generation cannot change the credential's standing any more:
  /// it was replaced, revived, resumed or reset by hand since.
  @usableFromInline var credentialGeneration: UInt64 = 0
  @usableFromInline var consecutiveFailures = 0
  @usableFromInline var streak = 0
  @usableFromInline var counters = BreakerCounters()
  /// Deadlines, first error and episode counts; `nil` while all of them are empty, so an idle
  /// breaker stays small. Read and written through the accessors in BreakerMachine+Episode.
  @usableFromInline var episode: BreakerEpisode?
  @usableFromInline var random: BackoffRandomSource
  // Declared last: the one-byte state then fills the tail of `random` instead of a padded
  // word of its own (the object stays within a 160-byte malloc chunk).
  @usableFromInline var state: BreakerState = .closed

  @inlinable init(random: BackoffRandomSource) {
    self.random = random
  }

  // MARK: The move

  /// Does what the transition table says for the current state and `trigger`: the effect's
  /// bookkeeping, the move, then what must follow the move (a probe's lease, the credential
  /// generation). Returns `false`, changing nothing, if the table has no row.
  @inlinable @discardableResult mutating func fire(
    _ trigger: BreakerTrigger, _ input: BreakerInput = BreakerInput(), now: Duration,
    policy: BreakerPolicy, events: inout EventBuffer<Instant>
  ) -> Bool {
    guard let row = BreakerTransitions.row(from: state, on: trigger) else { return false }
    if let action = trigger.operatorAction {
      events.append(generation, now, .operatorAction(action))
    }
    switch row.effect {
    case .admit, .admitProbe:
      if state == .halfOpen, probeLeaseUntil != nil {
        // The previous probe's lease lapsed: its report is stale from now on.
        bumpGeneration()
        events.append(generation, now, .probeLeaseExpired)
      }
    case .clearEpisode:
      clearEpisode()
    case .countFailure, .countFailureAndTrip:
      noteFailure(input.failure, now: now, events: &events)
      consecutiveFailures = consecutiveFailures.saturatingAdd(1)
      if row.effect == .countFailureAndTrip {
        scheduleReopen(after: input.failure, now: now, policy: policy)
      }
    case .releaseProbe:
      probeLeaseUntil = nil
      bumpGeneration()
    case .recordVerdict:
      noteFailure(input.failure, now: now, events: &events, replacing: true)
      reopenAt = nil
    case .suspend:
      noteFailure(input.failure, now: now, events: &events, replacing: true)
      reopenAt = input.until
    case .extendSuspension:
      if let reopenAt, let until = input.until, reopenAt >= until {
        repeatedErrors = repeatedErrors.saturatingAdd(1)
      } else {
        noteFailure(input.failure, now: now, events: &events)
        reopenAt = input.until
      }
    case .holdOpen:
      reopenAt = input.until
    case .closeKeepingStreak:
      consecutiveFailures = 0
      reopenAt = nil
    case .closeClearingEpisode:
      clearEpisode()
      reopenAt = nil
    case .resetStreak:
      consecutiveFailures = 0
      streak = 0
      lastCooldown = nil
    case .restoreSnapshot:
      if let snapshot = input.snapshot { load(snapshot, now: now, policy: policy) }
    }
    switch row.destination {
    case .to(let next):
      transition(to: next, cause: cause(of: trigger, input), now: now, events: &events)
    case .unchanged:
      if row.effect == .closeKeepingStreak || row.effect == .closeClearingEpisode {
        bumpGeneration()  // closing a closed breaker still makes older permits stale
      }
    case .snapshotState:
      let target: BreakerState =
        input.snapshot?.state == .halfOpen ? .open : input.snapshot?.state ?? state
      if target == state {
        bumpGeneration()
        rejectedInState = 0
        probeLeaseUntil = nil
      } else {
        transition(to: target, cause: .operatorAction(.restore), now: now, events: &events)
      }
    }
    switch row.effect {
    case .admitProbe:
      admitProbe(now: now, policy: policy, events: &events)
    case .closeKeepingStreak, .closeClearingEpisode, .restoreSnapshot:
      credentialGeneration = generation
    default:
      break
    }
    return true
  }

  // MARK: Callers

  @inlinable mutating func acquire(
    now: Duration, policy: BreakerPolicy, events: inout EventBuffer<Instant>
  ) -> BreakerDecision<Instant> {
    if let refusal = refusal(now: now, credential: events.credential, origin: events.origin) {
      return .rejected(refusal)
    }
    let trigger: BreakerTrigger
    switch state {
    case .closed: trigger = .call
    case .halfOpen: trigger = .probeSlotFree
    case .open, .suspended: trigger = .cooldownOver
    case .dead, .paused:
      // Always refused above; kept total so a table change can never admit them silently.
      return .rejected(reject(credential: events.credential, origin: events.origin))
    }
    fire(trigger, now: now, policy: policy, events: &events)
    return .admitted(BreakerPermit(generation: generation, isProbe: state == .halfOpen))
  }

  // MARK: Results

  @inlinable mutating func recordSuccess(
    _ permit: BreakerPermit, now: Duration, policy: BreakerPolicy,
    events: inout EventBuffer<Instant>
  ) {
    guard permit.generation == generation else { return }
    fire(permit.isProbe ? .probeSucceeded : .success, now: now, policy: policy, events: &events)
  }

  /// Cancellation is neutral; a cancelled probe frees the slot for the next caller.
  @inlinable mutating func recordCancellation(
    _ permit: BreakerPermit, now: Duration, policy: BreakerPolicy,
    events: inout EventBuffer<Instant>
  ) {
    guard permit.isProbe, permit.generation == generation else { return }
    fire(.probeReleased, now: now, policy: policy, events: &events)
  }

  @inlinable mutating func recordFailure(
    _ permit: BreakerPermit, _ failure: Classification, now: Duration, policy: BreakerPolicy,
    events: inout EventBuffer<Instant>
  ) {
    // A credential verdict counts unless the credential changed by hand since the permit; a
    // retryable failure counts only against the state its permit saw.
    let current = permit.generation == generation
    let credentialCurrent = permit.generation >= credentialGeneration
    let trigger: BreakerTrigger
    var input = BreakerInput(failure: failure)
    switch failure.disposition {
    case .fatal:
      // The request was bad, the credential answered: it is untouched. A probe that got a
      // fatal answer proves nothing either way, so the next caller probes.
      guard permit.isProbe, current else { return }
      trigger = .probeReleased
    case .retryable:
      guard current else { return }
      if permit.isProbe {
        trigger = .probeFailed
      } else if failure.retryAfter != nil && policy.opensOnProviderWait {
        trigger = .providerWait
      } else if consecutiveFailures.saturatingAdd(1) >= policy.failureThreshold {
        trigger = .failureThresholdReached
      } else {
        trigger = .retryableFailure
      }
    case .permanent:
      guard credentialCurrent else { return }
      trigger = .permanentFailure
    case .unauthorized:
      guard credentialCurrent else { return }
      trigger = .unauthorizedFailure
    case .quotaExhausted:
      guard credentialCurrent else { return }
      let wait = failure.retryAfter.map { min(max($0, .zero), policy.maximumQuotaWait) }
      input.until = now + (wait ?? policy.quotaCooldown)
      trigger = .quotaExhausted
    }
    fire(trigger, input, now: now, policy: policy, events: &events)
  }

  // MARK: Operators

  @inlinable @discardableResult mutating func forceOpen(
    until: Duration?, now: Duration, policy: BreakerPolicy, events: inout EventBuffer<Instant>
  ) -> Bool {
    fire(.forceOpen, BreakerInput(until: until), now: now, policy: policy, events: &events)
  }

  @inlinable @discardableResult mutating func forceClose(
    now: Duration, policy: BreakerPolicy, events: inout EventBuffer<Instant>
  ) -> Bool {
    fire(.forceClose, now: now, policy: policy, events: &events)
  }

  @inlinable @discardableResult mutating func revive(
    now: Duration, policy: BreakerPolicy, events: inout EventBuffer<Instant>
  ) -> Bool {
    fire(.revive, now: now, policy: policy, events: &events)
  }

  @inlinable @discardableResult mutating func resume(
    now: Duration, policy: BreakerPolicy, events: inout EventBuffer<Instant>
  ) -> Bool {
    fire(.resume, now: now, policy: policy, events: &events)
  }

  @inlinable mutating func resetStreak(
    now: Duration, policy: BreakerPolicy, events: inout EventBuffer<Instant>
  ) {
    fire(.resetStreak, now: now, policy: policy, events: &events)
  }

  @inlinable mutating func credentialReplaced(
    now: Duration, policy: BreakerPolicy, events: inout EventBuffer<Instant>
  ) {
    fire(.credentialReplaced, now: now, policy: policy, events: &events)
  }

  /// Loads `snapshot`, clamping damaged numbers: negative counts become zero, cooldowns are
  /// capped by `policy`'s longest wait, and a half-open state becomes open with a probe due.
  @inlinable mutating func restore(
    _ snapshot: BreakerSnapshot, now: Duration, policy: BreakerPolicy,
    events: inout EventBuffer<Instant>
  ) {
    fire(.restore, BreakerInput(snapshot: snapshot), now: now, policy: policy, events: &events)
  }

  // MARK: Effects and the transition itself

  /// Opens with the next cooldown: the capped provider wait if one was given, else the
  /// jittered backoff for the new streak.
  @inlinable mutating func scheduleReopen(
    after failure: Classification?, now: Duration, policy: BreakerPolicy
  ) {
    streak = streak.saturatingAdd(1)
    counters.trips = counters.trips.saturatingAdd(1)
    let cooldown: Duration
    if let wait = failure?.retryAfter {
      cooldown = min(max(wait, .zero), policy.maximumProviderWait)
    } else {
      cooldown = policy.backoff.cooldown(
        forStreak: streak, previous: lastCooldown, using: &random)
    }
    lastCooldown = cooldown
    reopenAt = now + cooldown
  }

  /// Keeps the first error of an episode in full and counts the rest. A credential-level
  /// verdict (`replacing`) becomes the kept error, because it is what the operator must see.
  @inlinable mutating func noteFailure(
    _ failure: Classification?, now: Duration, events: inout EventBuffer<Instant>,
    replacing: Bool = false
  ) {
    guard let failure else { return }
    counters.failures = counters.failures.saturatingAdd(1)
    if firstErrorRecord == nil || replacing {
      firstErrorRecord = ErrorRecord(failure)
      repeatedErrors = 0
      events.append(generation, now, .firstErrorRecorded(failure))
    } else {
      repeatedErrors = repeatedErrors.saturatingAdd(1)
    }
  }

  @inlinable mutating func admitProbe(
    now: Duration, policy: BreakerPolicy, events: inout EventBuffer<Instant>
  ) {
    let lease = now + policy.probeLeaseTimeout
    probeLeaseUntil = lease
    counters.probes = counters.probes.saturatingAdd(1)
    if events.isEnabled {
      events.append(generation, now, .probeAdmitted(leaseUntil: events.instant(lease)))
    }
  }

  @inlinable mutating func clearEpisode() {
    consecutiveFailures = 0
    streak = 0
    lastCooldown = nil
    firstErrorRecord = nil
    repeatedErrors = 0
  }

  /// Takes counts, streak, first error and cooldown from `snapshot`, clamped; the move to its
  /// state is the table's.
  @inlinable mutating func load(_ snapshot: BreakerSnapshot, now: Duration, policy: BreakerPolicy) {
    let longest = max(policy.backoff.maximum, policy.maximumProviderWait, policy.maximumQuotaWait)
    consecutiveFailures = max(snapshot.consecutiveFailures, 0)
    streak = max(snapshot.streak, 0)
    lastCooldown = snapshot.lastCooldown.map { min(max($0, .zero), longest) }
    firstErrorRecord = snapshot.firstError.map(ErrorRecord.init)
    repeatedErrors = max(snapshot.repeatedErrors, 0)
    counters = BreakerCounters(
      rejections: max(snapshot.counters.rejections, 0),
      failures: max(snapshot.counters.failures, 0),
      trips: max(snapshot.counters.trips, 0), probes: max(snapshot.counters.probes, 0))
    switch snapshot.state {
    case .open, .suspended:
      reopenAt = snapshot.cooldownRemaining.map { now + min(max($0, .zero), longest) }
    case .halfOpen:
      reopenAt = now  // restored as open with the probe due
    case .closed, .dead, .paused:
      reopenAt = nil
    }
  }

  /// Why the breaker moves on `trigger`, for the transition event.
  @inlinable func cause(of trigger: BreakerTrigger, _ input: BreakerInput) -> BreakerTransitionCause
  {
    if let action = trigger.operatorAction { return .operatorAction(action) }
    switch trigger {
    case .cooldownOver: return .cooldownExpired
    case .probeSucceeded: return .probeSucceeded
    default:
      // Every other move is caused by a reported failure, which its input carries.
      return input.failure.map(BreakerTransitionCause.failure) ?? .cooldownExpired
    }
  }

  @inlinable mutating func bumpGeneration() {
    generation = (generation &+ 1) & BreakerStateWord.generationMask
  }

  /// Enters `next`: summarises the rejections counted in the old state, drops the kept refusal
  /// and any probe lease (both describe the old state), and starts a new generation.
  @inlinable mutating func transition(
    to next: BreakerState, cause: BreakerTransitionCause, now: Duration,
    events: inout EventBuffer<Instant>
  ) {
    let previous = state
    if rejectedInState > 0 {
      events.append(
        generation, now, .rejectionsSummarized(count: rejectedInState, state: previous))
      rejectedInState = 0
    }
    state = next
    uniqueEpisodeIfPresent()?.refusal = nil
    probeLeaseUntil = nil
    bumpGeneration()
    events.append(generation, now, .transition(from: previous, to: next, cause: cause))
  }

  // MARK: Reading

  @inlinable func snapshot(now: Duration) -> BreakerSnapshot {
    var exported = state
    var remaining = reopenAt.map { $0.clampedSubtracting(now).clampedToZero }
    if state == .halfOpen {
      exported = .open
      remaining = .zero
    }
    return BreakerSnapshot(
      state: exported, consecutiveFailures: consecutiveFailures, streak: streak,
      cooldownRemaining: state == .open || state == .suspended || state == .halfOpen
        ? remaining : nil,
      lastCooldown: lastCooldown, firstError: firstErrorRecord?.classification,
      repeatedErrors: repeatedErrors,
      counters: counters)
  }
}

/// What a trigger brings with it: the classification of a reported failure, the instant an
/// open or suspended breaker reopens, or the snapshot being restored.
@usableFromInline
struct BreakerInput: Sendable {
  @usableFromInline var failure: Classification?
  @usableFromInline var until: Duration?
  @usableFromInline var snapshot: BreakerSnapshot?

  @inlinable init(
    failure: Classification? = nil, until: Duration? = nil, snapshot: BreakerSnapshot? = nil
  ) {
    self.failure = failure
    self.until = until
    self.snapshot = snapshot
  }
}
