import Synchronization

/// One credential's circuit breaker, shared by every task that uses the credential.
///
/// States: closed, open, halfOpen, dead, paused, suspended (see ``BreakerState`` and
/// Docs/Breaker.md). Two ways in: ``acquire()`` then exactly one of ``recordSuccess(_:)``,
/// ``recordFailure(_:_:)``, ``recordCancellation(_:)``; or ``run(classifier:_:)``.
///
/// Cost: the breaker mirrors its state into one atomic word, `generation << 8 | dirty << 3 |
/// state`. A closed breaker's ``acquire()`` is one atomic load; ``recordSuccess(_:)`` is one
/// relaxed load and, when the breaker is clean (no failures counted), nothing else: no lock,
/// no clock read, no allocation. Everything else (failures, rejections, transitions) takes a
/// `Mutex` and reads the clock once.
public final class CircuitBreaker<C: Clock>: Sendable where C.Duration == Duration {
  /// The error ``acquire()`` throws.
  public typealias Rejection = BreakerRejection<C.Instant>
  /// The events this breaker emits.
  public typealias Event = BreakerEvent<C.Instant>

  /// The credential this breaker guards.
  public let credential: CredentialID
  /// The published mirror of the machine: written only under `machine`'s lock.
  @usableFromInline let word = Atomic<UInt64>(0)
  /// A registry's last-use stamp for this breaker (its lookup tick), kept here rather than in
  /// the registry's table because a lookup writes this cache line anyway (the retain of the
  /// returned breaker), so the table's slots stay small. Written and read only under the
  /// registry's lock; atomic (relaxed: a plain store) only so the class stays `Sendable`.
  @usableFromInline let registryLastUse = Atomic<UInt64>(0)
  @usableFromInline let machine: Mutex<BreakerMachine<C.Instant>>
  @usableFromInline let environment: BreakerEnvironment<C>

  /// Creates a closed breaker for `credential`.
  ///
  /// - Parameters:
  ///   - credential: the credential this breaker guards (an opaque id, never the secret).
  ///   - policy: when to open and for how long.
  ///   - clock: the only source of time.
  ///   - random: the jitter source (seed it in tests).
  ///   - observer: called with every event, outside the breaker's lock, on the reporting task.
  public convenience init(
    credential: CredentialID = "default", policy: BreakerPolicy = BreakerPolicy(), clock: C,
    random: BackoffRandomSource = .system, observer: (@Sendable (Event) -> Void)? = nil
  ) {
    self.init(
      credential: credential,
      environment: BreakerEnvironment(clock: clock, policy: policy, observer: observer),
      random: random)
  }

  @usableFromInline
  init(credential: CredentialID, environment: BreakerEnvironment<C>, random: BackoffRandomSource) {
    self.credential = credential
    self.environment = environment
    self.machine = Mutex(BreakerMachine(random: random))
  }

  /// The policy in force, with every setting clamped into range.
  public var policy: BreakerPolicy { environment.policy }

  /// The clock the breaker reads.
  public var clock: C { environment.clock }

  /// The current state (one atomic load).
  public var state: BreakerState {
    BreakerStateWord(rawValue: word.load(ordering: .acquiring)).state
  }

  /// Whether the breaker is closed with nothing counted: safe to evict from a registry.
  @inlinable var isIdleHealthy: Bool {
    BreakerStateWord(rawValue: word.load(ordering: .acquiring)).isIdleHealthy
  }

  // MARK: Permits

  /// Asks to make one call. Decided before the caller's operation starts.
  ///
  /// Closed: admitted (one atomic load). Open or suspended: rejected until the reopen instant,
  /// then the first caller becomes the half-open probe. Half-open: rejected while the probe is
  /// out, unless its lease lapsed. Dead, paused: rejected.
  ///
  /// - Throws: ``BreakerRejection`` saying why and until when.
  @inlinable
  public func acquire() throws(Rejection) -> BreakerPermit {
    let packed = BreakerStateWord(rawValue: word.load(ordering: .acquiring))
    if packed.isClosed {
      return BreakerPermit(generation: packed.generation, isProbe: false)
    }
    return try acquireSlow(packed)
  }

  /// ``acquire()``'s closed case alone: a permit when the breaker is closed, otherwise `nil`
  /// with nothing counted or changed, so the caller can go on to ``acquire()``.
  @inlinable
  func permitIfClosed() -> BreakerPermit? {
    let packed = BreakerStateWord(rawValue: word.load(ordering: .acquiring))
    return packed.isClosed ? BreakerPermit(generation: packed.generation, isProbe: false) : nil
  }

  @inlinable @inline(never)
  func acquireSlow(_ packed: BreakerStateWord) throws(Rejection) -> BreakerPermit {
    // A refusal changes no state and emits no events: one short locked section, no event
    // buffer. Dead and paused need no clock read: nothing about them depends on time.
    let timeless =
      packed.stateCode == BreakerState.dead.code || packed.stateCode == BreakerState.paused.code
    let now: Duration? = timeless ? nil : environment.now
    let repeated = machine.withLock { machine in
      // Changes no state, so the word read here is also the one to republish (see `locked`).
      let current = word.load(ordering: .acquiring)
      let refusal = machine.repeatRefusal(now: now)
      word.store(current, ordering: .releasing)
      return refusal
    }
    if let repeated { throw rejection(repeated, now: now) }
    let credential = credential
    let origin = environment.origin
    // An admission, a transition, or a state changed since `packed` was read.
    let current = now ?? environment.now
    let policy = environment.policy
    var events = EventBuffer<C.Instant>(
      isEnabled: environment.hub.isListening, credential: credential, origin: origin)
    let decision = locked { machine in
      machine.acquire(now: current, policy: policy, events: &events)
    }
    environment.hub.deliver(events.events)
    switch decision {
    case .admitted(let permit): return permit
    case .rejected(let refusal): throw rejection(refusal, now: current)
    }
  }

  /// The public rejection for `refusal`, built outside the lock: `retryAfter` is
  /// `max(reopenAt - now, 0)` when both are known.
  @inlinable @inline(__always)
  func rejection(_ refusal: BreakerRefusal<C.Instant>, now: Duration?) -> Rejection {
    var retryAfter: Duration?
    if let reopenAt = refusal.reopenAt, let now {
      retryAfter = reopenAt.clampedSubtracting(now).clampedToZero
    }
    return Rejection(refusal: refusal, retryAfter: retryAfter)
  }

  /// Reports that the permitted call succeeded: closes a half-open breaker, clears the streak.
  ///
  /// When the breaker is closed and clean in the permit's generation, this is one relaxed
  /// atomic load and nothing else.
  @inlinable
  public func recordSuccess(_ permit: BreakerPermit) {
    if !permit.isProbe
      && word.load(ordering: .relaxed)
        == BreakerStateWord.cleanClosed(generation: permit.generation).rawValue
    {
      return
    }
    recordSuccessSlow(permit)
  }

  @inlinable @inline(never)
  func recordSuccessSlow(_ permit: BreakerPermit) {
    let now = environment.now
    let policy = environment.policy
    mutate { machine, events in
      machine.recordSuccess(permit, now: now, policy: policy, events: &events)
    }
  }

  /// Reports that the permitted call failed as `classification` says.
  ///
  /// retryable: counts toward the threshold, opens (or reopens from half-open with the next,
  /// longer cooldown); permanent: dead at once; unauthorized: paused; quotaExhausted:
  /// suspended; fatal: the credential is untouched. Stale reports (older generation) are
  /// ignored, except credential verdicts (permanent, unauthorized, quotaExhausted) issued
  /// since the credential was last replaced or reset by hand.
  @inlinable
  public func recordFailure(_ permit: BreakerPermit, _ classification: Classification) {
    let now = environment.now
    let policy = environment.policy
    mutate { machine, events in
      machine.recordFailure(permit, classification, now: now, policy: policy, events: &events)
    }
  }

  /// Reports that the permitted call was cancelled: neutral. A cancelled probe frees the slot
  /// for the next caller.
  @inlinable
  public func recordCancellation(_ permit: BreakerPermit) {
    guard permit.isProbe else { return }
    let now = environment.now
    let policy = environment.policy
    // Releasing a probe emits no event.
    var events = EventBuffer<C.Instant>(
      isEnabled: false, credential: credential, origin: environment.origin)
    let state = locked { machine in
      machine.recordCancellation(permit, now: now, policy: policy, events: &events)
      return machine.state
    }
    // The probe's slot is free again: a waiting caller may take it.
    environment.changes.report(credential, state)
  }

  // MARK: Queries

  /// Whether a call would be admitted now, and if not until when. Closed: one atomic load.
  @inlinable
  public func availability() -> BreakerAvailability<C.Instant> {
    if BreakerStateWord(rawValue: word.load(ordering: .acquiring)).isClosed { return .available }
    let now = environment.now
    let origin = environment.origin
    return locked { machine in machine.availability(now: now, origin: origin) }
  }

  /// The breaker's state as plain values, cooldown relative to now.
  public func snapshot() -> BreakerSnapshot {
    let now = environment.now
    return locked { machine in machine.snapshot(now: now) }
  }

  /// Replaces the state with `snapshot` (damaged numbers clamped; see ``BreakerSnapshot``).
  /// Permits issued before cannot change the restored state. Emits a `restore` event.
  public func restore(_ snapshot: BreakerSnapshot) {
    let now = environment.now
    let policy = environment.policy
    mutate { machine, events in
      machine.restore(snapshot, now: now, policy: policy, events: &events)
    }
  }

  /// A stream of every later event of this breaker (for a registry's breakers: of all its
  /// breakers). Keeps the newest `bufferLimit` events if the reader falls behind.
  public func events(bufferLimit: Int = 256) -> AsyncStream<Event> {
    environment.hub.stream(bufferLimit: bufferLimit)
  }

  // MARK: Operator controls

  /// Opens by hand until `until` (then a probe is admitted), or, with `nil`, until
  /// ``forceClose()``. An instant already past admits the probe at once; one more than 100
  /// years ahead counts as 100 years. A dead breaker stays dead. Returns whether it acted.
  @discardableResult
  public func forceOpen(until: C.Instant? = nil) -> Bool {
    let now = environment.now
    // A past instant means "probe now"; a far one is held to the policy's 100-year bound, so
    // every later `deadline - now` stays in range.
    let latest = now.clampedAdding(BreakerPolicy.maximumDuration)
    let offset = until.map { min(max(environment.offset(of: $0), now), latest) }
    let policy = environment.policy
    return mutate { machine, events in
      machine.forceOpen(until: offset, now: now, policy: policy, events: &events)
    }
  }

  /// Opens by hand for `duration` from now (clamped to the policy's 100-year bound). A dead
  /// breaker stays dead. Returns whether it acted.
  @discardableResult
  public func forceOpen(for duration: Duration) -> Bool {
    let now = environment.clock.now
    let bounded = min(max(duration, .zero), BreakerPolicy.maximumDuration)
    return forceOpen(until: now.advanced(by: bounded))
  }

  /// Closes by hand from any state but dead (use ``revive()``), clearing the consecutive
  /// failure count but keeping the streak. Returns whether it acted.
  @discardableResult
  public func forceClose() -> Bool {
    let now = environment.now
    let policy = environment.policy
    return mutate { machine, events in machine.forceClose(now: now, policy: policy, events: &events)
    }
  }

  /// Brings a dead credential back to closed with the streak cleared. Returns whether it was
  /// dead.
  @discardableResult
  public func revive() -> Bool {
    let now = environment.now
    let policy = environment.policy
    return mutate { machine, events in machine.revive(now: now, policy: policy, events: &events) }
  }

  /// Brings a paused credential back to closed with the streak cleared. Returns whether it was
  /// paused.
  @discardableResult
  public func resume() -> Bool {
    let now = environment.now
    let policy = environment.policy
    return mutate { machine, events in machine.resume(now: now, policy: policy, events: &events) }
  }

  /// Clears the streak and the consecutive-failure count; the state is unchanged, so the next
  /// trip uses the base cooldown.
  public func resetStreak() {
    let now = environment.now
    let policy = environment.policy
    mutate { machine, events in machine.resetStreak(now: now, policy: policy, events: &events) }
  }

  /// Says the credential was replaced or refreshed: from any state (dead and paused included)
  /// to closed, with the streak and first error cleared. Reports from older permits can no
  /// longer kill, pause or suspend it.
  public func credentialReplaced() {
    let now = environment.now
    let policy = environment.policy
    mutate { machine, events in
      machine.credentialReplaced(now: now, policy: policy, events: &events)
    }
  }

  // MARK: Plumbing

  /// Runs `body` under the lock, then delivers its events outside the lock.
  @inlinable @discardableResult
  func mutate<Result: Sendable>(
    _ body: (inout BreakerMachine<C.Instant>, inout EventBuffer<C.Instant>) -> Result
  ) -> Result {
    var events = EventBuffer<C.Instant>(
      isEnabled: environment.hub.isListening, credential: credential,
      origin: environment.origin)
    let (result, change) = locked { machine -> (Result, BreakerState?) in
      let before = machine.state
      let result = body(&machine, &events)
      return (result, machine.state == before ? nil : machine.state)
    }
    environment.hub.deliver(events.events)
    if let change { environment.changes.report(credential, change) }
    return result
  }

  /// Runs `body` under the lock and republishes the packed word as its last write.
  ///
  /// The acquiring load on entry and the releasing store on exit publish the state to the
  /// fast path, and also make the lock's hand-off visible to ThreadSanitizer, which cannot see
  /// a contended `Mutex` being handed over inside the kernel (see `SanitizerVisibleMutex`).
  @inlinable
  func locked<Result: Sendable>(
    _ body: (inout BreakerMachine<C.Instant>) -> Result
  ) -> Result {
    machine.withLock { machine in
      _ = word.load(ordering: .acquiring)
      let result = body(&machine)
      machine.dropEmptyEpisode()
      word.store(machine.stateWord.rawValue, ordering: .releasing)
      return result
    }
  }
}

extension CircuitBreaker where C == CoarseMonotonicClock {
  /// Creates a closed breaker for `credential` on ``CoarseMonotonicClock``, the default clock.
  ///
  /// An open breaker reads its clock on every rejected call, and a precise clock read
  /// (`ContinuousClock.now`, 30 to 80 ns) costs more than the rest of the rejection; the coarse
  /// clock costs about 10 ns and lags by at most a few scheduler ticks, nothing next to
  /// cooldowns of seconds to hours. Like `SuspendingClock` it does not advance while the
  /// machine sleeps, so a cooldown also pauses then. Pass `clock: ContinuousClock()` for a
  /// clock that counts sleep, or a `ManualClock` in tests.
  public convenience init(
    credential: CredentialID = "default", policy: BreakerPolicy = BreakerPolicy(),
    random: BackoffRandomSource = .system, observer: (@Sendable (Event) -> Void)? = nil
  ) {
    self.init(
      credential: credential, policy: policy, clock: CoarseMonotonicClock(), random: random,
      observer: observer)
  }
}
