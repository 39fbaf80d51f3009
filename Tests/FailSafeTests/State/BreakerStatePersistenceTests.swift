import FailSafe
import FailSafeTesting
import Foundation
import Testing

@Suite("breaker state persistence", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct BreakerStatePersistenceTests {
  typealias F = StateFixtures
  typealias Registry = BreakerRegistry<ManualClock>
  typealias Persistence = BreakerStatePersistence<ManualClock>

  /// 1 min doubling to 1 h, no jitter: cooldowns are exact.
  static let policy = BreakerPolicy(
    failureThreshold: 1,
    backoff: BackoffPolicy(base: .seconds(60), maximum: .seconds(3_600), jitter: .none))

  static let revoked = Classification(
    disposition: .permanent, reason: .keyRevoked, evidence: "HTTP 401 key revoked [REDACTED]")
  static let overloaded = Classification(
    disposition: .retryable, reason: .overloaded, evidence: "HTTP 529 overloaded")

  /// A wall clock tests can move.
  final class MovableWallClock: Sendable {
    private let date: LockedValue<Date>
    init(_ date: Date) { self.date = LockedValue(date) }
    func advance(by seconds: Double) { date.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var wallClock: WallClock { WallClock { self.date.withLock { $0 } } }
  }

  /// Problems a persistence reported.
  final class ProblemLog: Sendable {
    private let entries = LockedValue<[String]>([])
    func append(_ problem: String) { entries.withLock { $0.append(problem) } }
    var all: [String] { entries.withLock { $0 } }
  }

  /// One worker process: a registry wired to a persistence on `store`.
  struct Worker {
    let clock: ManualClock
    let persistence: Persistence
    let registry: Registry
    let problems = ProblemLog()

    init(
      store: any BreakerStateStore, clock: ManualClock = ManualClock(), wall: MovableWallClock,
      syncInterval: Duration? = nil
    ) async throws {
      self.clock = clock
      let problems = self.problems
      persistence = Persistence(
        store: store, clock: clock, wallClock: wall.wallClock,
        policy: BreakerStatePersistenceTests.policy,
        saveInterval: .seconds(1), syncInterval: syncInterval,
        onProblem: { problem in problems.append("\(problem)") })
      registry = Registry(
        policy: BreakerStatePersistenceTests.policy, clock: clock,
        observer: persistence.observe)
      try await persistence.start(registry: registry)
    }

    func fail(_ id: CredentialID, _ classification: Classification) throws {
      let breaker = registry.breaker(for: id)
      let permit = try breaker.acquire()
      breaker.recordFailure(permit, classification)
    }

    func state(_ id: CredentialID) -> BreakerState? { registry.existingBreaker(for: id)?.state }
  }

  func withStore(_ body: (FileBreakerStateStore) async throws -> Void) async throws {
    let directory = try F.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try await body(FileBreakerStateStore(path: directory + "/state.json"))
  }

  @Test func aRestartKeepsADeadKeyDeadAndAnOpenKeysCooldownAndStreak() async throws {
    try await withStore { store in
      let wall = MovableWallClock(F.epoch)
      let first = try await Worker(store: store, wall: wall)
      try first.fail("dead-key", Self.revoked)
      // Three trips in a row: cooldowns of 1, 2 and 4 minutes.
      for _ in 0..<3 {
        try first.fail("slow-key", Self.overloaded)
        let cooldown = first.registry.breaker(for: "slow-key").snapshot().cooldownRemaining ?? .zero
        await first.clock.advance(by: cooldown)
        wall.advance(by: Double(cooldown.components.seconds))
      }
      try first.fail("slow-key", Self.overloaded)  // the half-open probe fails: 8 minutes
      let before = first.registry.breaker(for: "slow-key").snapshot()
      #expect(before.state == .open)
      #expect(before.cooldownRemaining == .seconds(480))
      await first.persistence.close()

      // The worker dies and starts again 30 s later: a new registry, a new monotonic clock.
      wall.advance(by: 30)
      let second = try await Worker(
        store: store, clock: ManualClock(startingAt: .init(offset: .seconds(9_000))), wall: wall)
      #expect(second.state("dead-key") == .dead)
      let dead = second.registry.breaker(for: "dead-key")
      #expect(throws: BreakerRejection<ManualClock.Instant>.self) { _ = try dead.acquire() }
      let slow = second.registry.breaker(for: "slow-key").snapshot()
      #expect(slow.state == .open)
      #expect(slow.streak == before.streak)
      #expect(slow.consecutiveFailures == before.consecutiveFailures)
      #expect(slow.cooldownRemaining == .seconds(450))
      // The cooldown still runs: rejected until it ends, then one probe is admitted.
      await second.clock.advance(by: .seconds(449))
      #expect(throws: BreakerRejection<ManualClock.Instant>.self) {
        _ = try second.registry.breaker(for: "slow-key").acquire()
      }
      await second.clock.advance(by: .seconds(1))
      let probe = try second.registry.breaker(for: "slow-key").acquire()
      #expect(probe.isProbe)
      #expect(second.problems.all.isEmpty)
      await second.persistence.close()
    }
  }

  @Test func aWorkerStartingOnAFileThatBeginsWithAByteOrderMarkRestoresItAndSaves() async throws {
    try await withStore { store in
      // Issue 19 #2: an editor saved the state file with a UTF-8 BOM.
      let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
      try Data(bom + Array(F.sampleDocument.encoded())).write(to: URL(fileURLWithPath: store.path))
      let wall = MovableWallClock(F.epoch)
      let worker = try await Worker(store: store, wall: wall)
      #expect(worker.state("dead-key") == .dead)
      try worker.fail("new-key", Self.revoked)
      await worker.persistence.close()
      #expect(worker.problems.all.isEmpty)
      let reading = try await store.load()
      #expect(!reading.isDamaged)
      #expect(reading.document.credentials["dead-key"]?.status == .dead)
      #expect(reading.document.credentials["new-key"]?.status == .dead)
    }
  }

  @Test func synchronisingWithoutNewsNeverRestoresABreaker() async throws {
    try await withStore { store in
      let wall = MovableWallClock(F.at(0.000_3))
      let clock = ManualClock()
      let restores = ProblemLog()
      let persistence = Persistence(
        store: store, clock: clock, wallClock: wall.wallClock, policy: Self.policy,
        syncInterval: nil)
      let registry = Registry(
        policy: Self.policy, clock: clock,
        observer: { event in
          if case .operatorAction(.restore) = event.kind {
            restores.append("\(event.credential)")
          }
          persistence.observe(event)
        })
      try await persistence.start(registry: registry)
      let breaker = registry.breaker(for: "k")
      breaker.recordFailure(try breaker.acquire(), Self.overloaded)
      await clock.advance(by: .seconds(1))  // the debounced save
      wall.advance(by: 0.000_4)
      await persistence.flush()
      for _ in 0..<3 { try await persistence.synchronize() }
      #expect(restores.all.isEmpty)
      #expect(breaker.state == .open)
      #expect(breaker.snapshot().cooldownRemaining == .seconds(59))
      await persistence.close()
    }
  }

  @Test func aStormOfFailuresIsOneWrite() async throws {
    let store = InMemoryBreakerStateStore()
    let wall = MovableWallClock(F.epoch)
    let worker = try await Worker(store: store, wall: wall)
    for index in 0..<500 {
      try worker.fail(
        CredentialID("key-\(index)"), index.isMultiple(of: 2) ? Self.revoked : Self.overloaded)
    }
    #expect(store.writeCount == 0)
    await worker.clock.advance(by: .seconds(1))
    await worker.persistence.flush()
    #expect(store.writeCount == 1)
    #expect(store.current.credentials.count == 500)
    #expect(store.current.credentials["key-1"]?.status == .open)
    #expect(store.current.credentials["key-1"]?.reason == .overloaded)
    #expect(store.current.credentials["key-0"]?.reason == .keyRevoked)
    await worker.persistence.close()
  }

  @Test func aWorkerLearnsFromAnotherThatAKeyIsDeadWithoutARestart() async throws {
    try await withStore { store in
      let wall = MovableWallClock(F.epoch)
      let first = try await Worker(store: store, wall: wall)
      let second = try await Worker(store: store, wall: wall)
      _ = try second.registry.breaker(for: "shared").acquire()
      try first.fail("shared", Self.revoked)
      await first.persistence.flush()
      #expect(second.state("shared") == .closed)
      try await second.persistence.synchronize()
      #expect(second.state("shared") == .dead)
      let rejection = #expect(throws: BreakerRejection<ManualClock.Instant>.self) {
        _ = try second.registry.breaker(for: "shared").acquire()
      }
      #expect(rejection?.state == .dead)
      #expect(rejection?.firstError?.reason == .keyRevoked)
      // A key the second worker never used is learned too.
      try first.fail("other", Self.revoked)
      await first.persistence.flush()
      try await second.persistence.synchronize()
      #expect(second.state("other") == .dead)
      await first.persistence.close()
      await second.persistence.close()
    }
  }

  @Test func periodicSynchronisationLearnsWithoutLocalChanges() async throws {
    let store = InMemoryBreakerStateStore()
    let wall = MovableWallClock(F.epoch)
    let watcher = try await Worker(store: store, wall: wall, syncInterval: .seconds(5))
    await watcher.clock.waitForSleepers(count: 1)
    _ = try await store.save(
      PersistedStateDocument(credentials: ["k": F.entry(.dead, updated: 1, reason: .keyInvalid)]))
    #expect(watcher.state("k") == nil)
    await watcher.clock.advance(by: .seconds(5))
    await watcher.clock.waitForSleepers(count: 1)
    #expect(watcher.persistence.synchronizationCount >= 1)
    #expect(watcher.state("k") == .dead)
    await watcher.persistence.close()
  }

  @Test func anOperatorReviveReachesAWorkerThatHoldsTheKeyDead() async throws {
    try await withStore { store in
      let wall = MovableWallClock(F.epoch)
      let worker = try await Worker(store: store, wall: wall)
      try worker.fail("k", Self.revoked)
      await worker.persistence.flush()
      wall.advance(by: 60)
      // What `failsafe state revive` does.
      _ = try await store.update { document in
        document.credentials["k"] = PersistedCredentialState(
          status: .closed, updatedAt: F.at(60),
          lastOperatorAction: OperatorAction(kind: .revive, at: F.at(60)))
      }
      try await worker.persistence.synchronize()
      #expect(worker.state("k") == .closed)
      _ = try worker.registry.breaker(for: "k").acquire()
      await worker.persistence.close()
      #expect(try await store.load().document.credentials["k"]?.status == .closed)
    }
  }

  @Test func aReviveOnTheBreakerIsAnOperatorActionThatBeatsTheStoredDeath() async throws {
    try await withStore { store in
      let wall = MovableWallClock(F.epoch)
      let first = try await Worker(store: store, wall: wall)
      let second = try await Worker(store: store, wall: wall)
      try first.fail("k", Self.revoked)
      await first.persistence.flush()
      try await second.persistence.synchronize()
      #expect(second.state("k") == .dead)
      wall.advance(by: 10)
      #expect(second.registry.breaker(for: "k").revive())
      await second.persistence.flush()
      let stored = try await store.load().document.credentials["k"]
      #expect(stored?.status == .closed)
      #expect(stored?.lastOperatorAction?.kind == "revive")
      // The first worker still holds it dead; its next sync adopts the revive.
      try await first.persistence.synchronize()
      #expect(first.state("k") == .closed)
      await first.persistence.close()
      await second.persistence.close()
    }
  }

  @Test func aFailingStoreNeverBreaksCallsAndItsChangesAreRetried() async throws {
    let directory = try F.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/sub/state.json"
    let wall = MovableWallClock(F.epoch)
    let worker = try await Worker(store: FileBreakerStateStore(path: path), wall: wall)
    try worker.fail("k", Self.revoked)
    await worker.persistence.flush()
    #expect(worker.problems.all.contains { $0.contains("state store failed") })
    #expect(worker.state("k") == .dead)
    try FileManager.default.createDirectory(
      atPath: directory + "/sub", withIntermediateDirectories: true)
    try await worker.persistence.synchronize()
    #expect(
      try await FileBreakerStateStore(path: path).load().document.credentials["k"]?.status == .dead)
    await worker.persistence.close()
  }

  @Test func aDamagedEntryIsRestoredOutOfRotationAndReported() async throws {
    try await withStore { store in
      let text = """
        {"version": 1, "credentials": {
          "k": {"state": "zombie", "updatedAt": "2026-11-23T16:00:00.000Z"}}}
        """
      try text.write(toFile: store.path, atomically: false, encoding: .utf8)
      let worker = try await Worker(store: store, wall: MovableWallClock(F.epoch))
      #expect(worker.state("k") == .paused)
      let rejection = #expect(throws: BreakerRejection<ManualClock.Instant>.self) {
        _ = try worker.registry.breaker(for: "k").acquire()
      }
      #expect(rejection?.firstError?.evidence.contains("unreadable") == true)
      #expect(worker.problems.all.contains { $0.contains("zombie") })
      await worker.persistence.close()
    }
  }
}
