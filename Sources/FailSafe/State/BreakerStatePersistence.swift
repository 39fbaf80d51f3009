import Foundation
import Synchronization

/// Keeps a ``BreakerRegistry``'s breakers and a ``BreakerStateStore`` in step: restores every
/// breaker on start, saves changes (debounced), and merges what other processes wrote, so a
/// process learns that a key is dead from another one without a restart.
///
/// Wiring: the persistence observes the registry's events synchronously, so create it first
/// and hand its ``observe(_:)`` to the registry:
///
/// ```swift
/// let store = FileBreakerStateStore(path: "/var/lib/worker/breakers.json")
/// let persistence = BreakerStatePersistence(store: store, clock: clock, policy: policy)
/// let registry = BreakerRegistry(policy: policy, clock: clock, observer: persistence.observe)
/// try await persistence.start(registry: registry)   // restores every persisted breaker
/// // ... serve ...
/// await persistence.close()                   // final save
/// ```
///
/// - A change (any transition, first error, rejection summary, operator action) marks its
///   credential dirty and schedules a save at most `saveInterval` later: a storm of failures is
///   one write. Transitions, first errors and operator actions date the entry (`updatedAt`);
///   counting events do not, so a stale state never looks fresh in a merge.
/// - Every `syncInterval` the persistence synchronises even without local changes, adopting
///   entries other processes changed: each breaker whose merged entry differs from what it
///   holds is restored from it.
/// - An operator action taken on a breaker (revive, resume, force open/close, reset, credential
///   replaced) is recorded as one, so it wins over older dead entries in the store.
/// - A store that fails (unreachable, newer schema) never affects calls: the breakers keep their
///   state in memory, the failure is reported to `onProblem`, and the changes are retried at the
///   next save or sync.
///
/// Store calls are asynchronous; they run on the tasks that save and synchronise, never on a
/// call's path. ``observe(_:)`` takes one short lock per event. The registry keeps the persistence
/// alive (through its observer); the persistence holds the registry weakly.
/// Call ``close()`` when done: it saves what is pending and stops the background tasks.
public final class BreakerStatePersistence<C: Clock>: Sendable where C.Duration == Duration {
  /// A problem worth telling an operator about: a damaged store, or a save that failed.
  public enum Problem: Sendable, CustomStringConvertible {
    /// Something wrong found while reading the store; it was worked around.
    case diagnostic(StateDiagnostic)
    /// A load, save or synchronisation failed; it is retried later.
    case storeFailed(String)

    /// A one-line description.
    public var description: String {
      switch self {
      case .diagnostic(let diagnostic): return "state store: \(diagnostic)"
      case .storeFailed(let message): return "state store failed: \(message)"
      }
    }
  }

  private struct Change {
    /// When the state last changed; `nil` for events that only count (rejection summaries,
    /// probes), which must not make a stale state look fresh in a merge.
    var updatedAt: Date?
    var reason: FailureReason?
    var firstErrorAt: Date?
    var operatorAction: OperatorAction?
    var clearsReason = false
  }

  private struct Pending {
    var changes: [CredentialID: Change] = [:]
  }

  private struct Synced {
    /// Weak: the registry holds this persistence (as its observer), not the other way round.
    weak var registry: BreakerRegistry<C>?
    /// The store's entries as of the last synchronisation: what each breaker was restored
    /// from or saved as.
    var known: [String: PersistedCredentialState] = [:]
    var reportedDiagnostics: Set<StateDiagnostic> = []
  }

  private struct Tasks {
    var debouncer: SaveDebouncer<C>?
    var periodic: Task<Void, Never>?
    var isClosed = false
  }

  private let store: any BreakerStateStore
  private let clock: C
  private let wallClock: WallClock
  private let maximumCooldown: Duration
  private let saveInterval: Duration
  private let syncInterval: Duration?
  private let onProblem: @Sendable (Problem) -> Void
  private let pending = SanitizerVisibleMutex(Pending())
  private let synced = SanitizerVisibleMutex(Synced())
  private let tasks = SanitizerVisibleMutex(Tasks())
  private let synchronizations = Atomic<Int>(0)
  /// Runs synchronisations one at a time: each reads what the previous one adopted.
  private let gate = SerialGate()

  /// Creates a persistence for `store`.
  ///
  /// - Parameters:
  ///   - store: where state lives.
  ///   - clock: the registry's clock; debouncing and periodic syncs sleep on it.
  ///   - wallClock: dates for the store (reopen times, `updatedAt`, operator actions).
  ///   - policy: the registry's policy; its longest wait caps restored cooldowns.
  ///   - saveInterval: the longest a change waits to be saved; one save per interval at most.
  ///   - syncInterval: how often to merge with the store without local changes (to learn what
  ///     other processes saw), or `nil` for never.
  ///   - onProblem: told about damage and failed saves (never about each event).
  public init(
    store: any BreakerStateStore, clock: C, wallClock: WallClock = .system,
    policy: BreakerPolicy = BreakerPolicy(), saveInterval: Duration = .seconds(1),
    syncInterval: Duration? = .seconds(5),
    onProblem: @escaping @Sendable (Problem) -> Void = { _ in }
  ) {
    self.store = store
    self.clock = clock
    self.wallClock = wallClock
    let longest = max(
      policy.backoff.maximum, policy.maximumProviderWait, policy.maximumQuotaWait,
      policy.quotaCooldown)
    self.maximumCooldown = min(max(longest, .zero), BreakerPolicy.maximumDuration)
    self.saveInterval = max(saveInterval, .zero)
    self.syncInterval = syncInterval.map { max($0, .milliseconds(1)) }
    self.onProblem = onProblem
  }

  /// How many synchronisations have completed (saves included).
  public var synchronizationCount: Int { synchronizations.load(ordering: .relaxed) }

  /// How many of its own tasks sleep on the clock between runs: the periodic synchronisation
  /// while started. (The debouncer sleeps only while a save is pending.) For virtual-time
  /// runners, which move the clock only once these sleep too.
  package var periodicTaskCount: Int {
    tasks.withLock { $0.periodic != nil && !$0.isClosed ? 1 : 0 }
  }

  // MARK: Events

  /// Records `event` for the next save. Pass this to the registry as its observer (or call it
  /// from yours). Cheap: one short lock; never blocks on the store.
  public func observe(_ event: BreakerEvent<C.Instant>) {
    let now = wallClock.now()
    var change = Change(updatedAt: now)
    switch event.kind {
    case .transition(_, let to, let cause):
      if case .operatorAction(.restore) = cause { return }
      if case .failure(let classification) = cause,
        to == .dead || to == .paused || to == .suspended || to == .open
      {
        change.reason = classification.reason
      }
      if to == .closed || to == .halfOpen { change.clearsReason = true }
      if case .operatorAction(let action) = cause {
        change.operatorAction = OperatorAction(
          kind: OperatorActionKind(rawValue: action.rawValue), at: now)
      }
    case .operatorAction(let action):
      if action == .restore { return }
      change.operatorAction = OperatorAction(
        kind: OperatorActionKind(rawValue: action.rawValue), at: now)
    case .firstErrorRecorded:
      change.firstErrorAt = now
    case .rejectionsSummarized, .probeAdmitted, .probeLeaseExpired:
      change.updatedAt = nil
    }
    pending.withLock { pending in
      var merged = pending.changes[event.credential] ?? change
      merged.updatedAt = change.updatedAt ?? merged.updatedAt
      if change.clearsReason {
        merged.reason = nil
        merged.clearsReason = true
      }
      if let reason = change.reason {
        merged.reason = reason
        merged.clearsReason = false
      }
      merged.firstErrorAt = change.firstErrorAt ?? merged.firstErrorAt
      merged.operatorAction = change.operatorAction ?? merged.operatorAction
      pending.changes[event.credential] = merged
    }
    let debouncer = tasks.withLock { $0.debouncer }
    debouncer?.noteChange()
  }

  // MARK: Lifecycle

  /// Loads the store, restores every persisted breaker that is not plain healthy into
  /// `registry`, and starts debounced saving and periodic synchronisation.
  ///
  /// - Returns: the reading (its diagnostics are also reported to `onProblem`).
  /// - Throws: ``StateStoreError`` (or the store's own error) if the store cannot be read at
  ///   all; the registry is then untouched and nothing is started.
  @discardableResult
  public func start(registry: BreakerRegistry<C>) async throws -> StateDocumentReading {
    let reading = try await store.load()
    start(registry: registry, from: reading)
    return reading
  }

  /// Restores every breaker of `reading` that is not plain healthy into `registry`, and starts
  /// debounced saving and periodic synchronisation, without reading the store: for a caller
  /// that already holds what the store holds (a virtual-time run on an in-memory store).
  public func start(registry: BreakerRegistry<C>, from reading: StateDocumentReading) {
    let conversion = ReopenTimeConversion(
      clock: clock, wallClock: wallClock, maximumCooldown: maximumCooldown)
    synced.withLock { synced in
      synced.registry = registry
      synced.known = reading.document.credentials
      for (id, entry) in reading.document.credentials where !entry.isHealthy {
        registry.breaker(for: CredentialID(rawValue: id))
          .restore(entry.snapshot(conversion: conversion))
      }
    }
    report(reading.diagnostics)
    startTasks()
  }

  private func startTasks() {
    let debouncer = SaveDebouncer(clock: clock, interval: saveInterval) { [weak self] in
      await self?.synchronizeReportingProblems()
    }
    var periodic: Task<Void, Never>?
    if let syncInterval {
      let clock = self.clock
      periodic = Task { [weak self] in
        while !Task.isCancelled {
          do {
            try await clock.sleep(for: syncInterval)
          } catch {
            return
          }
          await self?.synchronizeReportingProblems()
        }
      }
    }
    let previous = tasks.withLock { tasks -> Tasks in
      let previous = tasks
      tasks.debouncer = debouncer
      tasks.periodic = periodic
      tasks.isClosed = false
      return previous
    }
    previous.periodic?.cancel()
    if previous.debouncer != nil || previous.periodic != nil {
      // A second start replaces the first one's tasks.
      Task { await previous.debouncer?.close() }
    }
  }

  /// Saves what is pending now, without waiting for the debounce interval.
  public func flush() async {
    let debouncer = tasks.withLock { $0.debouncer }
    if let debouncer {
      debouncer.noteChange()
      await debouncer.flush()
    } else {
      await synchronizeReportingProblems()
    }
  }

  /// Stops the background tasks and saves what is pending.
  public func close() async {
    let closing = tasks.withLock { tasks -> Tasks in
      let current = tasks
      tasks.debouncer = nil
      tasks.periodic = nil
      tasks.isClosed = true
      return current
    }
    closing.periodic?.cancel()
    await closing.debouncer?.close()
    await synchronizeReportingProblems()
  }

  deinit {
    let current = tasks.withLock { $0 }
    current.periodic?.cancel()
  }

  // MARK: Synchronisation

  private func synchronizeReportingProblems() async {
    do {
      try await synchronize()
    } catch {
      onProblem(.storeFailed("\(error)"))
    }
  }

  /// Saves every pending change, merged with what the store holds, and restores each breaker
  /// whose merged entry differs from what it holds (another process saw something).
  /// Synchronisations run one at a time; the store is awaited outside every lock.
  ///
  /// - Throws: the store's error if it fails; the changes stay pending.
  public func synchronize() async throws {
    try await gate.run {
      let (registry, known) = synced.withLock { ($0.registry, $0.known) }
      guard let registry else { return }
      let changes = pending.withLock { pending in
        defer { pending.changes = [:] }
        return pending.changes
      }
      let conversion = ReopenTimeConversion(
        clock: clock, wallClock: wallClock, maximumCooldown: maximumCooldown)
      var local = PersistedStateDocument()
      for (credential, change) in changes {
        guard let breaker = registry.existingBreaker(for: credential),
          !credential.rawValue.isEmpty,
          credential.rawValue.utf8.count <= PersistedStateDocument.maximumCredentialIDLength
        else { continue }
        let held = known[credential.rawValue]
        local.credentials[credential.rawValue] = PersistedCredentialState(
          snapshot: breaker.snapshot(), conversion: conversion,
          updatedAt: change.updatedAt ?? held?.updatedAt ?? conversion.wallNow,
          reason: change.reason ?? (change.clearsReason ? nil : held?.reason),
          firstErrorAt: change.firstErrorAt ?? held?.firstError?.at,
          lastOperatorAction: laterAction(change.operatorAction, held?.lastOperatorAction))
      }
      // As the store will hold it, so comparing with what comes back sees only real news.
      local = local.normalized()
      let reading: StateDocumentReading
      do {
        reading = try await store.save(local)
      } catch {
        // Keep the changes for the next attempt, unless newer ones arrived meanwhile.
        pending.withLock { pending in
          for (credential, change) in changes where pending.changes[credential] == nil {
            pending.changes[credential] = change
          }
        }
        throw error
      }
      let adopted = ReopenTimeConversion(
        clock: clock, wallClock: wallClock, maximumCooldown: maximumCooldown)
      for (id, merged) in reading.document.credentials {
        let held = local.credentials[id] ?? known[id]
        let changed = held.map { merged.differsForBreaker(from: $0) } ?? !merged.isHealthy
        guard changed else { continue }
        let credential = CredentialID(rawValue: id)
        if let breaker = registry.existingBreaker(for: credential) {
          breaker.restore(merged.snapshot(conversion: adopted))
        } else if !merged.isHealthy {
          registry.breaker(for: credential).restore(merged.snapshot(conversion: adopted))
        }
      }
      let fresh = synced.withLock { synced -> [StateDiagnostic] in
        synced.known = reading.document.credentials
        let fresh = reading.diagnostics.filter { !synced.reportedDiagnostics.contains($0) }
        // Remember what was reported so a damage is reported once, within a bound.
        if synced.reportedDiagnostics.count + fresh.count > 1_000 {
          synced.reportedDiagnostics = []
        }
        synced.reportedDiagnostics.formUnion(fresh)
        return fresh
      }
      report(fresh)
    }
    synchronizations.add(1, ordering: .relaxed)
  }

  private func laterAction(_ first: OperatorAction?, _ second: OperatorAction?) -> OperatorAction? {
    guard let first, let second else { return first ?? second }
    return first.at >= second.at ? first : second
  }

  private func report(_ diagnostics: [StateDiagnostic]) {
    for diagnostic in diagnostics { onProblem(.diagnostic(diagnostic)) }
  }
}
