/// The breaker's state machine as a plain value: every slow-path decision, with the time
/// passed in. ``CircuitBreaker`` keeps one inside a `Mutex` and mirrors ``packedWord`` into an
/// atomic for its lock-free fast path.
///
/// Time inside the machine is a `Duration` offset from the breaker's origin instant
/// (``BreakerOrigin``), converted to and from `Instant` only at the public API. `Duration` has a
/// fixed layout; `ContinuousClock.Instant` is a resilient type, so holding instants made every
/// copy of a deadline (and of a rejection) go through generic value witnesses.
@usableFromInline
struct BreakerMachine<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
  @usableFromInline typealias Event = BreakerEvent<Instant>

  /// Generations use the 56 bits above the state code and the dirty bit.
  @inlinable static var generationMask: UInt64 { (1 << 56) - 1 }

  @usableFromInline var generation: UInt64 = 0
  /// Permits issued before this generation cannot change the credential's standing any more:
  /// it was replaced, revived, resumed or reset by hand since.
  @usableFromInline var credentialGeneration: UInt64 = 0
  @usableFromInline var consecutiveFailures = 0
  @usableFromInline var streak = 0
  @usableFromInline var counters = BreakerCounters()
  /// Deadlines, first error and episode counts; `nil` while all of them are empty, so an idle
  /// breaker stays small. Read and written through the accessors below.
  @usableFromInline var episode: BreakerEpisode?
  @usableFromInline var random: BackoffRandomSource
  // Declared last: the one-byte state then fills the tail of `random` instead of a padded
  // word of its own (the object stays within a 160-byte malloc chunk).
  @usableFromInline var state: BreakerState = .closed

  @inlinable init(random: BackoffRandomSource) {
    self.random = random
  }

  /// The episode record, created if missing and copied first if shared (copy-on-write).
  @inlinable mutating func uniqueEpisode() -> BreakerEpisode {
    if !isKnownUniquelyReferenced(&episode) {
      episode = episode.map { BreakerEpisode(copying: $0) } ?? BreakerEpisode()
    }
    return episode.unsafelyUnwrapped
  }

  /// The episode record copied first if shared, or `nil` if there is none (nothing created).
  @inlinable mutating func uniqueEpisodeIfPresent() -> BreakerEpisode? {
    guard episode != nil else { return nil }
    return uniqueEpisode()
  }

  /// Drops the episode record once every field in it is empty again.
  @inlinable mutating func dropEmptyEpisode() {
    if let episode, episode.isEmpty { self.episode = nil }
  }

  /// When an open or suspended breaker admits its probe (offset from the origin).
  @inlinable var reopenAt: Duration? {
    get { episode?.reopenAt }
    set {
      guard newValue != nil || episode != nil else { return }
      let episode = uniqueEpisode()
      episode.reopenAt = newValue
      episode.refusal = nil  // it states the deadline
    }
  }

  /// Set while a half-open probe is out: when its permit lapses (offset from the origin).
  @inlinable var probeLeaseUntil: Duration? {
    get { episode?.probeLeaseUntil }
    set { if newValue != nil || episode != nil { uniqueEpisode().probeLeaseUntil = newValue } }
  }

  @inlinable var lastCooldown: Duration? {
    get { episode?.lastCooldown }
    set { if newValue != nil || episode != nil { uniqueEpisode().lastCooldown = newValue } }
  }

  /// The episode's first error, shared by reference with every rejection.
  @inlinable var firstErrorRecord: ErrorRecord? {
    get { episode?.firstErrorRecord }
    set {
      guard newValue != nil || episode != nil else { return }
      let episode = uniqueEpisode()
      episode.firstErrorRecord = newValue
      episode.refusal = nil  // it carries the first error
    }
  }

  @inlinable var repeatedErrors: Int {
    get { episode?.repeatedErrors ?? 0 }
    set { if newValue != 0 || episode != nil { uniqueEpisode().repeatedErrors = newValue } }
  }

  @inlinable var rejectedInState: Int {
    get { episode?.rejectedInState ?? 0 }
    set { if newValue != 0 || episode != nil { uniqueEpisode().rejectedInState = newValue } }
  }

  /// `generation << 8 | dirty << 3 | state code`. Dirty means a success must take the slow
  /// path to clear counters; a clean closed breaker's word is just `generation << 8`.
  @inlinable var packedWord: UInt64 {
    let dirty: UInt64 = consecutiveFailures != 0 || streak != 0 || firstErrorRecord != nil ? 8 : 0
    return generation << 8 | dirty | state.code
  }

  // MARK: Acquire

  @inlinable mutating func acquire(
    now: Duration, policy: BreakerPolicy, events: inout EventBuffer<Instant>
  ) -> BreakerDecision<Instant> {
    if let refusal = refusal(now: now, credential: events.credential, origin: events.origin) {
      return .rejected(refusal)
    }
    switch state {
    case .closed, .dead, .paused:
      // Dead and paused are always refused above.
      return .admitted(BreakerPermit(generation: generation, isProbe: false))
    case .open, .suspended:
      transition(to: .halfOpen, cause: .cooldownExpired, now: now, events: &events)
      return .admitted(admitProbe(now: now, policy: policy, events: &events))
    case .halfOpen:
      if probeLeaseUntil != nil {
        bumpGeneration()
        events.append(generation, now, .probeLeaseExpired)
      }
      return .admitted(admitProbe(now: now, policy: policy, events: &events))
    }
  }

  /// Whether the breaker refuses a call at `now` without changing state: dead or paused; open
  /// or suspended before the reopen instant (or with none); half-open with a probe lease
  /// running. `false` when ``acquire(now:policy:events:)`` must decide (an admission or a
  /// transition), including when `now` is `nil` (the clock was not read) and the answer
  /// depends on time.
  @inlinable func refuses(now: Duration?) -> Bool {
    switch state {
    case .closed:
      return false
    case .dead, .paused:
      return true
    case .open, .suspended:
      guard let reopenAt else { return true }  // forced open until closed by hand
      guard let now else { return false }
      return now.isShorter(than: reopenAt)
    case .halfOpen:
      guard let now, let lease = probeLeaseUntil else { return false }
      return now.isShorter(than: lease)
    }
  }

  /// The common rejection, decided with the fewest steps: the state already refused a call,
  /// so its ``BreakerRefusal`` is kept, and refuses this one too at `now`. Counts it and returns
  /// the kept refusal; `nil` sends the caller to the full ``acquire(now:policy:events:)``
  /// (first rejection of a state, an admission, a transition, or a shared episode record).
  ///
  /// Invariant: the kept refusal is dropped whenever the state, the reopen deadline or the
  /// first error changes (``transition(to:cause:now:events:)`` and the setters above), so a
  /// kept refusal always describes the current state.
  @inlinable mutating func repeatRefusal(now: Duration?) -> BreakerRefusal<Instant>? {
    guard let kept = episode?.refusal, refuses(now: now), isKnownUniquelyReferenced(&episode)
    else { return nil }
    counters.rejections = counters.rejections.saturatingAdd(1)
    let episode = episode.unsafelyUnwrapped
    episode.rejectedInState = episode.rejectedInState.saturatingAdd(1)
    // Only ``reject(credential:origin:)`` stores into `refusal`, always this type.
    return unsafeDowncast(kept, to: BreakerRefusal<Instant>.self)
  }

  /// Counts and describes a rejection if ``refuses(now:)``; `nil` otherwise. Emits no events,
  /// so callers need no event buffer. `credential` and `origin` go into the ``BreakerRefusal``
  /// if one has to be made.
  @inlinable mutating func refusal(
    now: Duration?, credential: CredentialID, origin: BreakerOrigin<Instant>
  ) -> BreakerRefusal<Instant>? {
    guard refuses(now: now) else { return nil }
    return reject(credential: credential, origin: origin)
  }

  @inlinable mutating func admitProbe(
    now: Duration, policy: BreakerPolicy, events: inout EventBuffer<Instant>
  ) -> BreakerPermit {
    let lease = now + policy.probeLeaseTimeout
    probeLeaseUntil = lease
    counters.probes = counters.probes.saturatingAdd(1)
    if events.isEnabled {
      events.append(generation, now, .probeAdmitted(leaseUntil: events.instant(lease)))
    }
    return BreakerPermit(generation: generation, isProbe: true)
  }

  /// Counts a rejection and returns the refusal of the current state: the kept one (see
  /// ``repeatRefusal(now:)`` for why it is always current), or a new one, kept for the next
  /// rejection. The caller builds the ``BreakerRejection`` after the lock is released.
  @inlinable mutating func reject(
    credential: CredentialID, origin: BreakerOrigin<Instant>
  ) -> BreakerRefusal<Instant> {
    counters.rejections = counters.rejections.saturatingAdd(1)
    let episode = uniqueEpisode()
    episode.rejectedInState = episode.rejectedInState.saturatingAdd(1)
    if let kept = episode.refusal {
      // Only this function stores into `refusal`, always a `BreakerRefusal<Instant>`.
      return unsafeDowncast(kept, to: BreakerRefusal<Instant>.self)
    }
    let refusal = BreakerRefusal(
      credential: credential, state: state, origin: origin,
      reopenAt: state == .open || state == .suspended ? episode.reopenAt : nil,
      firstErrorRecord: episode.firstErrorRecord)
    episode.refusal = refusal
    return refusal
  }

  @inlinable func availability(
    now: Duration, origin: BreakerOrigin<Instant>
  ) -> BreakerAvailability<Instant> {
    switch state {
    case .closed: return .available
    case .dead: return .dead
    case .paused: return .unavailable(until: nil, state: .paused)
    case .open, .suspended:
      guard let reopenAt else { return .unavailable(until: nil, state: state) }
      return now >= reopenAt
        ? .available : .unavailable(until: origin.instant(reopenAt), state: state)
    case .halfOpen:
      guard let lease = probeLeaseUntil, now < lease else { return .available }
      return .unavailable(until: nil, state: .halfOpen)
    }
  }

  // MARK: Outcomes

  @inlinable mutating func recordSuccess(
    _ permit: BreakerPermit, now: Duration, events: inout EventBuffer<Instant>
  ) {
    guard permit.generation == generation else { return }
    switch state {
    case .closed:
      clearEpisode()
    case .halfOpen where permit.isProbe:
      clearEpisode()
      transition(to: .closed, cause: .probeSucceeded, now: now, events: &events)
    default:
      return
    }
  }

  /// Cancellation is neutral; a cancelled probe frees the slot for the next caller.
  @inlinable mutating func recordCancellation(_ permit: BreakerPermit) {
    releaseProbe(permit)
  }

  @inlinable mutating func recordFailure(
    _ permit: BreakerPermit, _ failure: Classification, now: Duration, policy: BreakerPolicy,
    events: inout EventBuffer<Instant>
  ) {
    let current = permit.generation == generation
    let credentialCurrent = permit.generation >= credentialGeneration
    switch failure.disposition {
    case .fatal:
      // The request was bad, the credential answered: it is untouched. A probe that got a
      // fatal answer proves nothing either way, so the next caller probes.
      releaseProbe(permit)
    case .retryable:
      guard current, state == .closed || (state == .halfOpen && permit.isProbe) else { return }
      noteFailure(failure, now: now, events: &events)
      consecutiveFailures = consecutiveFailures.saturatingAdd(1)
      let providerWait = failure.retryAfter != nil && policy.opensOnProviderWait
      if state == .halfOpen || providerWait || consecutiveFailures >= policy.failureThreshold {
        trip(failure, now: now, policy: policy, events: &events)
      }
    case .permanent:
      guard credentialCurrent, state != .dead else { return }
      noteFailure(failure, now: now, events: &events, replacing: true)
      reopenAt = nil
      transition(to: .dead, cause: .failure(failure), now: now, events: &events)
    case .unauthorized:
      guard credentialCurrent, state != .dead, state != .paused else { return }
      noteFailure(failure, now: now, events: &events, replacing: true)
      reopenAt = nil
      transition(to: .paused, cause: .failure(failure), now: now, events: &events)
    case .quotaExhausted:
      guard credentialCurrent, state != .dead, state != .paused else { return }
      let wait = failure.retryAfter.map { min(max($0, .zero), policy.maximumQuotaWait) }
      let until = now + (wait ?? policy.quotaCooldown)
      if state == .suspended, let reopenAt, reopenAt >= until {
        repeatedErrors = repeatedErrors.saturatingAdd(1)
        return
      }
      noteFailure(failure, now: now, events: &events, replacing: state != .suspended)
      reopenAt = until
      if state == .suspended {
        return
      }
      transition(to: .suspended, cause: .failure(failure), now: now, events: &events)
    }
  }

  /// Opens with the next cooldown: the capped provider wait if one was given, else the
  /// jittered backoff for the new streak.
  @inlinable mutating func trip(
    _ failure: Classification, now: Duration, policy: BreakerPolicy,
    events: inout EventBuffer<Instant>
  ) {
    streak = streak.saturatingAdd(1)
    counters.trips = counters.trips.saturatingAdd(1)
    let cooldown: Duration
    if let wait = failure.retryAfter {
      cooldown = min(max(wait, .zero), policy.maximumProviderWait)
    } else {
      cooldown = policy.backoff.cooldown(
        forStreak: streak, previous: lastCooldown, using: &random)
    }
    lastCooldown = cooldown
    reopenAt = now + cooldown
    transition(to: .open, cause: .failure(failure), now: now, events: &events)
  }

  /// Keeps the first error of an episode in full and counts the rest. A credential-level
  /// verdict (`replacing`) becomes the kept error, because it is what the operator must see.
  @inlinable mutating func noteFailure(
    _ failure: Classification, now: Duration, events: inout EventBuffer<Instant>,
    replacing: Bool = false
  ) {
    counters.failures = counters.failures.saturatingAdd(1)
    if firstErrorRecord == nil || replacing {
      firstErrorRecord = ErrorRecord(failure)
      repeatedErrors = 0
      events.append(generation, now, .firstErrorRecorded(failure))
    } else {
      repeatedErrors = repeatedErrors.saturatingAdd(1)
    }
  }

  @inlinable mutating func releaseProbe(_ permit: BreakerPermit) {
    guard permit.isProbe, permit.generation == generation, state == .halfOpen else { return }
    probeLeaseUntil = nil
    bumpGeneration()
  }

  @inlinable mutating func clearEpisode() {
    consecutiveFailures = 0
    streak = 0
    lastCooldown = nil
    firstErrorRecord = nil
    repeatedErrors = 0
  }

  // MARK: Operator actions

  @inlinable @discardableResult mutating func forceOpen(
    until: Duration?, now: Duration, events: inout EventBuffer<Instant>
  )
    -> Bool
  {
    guard state != .dead else { return false }
    events.append(generation, now, .operatorAction(.forceOpen))
    reopenAt = until
    transition(to: .open, cause: .operatorAction(.forceOpen), now: now, events: &events)
    return true
  }

  @inlinable @discardableResult mutating func forceClose(
    now: Duration, events: inout EventBuffer<Instant>
  ) -> Bool {
    guard state != .dead else { return false }
    events.append(generation, now, .operatorAction(.forceClose))
    consecutiveFailures = 0
    closeByHand(.forceClose, now: now, events: &events)
    return true
  }

  @inlinable @discardableResult mutating func revive(
    now: Duration, events: inout EventBuffer<Instant>
  ) -> Bool {
    guard state == .dead else { return false }
    events.append(generation, now, .operatorAction(.revive))
    clearEpisode()
    closeByHand(.revive, now: now, events: &events)
    return true
  }

  @inlinable @discardableResult mutating func resume(
    now: Duration, events: inout EventBuffer<Instant>
  ) -> Bool {
    guard state == .paused else { return false }
    events.append(generation, now, .operatorAction(.resume))
    clearEpisode()
    closeByHand(.resume, now: now, events: &events)
    return true
  }

  @inlinable mutating func resetStreak(now: Duration, events: inout EventBuffer<Instant>) {
    events.append(generation, now, .operatorAction(.resetStreak))
    consecutiveFailures = 0
    streak = 0
    lastCooldown = nil
  }

  @inlinable mutating func credentialReplaced(now: Duration, events: inout EventBuffer<Instant>) {
    events.append(generation, now, .operatorAction(.credentialReplaced))
    clearEpisode()
    closeByHand(.credentialReplaced, now: now, events: &events)
  }

  /// Closes (or, if already closed, starts a new generation) and makes older permits unable
  /// to change the credential's standing.
  @inlinable mutating func closeByHand(
    _ action: BreakerOperatorAction, now: Duration, events: inout EventBuffer<Instant>
  ) {
    reopenAt = nil
    if state == .closed {
      bumpGeneration()
    } else {
      transition(to: .closed, cause: .operatorAction(action), now: now, events: &events)
    }
    credentialGeneration = generation
  }

  // MARK: Snapshots

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

  /// Loads `snapshot`, clamping damaged numbers: negative counts become zero, cooldowns are
  /// capped by `policy`'s longest wait, and a half-open state becomes open with a probe due.
  @inlinable mutating func restore(
    _ snapshot: BreakerSnapshot, now: Duration, policy: BreakerPolicy,
    events: inout EventBuffer<Instant>
  ) {
    events.append(generation, now, .operatorAction(.restore))
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
    let target: BreakerState = snapshot.state == .halfOpen ? .open : snapshot.state
    switch target {
    case .open, .suspended:
      let remaining = snapshot.state == .halfOpen ? .zero : snapshot.cooldownRemaining
      reopenAt = remaining.map { now + min(max($0, .zero), longest) }
    default:
      reopenAt = nil
    }
    if target == state {
      bumpGeneration()
      rejectedInState = 0
      probeLeaseUntil = nil
    } else {
      transition(to: target, cause: .operatorAction(.restore), now: now, events: &events)
    }
    credentialGeneration = generation
  }

  // MARK: Transitions

  @inlinable mutating func bumpGeneration() {
    generation = (generation &+ 1) & Self.generationMask
  }

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
    uniqueEpisodeIfPresent()?.refusal = nil  // it states the old state
    probeLeaseUntil = nil
    bumpGeneration()
    events.append(generation, now, .transition(from: previous, to: next, cause: cause))
  }
}

/// Events produced under the lock, delivered after it is released. It allocates only when
/// someone listens: with `isEnabled` false, appending does nothing.
@usableFromInline
struct EventBuffer<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
  @usableFromInline let isEnabled: Bool
  /// The breaker's credential, for events.
  @usableFromInline let credential: CredentialID
  /// Turns the machine's offsets back into instants.
  @usableFromInline let origin: BreakerOrigin<Instant>
  @usableFromInline var events: [BreakerEvent<Instant>] = []

  @inlinable init(isEnabled: Bool, credential: CredentialID, origin: BreakerOrigin<Instant>) {
    self.isEnabled = isEnabled
    self.credential = credential
    self.origin = origin
  }

  /// The instant `offset` after the origin.
  @inlinable func instant(_ offset: Duration) -> Instant { origin.instant(offset) }

  @inlinable mutating func append(
    _ generation: UInt64, _ now: Duration,
    _ kind: BreakerEvent<Instant>.Kind
  ) {
    guard isEnabled else { return }
    events.append(
      BreakerEvent(
        credential: credential, instant: origin.instant(now), generation: generation, kind: kind))
  }
}

extension Int {
  /// `self + other`, stopping at `Int.max` instead of trapping.
  @inlinable func saturatingAdd(_ other: Int) -> Int {
    let (sum, overflow) = addingReportingOverflow(other)
    return overflow ? (other > 0 ? .max : .min) : sum
  }
}
