import Synchronization

/// The credential pool on the default clock, ``CoarseMonotonicClock``, with its own
/// ``BreakerRegistry`` unless given one: `CredentialPool(["primary": key1, "backup": key2])`
/// is a `CredentialPool<String>`.
public typealias CredentialPool<Credential: Sendable & Equatable> = ClockedCredentialPool<
  Credential, CoarseMonotonicClock
>

/// Several credentials for one provider, each behind its own ``CircuitBreaker``, handed out
/// one per attempt.
///
/// Selection (``CredentialSelection``) skips every credential its breaker rejects: open,
/// half-open with its probe out, dead, paused and suspended. When none is usable the pool says
/// so at once, with the earliest instant one becomes usable when that is known; it never hands
/// out a credential it knows is dead.
///
/// With ``CredentialRefreshing``, an `unauthorized` credential is refreshed single-flight: one
/// refresh however many callers were rejected, every caller gets the fresh value. A credential
/// known to have expired (its refresher gave a lifetime, within ``RefreshPolicy/expiryMargin``
/// of its end) or to be rejected is refreshed the same way before it is sent, never sent as is.
///
/// With ``CredentialSourcing``, a credential that is dead or paused is read again from its
/// ``CredentialSource`` every ``CredentialSourcing/checkInterval``; a changed value is installed
/// as ``replace(_:with:)`` does, without a restart.
///
/// ``waitUntilUsable(deadline:)`` suspends until a credential can take a call, woken by the
/// change itself (a replacement, a revive adopted from shared state, a resume, a cooldown's
/// end), in batches no larger than the credentials can take.
///
/// Credential values stay inside the pool: only ``CredentialID``s appear in errors and events.
public final class ClockedCredentialPool<Credential: Sendable & Equatable, C: Clock>: Sendable
where C.Duration == Duration {
  // `@usableFromInline` so a call's first lease (`admitAtCursor()`) specialises in the caller.
  @usableFromInline
  struct Member: Sendable {
    @usableFromInline let id: CredentialID
    @usableFromInline let breaker: CircuitBreaker<C>
    /// Present when the pool refreshes credentials; then it holds the current value.
    @usableFromInline let refresher: RefreshCoordinator<Credential, C>?
  }

  @usableFromInline
  struct State: Sendable {
    var lastFailure: [C.Instant?]
    /// The current values of credentials that are not refreshable, by member index.
    @usableFromInline var values: [Credential]
    /// Whether the task that reads the credential sources again is running.
    var watchingSources = false
  }

  /// How many waiters one closed credential wakes at once; a due probe wakes one.
  static var wakeBatchPerClosedCredential: Int { 16 }

  @usableFromInline let members: [Member]
  @usableFromInline let state: SanitizerVisibleMutex<State>
  /// The member round robin tries first, always in `0..<members.count`. An atomic rather than
  /// a field of `state`: it was only ever read and written in separate locked sections (a
  /// racing pair of leases may start at the same member, which round robin tolerates), so a
  /// relaxed load and store keep that meaning without a lock.
  @usableFromInline let cursor = Atomic<Int>(0)
  private let waiters: CredentialWaitQueue<C>
  private let changeListener = Atomic<UInt64>(0)
  /// Where changed credential values are read from, or `nil` for fixed values.
  public let sourcing: CredentialSourcing<Credential>?
  /// How the next credential is picked.
  public let selection: CredentialSelection
  /// Whether ``selection`` is round robin, as a plain flag for the inlined first lease.
  @usableFromInline let isRoundRobin: Bool
  /// The registry holding the credentials' breakers.
  public let registry: BreakerRegistry<C>

  /// Creates a pool.
  ///
  /// - Parameters:
  ///   - credentials: ids and values, in round-robin order. Ids must be unique.
  ///   - registry: where each credential's breaker lives; its clock is the pool's clock.
  ///   - selection: how to pick among usable credentials.
  ///   - refreshing: how to refresh `unauthorized` credentials, or `nil` to pause them instead.
  ///   - sourcing: where to read changed values of dead or paused credentials, or `nil`.
  /// - Throws: ``CredentialPoolError`` for an empty list or a repeated id.
  public init(
    _ credentials: [(id: CredentialID, credential: Credential)],
    registry: BreakerRegistry<C>,
    selection: CredentialSelection = .roundRobin,
    refreshing: CredentialRefreshing<Credential>? = nil,
    sourcing: CredentialSourcing<Credential>? = nil
  ) throws(CredentialPoolError) {
    guard !credentials.isEmpty else { throw .empty }
    var seen = Set<CredentialID>()
    for (id, _) in credentials where !seen.insert(id).inserted { throw .duplicateID(id) }
    let clock = registry.clock
    members = credentials.map { id, credential in
      let coordinator = refreshing.map { refreshing in
        RefreshCoordinator(
          credential: credential, lifetime: nil, policy: refreshing.policy,
          classifier: refreshing.classifier, clock: clock
        ) { stale in try await refreshing.refreshWithExpiry(id, stale) }
      }
      return Member(id: id, breaker: registry.breaker(for: id), refresher: coordinator)
    }
    state = SanitizerVisibleMutex(
      State(
        lastFailure: Array(repeating: nil, count: credentials.count),
        values: credentials.map(\.credential)))
    self.selection = selection
    self.isRoundRobin = selection == .roundRobin
    self.registry = registry
    self.sourcing = sourcing
    self.waiters = CredentialWaitQueue(clock: clock)
    let token = registry.environment.changes.add { [weak self] id, state in
      self?.breakerChanged(id, to: state)
    }
    changeListener.store(token, ordering: .relaxed)
  }

  deinit {
    registry.environment.changes.remove(changeListener.load(ordering: .relaxed))
  }

  /// Creates a pool from a literal list of ids and values, in round-robin order:
  /// `CredentialPool(["primary": key1, "backup": key2], registry: registry)`.
  ///
  /// - Throws: ``CredentialPoolError`` for an empty list or a repeated id.
  public convenience init(
    _ credentials: KeyValuePairs<CredentialID, Credential>,
    registry: BreakerRegistry<C>,
    selection: CredentialSelection = .roundRobin,
    refreshing: CredentialRefreshing<Credential>? = nil,
    sourcing: CredentialSourcing<Credential>? = nil
  ) throws(CredentialPoolError) {
    try self.init(
      credentials.map { (id: $0.key, credential: $0.value) }, registry: registry,
      selection: selection, refreshing: refreshing, sourcing: sourcing)
  }

  /// Creates a pool of one credential.
  public convenience init(
    id: CredentialID, credential: Credential, registry: BreakerRegistry<C>,
    refreshing: CredentialRefreshing<Credential>? = nil,
    sourcing: CredentialSourcing<Credential>? = nil
  ) {
    // One credential can be neither empty nor duplicated.
    try! self.init(
      [(id, credential)], registry: registry, refreshing: refreshing, sourcing: sourcing)
  }

  /// The clock every breaker of the pool reads.
  public var clock: C { registry.clock }

  /// The credentials' ids, in round-robin order.
  public var ids: [CredentialID] { members.map(\.id) }

  /// The breaker of credential `id`, or `nil` if the pool has no such credential.
  public func breaker(for id: CredentialID) -> CircuitBreaker<C>? {
    members.first { $0.id == id }?.breaker
  }

  /// Installs a new value for credential `id` (rotated secret, re-issued key): the breaker
  /// closes with its history cleared, a dead or paused refresher is revived. Returns whether
  /// the pool has that id.
  @discardableResult
  public func replace(_ id: CredentialID, with credential: Credential) -> Bool {
    guard let index = members.firstIndex(where: { $0.id == id }) else { return false }
    let member = members[index]
    state.withLock { $0.values[index] = credential }
    member.refresher?.replace(with: credential)
    let wasClosed = member.breaker.state == .closed
    member.breaker.credentialReplaced()
    // A breaker that changed state woke the waiters itself; one already closed did not, yet the
    // replaced refresher may have made the credential usable.
    if wasClosed { wakeWaiters() }
    return true
  }

  /// Resumes a paused credential: its breaker and its refresher. Returns whether it was paused.
  @discardableResult
  public func resume(_ id: CredentialID) -> Bool {
    guard let member = members.first(where: { $0.id == id }) else { return false }
    member.refresher?.resume()
    let resumed = member.breaker.resume()
    // A resumed breaker woke the waiters itself; otherwise the refresher alone may have changed.
    if !resumed { wakeWaiters() }
    return resumed
  }

  // MARK: Waiting for a usable credential

  /// Suspends until some credential can take a call now, or `deadline` passes.
  ///
  /// Woken by the change, not by polling: ``replace(_:with:)``, ``resume(_:)``, a revive or
  /// reset adopted from shared state, a probe that succeeded or was given back, a changed value
  /// read from the ``sourcing`` source, and the end of the earliest cooldown. Waiters wake first
  /// come first served, at most 16 per closed credential and one
  /// for a due half-open probe; each that finds a credential still usable wakes the next, and
  /// each that finds none waits again. Waiting costs no CPU and no timer per waiter.
  ///
  /// While anyone waits for a dead or paused credential, its source (if any) is read every
  /// ``CredentialSourcing/checkInterval``.
  ///
  /// - Throws: ``CredentialWaitError/cancelled`` as soon as the task is cancelled;
  ///   ``CredentialWaitError/deadlineReached`` when `deadline` passes first.
  public func waitUntilUsable(deadline: C.Instant? = nil) async throws(CredentialWaitError) {
    while true {
      if Task.isCancelled { throw .cancelled }
      if usability().usable {
        wakeNextIfClosed()
        return
      }
      switch await waitForChange(deadline: deadline) {
      case .woken: continue
      case .timedOut: throw .deadlineReached
      case .cancelled: throw .cancelled
      }
    }
  }

  /// How many tasks are waiting in ``waitUntilUsable(deadline:)`` or in an executor call.
  public var waitingCount: Int { waiters.count }

  /// How many of the pool's own tasks are running or asleep on its clock: the source watcher
  /// and the waiters' alarm. A virtual-time runner waits for them to sleep before it moves the
  /// clock on, as it does for its sessions.
  package var backgroundTaskCount: Int {
    (state.withLock { $0.watchingSources } ? 1 : 0) + (waiters.hasAlarm ? 1 : 0)
  }

  /// Suspends until a change may have made a credential usable (see
  /// ``waitUntilUsable(deadline:)``), `deadline` passes, or the task is cancelled. Returns at
  /// once, woken, if one is usable by the time the waiter is registered.
  func waitForChange(deadline: C.Instant?) async -> CredentialWaitQueue<C>.Wake {
    watchSourcesIfNeeded()
    return await waiters.wait(deadline: deadline) { usability() }
  }

  /// Passes the wake on after a woken waiter found a credential usable, while the credentials
  /// can take more callers (a closed one can; a half-open probe cannot).
  func wakeNextIfClosed() {
    guard waiters.count > 0, members.contains(where: { $0.breaker.state == .closed }) else {
      return
    }
    waiters.wake(1)
  }

  /// Whether any credential admits a call now, and otherwise the earliest cooldown end.
  private func usability() -> (usable: Bool, reopenAt: C.Instant?) {
    var earliest: C.Instant?
    for member in members {
      switch member.breaker.availability() {
      case .available: return (true, nil)
      case .dead: continue
      case .unavailable(let until, _):
        if let until { earliest = min(earliest ?? until, until) }
      }
    }
    return (false, earliest)
  }

  /// Wakes as many waiters as the credentials can take now.
  private func wakeWaiters() {
    guard waiters.count > 0 else { return }
    var capacity = 0
    for member in members {
      if member.breaker.state == .closed {
        capacity += Self.wakeBatchPerClosedCredential
      } else if member.breaker.availability() == .available {
        capacity += 1
      }
    }
    waiters.wake(capacity)
  }

  /// A breaker of the registry changed state.
  private func breakerChanged(_ id: CredentialID, to state: BreakerState) {
    guard members.contains(where: { $0.id == id }) else { return }
    switch state {
    case .closed, .halfOpen: wakeWaiters()
    case .dead, .paused: watchSourcesIfNeeded()
    // A probe failed, or a credential tripped: its cooldown's end is when to look again.
    case .open, .suspended: waiters.noteReopen(at: usability().reopenAt)
    }
  }

  // MARK: Reading changed credentials

  /// Reads the source of every dead or paused credential once and installs each value that
  /// differs from the one in use, as ``replace(_:with:)`` does. A source that cannot be read, or
  /// gives the same value, changes nothing; problems go to ``CredentialSourcing/onProblem``.
  ///
  /// The pool calls this on its own every ``CredentialSourcing/checkInterval`` while a
  /// credential is dead or paused; call it to look at once (say on `SIGHUP`).
  ///
  /// - Returns: the ids whose value was replaced.
  @discardableResult
  public func checkSources() async -> [CredentialID] {
    guard let sourcing else { return [] }
    var replaced: [CredentialID] = []
    for index in members.indices where needsSourceCheck(index) {
      let id = members[index].id
      let value: Credential
      do {
        value = try await sourcing.source.read(id)
      } catch {
        sourcing.onProblem?(id, error)
        continue
      }
      guard value != valueForUse(at: index).credential else { continue }
      replace(id, with: value)
      replaced.append(id)
    }
    return replaced
  }

  /// Whether member `index` is unusable until its value changes: dead, or paused.
  private func needsSourceCheck(_ index: Int) -> Bool {
    let member = members[index]
    switch member.breaker.state {
    case .dead, .paused: return true
    case .closed, .open, .halfOpen, .suspended: break
    }
    switch member.refresher?.status {
    case .dead, .paused: return true
    case .usable, nil: return false
    }
  }

  /// Starts the task that reads the sources again, if there are sources, a credential that
  /// needs them, and no such task yet. It ends once no credential needs them.
  private func watchSourcesIfNeeded() {
    guard let sourcing, members.indices.contains(where: needsSourceCheck) else { return }
    let start = state.withLock { state -> Bool in
      if state.watchingSources { return false }
      state.watchingSources = true
      return true
    }
    guard start else { return }
    let clock = clock
    let interval = sourcing.checkInterval
    Task { [weak self] in
      while true {
        do {
          try await clock.sleep(for: interval)
        } catch {
          break
        }
        guard let pool = self else { return }
        await pool.checkSources()
        guard pool.members.indices.contains(where: pool.needsSourceCheck) else { break }
      }
      self?.state.withLock { $0.watchingSources = false }
      // A credential that died as the task ended must not go unwatched.
      self?.watchSourcesIfNeeded()
    }
  }

  /// The first lease of a call, when round robin's next credential is closed: the member and
  /// the permit that ``lease(excluding:)`` hands out in that case, without its walk. `nil`
  /// otherwise, having changed nothing (a closed breaker's permit has no side effect), so the
  /// caller asks ``lease(excluding:)``, which decides the rest as before.
  ///
  /// Two steps, so that what may be `nil` holds no reference: an optional lease was destroyed
  /// through generic value witnesses on every call (about 300 instructions). Inlined into the
  /// caller so it specialises: one load of the cursor, one of the breaker's word.
  @inlinable @inline(__always)
  func admitAtCursor() -> (index: Int, permit: BreakerPermit)? {
    guard isRoundRobin else { return nil }
    let count = members.count
    let index = count == 1 ? 0 : cursor.load(ordering: .relaxed) % count
    guard let permit = members[index].breaker.permitIfClosed() else { return nil }
    if count > 1 { cursor.store((index + 1) % count, ordering: .relaxed) }
    return (index, permit)
  }

  /// The value to send for member `index`, and whether it must be refreshed first: one short
  /// locked read of the value (values can be replaced at any time), or the refresher's current
  /// one.
  @inlinable
  func valueForUse(at index: Int) -> (credential: Credential, refreshFirst: Bool) {
    if let refresher = members[index].refresher { return refresher.currentForUse() }
    return (state.withLock { $0.values[index] }, false)
  }

  /// The breaker of member `index`.
  @inlinable
  func breaker(at index: Int) -> CircuitBreaker<C> { members[index].breaker }

  /// The lease for a member ``admitAtCursor()`` admitted, with the value it read: built only
  /// when the call leaves the success path, because holding one across the attempt costs two
  /// destroys through its value witnesses.
  @inlinable
  func lease(
    admitted: (index: Int, permit: BreakerPermit), credential: Credential, refreshFirst: Bool
  ) -> CredentialLease<Credential, C> {
    let member = members[admitted.index]
    return CredentialLease(
      index: admitted.index, id: member.id, credential: credential, breaker: member.breaker,
      permit: admitted.permit, refreshFirst: refreshFirst)
  }

  /// Picks a credential whose breaker admits a call now, skipping `excluded` ids.
  func lease(excluding excluded: Set<CredentialID> = []) -> PoolDecision<Credential, C> {
    var earliest: C.Instant?
    var allDead = true
    let count = members.count
    // Round robin walks from the cursor without building an order: no allocation per lease.
    let order = selection == .leastRecentlyFailed ? leastRecentlyFailedOrder() : nil
    let start = order == nil ? cursor.load(ordering: .relaxed) % count : 0
    for step in 0..<count {
      let index = order?[step] ?? (start + step) % count
      let member = members[index]
      if excluded.contains(member.id) {
        // Not for this call, but it still decides whether "all dead" is true.
        switch member.breaker.availability() {
        case .dead: break
        case .available: allDead = false
        case .unavailable(let until, _):
          allDead = false
          if let until { earliest = min(earliest ?? until, until) }
        }
        continue
      }
      do {
        let permit = try member.breaker.acquire()
        cursor.store((index + 1) % count, ordering: .relaxed)
        let (credential, refreshFirst) = valueForUse(at: index)
        return .leased(
          CredentialLease(
            index: index, id: member.id, credential: credential, breaker: member.breaker,
            permit: permit, refreshFirst: refreshFirst))
      } catch {
        guard error.state != .dead else { continue }
        allDead = false
        if let reopenAt = error.reopenAt { earliest = min(earliest ?? reopenAt, reopenAt) }
      }
    }
    return allDead ? .allDead : .unavailable(until: earliest)
  }

  /// Remembers that credential `lease` just failed, for least-recently-failed selection.
  func noteFailure(of lease: CredentialLease<Credential, C>) {
    let now = clock.now
    state.withLock { $0.lastFailure[lease.index] = now }
  }

  /// Deals with an `unauthorized` answer on `lease`: refreshes single-flight if the pool can,
  /// otherwise pauses the credential, and reports the permit's outcome.
  func resolveUnauthorized(
    _ lease: CredentialLease<Credential, C>, _ classification: Classification, mayRefresh: Bool
  ) async -> UnauthorizedResolution {
    let breaker = lease.breaker
    guard mayRefresh, let coordinator = members[lease.index].refresher else {
      breaker.recordFailure(lease.permit, classification)
      return .rotate(classification)
    }
    guard let outcome = await refresh(lease, with: coordinator) else { return .cancelled }
    switch settle(outcome, of: lease, pausedVerdict: classification) {
    case .fresh:
      // A successful refresh is not a verdict on the call: neutral for the breaker, and a
      // breaker paused earlier for this credential is closed again.
      breaker.recordCancellation(lease.permit)
      if breaker.state == .paused { breaker.credentialReplaced() }
      return .retry
    case .rotate(let verdict):
      return .rotate(verdict)
    }
  }

  /// The refresh coordinator of credential `id`, or `nil` when the pool does not refresh.
  func refresher(for id: CredentialID) -> RefreshCoordinator<Credential, C>? {
    members.first { $0.id == id }?.refresher
  }

  /// Refreshes the credential of `lease` before it is sent, because it is known to be expired or
  /// rejected (``CredentialLease/refreshFirst``): single-flight, on the same coordinator as an
  /// `unauthorized` answer. The permit is kept for the fresh credential, or its outcome reported.
  func refreshBeforeUse(
    _ lease: CredentialLease<Credential, C>
  ) async -> RefreshBeforeUse<Credential, C> {
    guard let coordinator = members[lease.index].refresher else { return .send(lease) }
    guard let outcome = await refresh(lease, with: coordinator) else { return .cancelled }
    // Paused for good reason: the breaker pauses too, whatever the last failure's disposition.
    switch settle(outcome, of: lease, pausedVerdict: nil) {
    case .fresh(let fresh):
      if lease.breaker.state == .paused { lease.breaker.credentialReplaced() }
      return .send(
        CredentialLease(
          index: lease.index, id: lease.id, credential: fresh, breaker: lease.breaker,
          permit: lease.permit, refreshFirst: false))
    case .rotate(let verdict):
      return .rotate(verdict)
    }
  }

  /// Refreshes `lease`'s credential on `coordinator`; `nil`, with the permit given back, when
  /// the calling task was cancelled while waiting.
  private func refresh(
    _ lease: CredentialLease<Credential, C>, with coordinator: RefreshCoordinator<Credential, C>
  ) async -> RefreshCoordinator<Credential, C>.Outcome? {
    do {
      return try await coordinator.refresh(replacing: lease.credential)
    } catch {
      lease.breaker.recordCancellation(lease.permit)
      return nil
    }
  }

  /// What a refresh's outcome means for the lease that asked for it.
  private enum RefreshSettlement {
    /// A fresh credential; the permit is the caller's to use or report.
    case fresh(Credential)
    /// The credential cannot be used now; the permit's outcome is reported.
    case rotate(Classification)
  }

  /// Reports `outcome` to `lease`'s breaker, but for a fresh credential. A paused credential's
  /// breaker is paused with `pausedVerdict`, or with an `unauthorized` verdict naming the
  /// refresh's last failure when there is none.
  private func settle(
    _ outcome: RefreshCoordinator<Credential, C>.Outcome, of lease: CredentialLease<Credential, C>,
    pausedVerdict: Classification?
  ) -> RefreshSettlement {
    let breaker = lease.breaker
    switch outcome {
    case .refreshed(let fresh):
      return .fresh(fresh)
    case .dead(let verdict):
      breaker.recordFailure(lease.permit, verdict)
      return .rotate(verdict)
    case .paused(let cause):
      let verdict =
        pausedVerdict
        ?? Classification(
          disposition: .unauthorized, reason: cause.reason,
          evidence: "refresh paused: \(cause.evidence)")
      breaker.recordFailure(lease.permit, verdict)
      return .rotate(verdict)
    case .failed(let verdict):
      // Not yet enough failures to pause: the credential stays usable for later calls.
      breaker.recordCancellation(lease.permit)
      return .rotate(verdict)
    case .unavailable(let until, let busy):
      // The token endpoint is busy: keep the credential out until a refresh may be tried.
      let wait = max(clock.now.duration(to: until), .zero)
      let verdict = Classification(
        disposition: .retryable, reason: busy.reason, retryAfter: wait,
        evidence: "refresh endpoint busy: \(busy.evidence)")
      breaker.recordFailure(lease.permit, verdict)
      return .rotate(verdict)
    }
  }

  /// Member indices, never-failed first, then by oldest failure; ties in round-robin order.
  private func leastRecentlyFailedOrder() -> [Int] {
    let count = members.count
    return state.withLock { state in
      let start = cursor.load(ordering: .relaxed) % count
      let failures = state.lastFailure
      return (0..<count).map { (start + $0) % count }.enumerated().sorted { lhs, rhs in
        switch (failures[lhs.element], failures[rhs.element]) {
        case (nil, nil): return lhs.offset < rhs.offset
        case (nil, _): return true
        case (_, nil): return false
        case (let left?, let right?): return left == right ? lhs.offset < rhs.offset : left < right
        }
      }.map(\.element)
    }
  }
}

extension ClockedCredentialPool where C == CoarseMonotonicClock {
  /// Creates a pool on the default clock with a registry of its own (the standard
  /// ``BreakerPolicy``): `CredentialPool(["primary": key1, "backup": key2])`. Pass a shared
  /// ``BreakerRegistry`` instead when several pools use the same credentials.
  ///
  /// - Throws: ``CredentialPoolError`` for an empty list or a repeated id.
  public convenience init(
    _ credentials: KeyValuePairs<CredentialID, Credential>,
    selection: CredentialSelection = .roundRobin,
    refreshing: CredentialRefreshing<Credential>? = nil,
    sourcing: CredentialSourcing<Credential>? = nil
  ) throws(CredentialPoolError) {
    try self.init(
      credentials.map { (id: $0.key, credential: $0.value) }, selection: selection,
      refreshing: refreshing, sourcing: sourcing)
  }

  /// Creates a pool on the default clock with a registry of its own, from ids and values in
  /// round-robin order.
  ///
  /// - Throws: ``CredentialPoolError`` for an empty list or a repeated id.
  public convenience init(
    _ credentials: [(id: CredentialID, credential: Credential)],
    selection: CredentialSelection = .roundRobin,
    refreshing: CredentialRefreshing<Credential>? = nil,
    sourcing: CredentialSourcing<Credential>? = nil
  ) throws(CredentialPoolError) {
    try self.init(
      credentials, registry: BreakerRegistry(), selection: selection, refreshing: refreshing,
      sourcing: sourcing)
  }
}
