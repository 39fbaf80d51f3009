import FailSafe
import FailSafeTesting
import Testing

@Suite("BreakerRegistry", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct BreakerRegistryTests {
  @Test func createsOnFirstUseAndReturnsTheSameBreaker() {
    let registry = BreakerRegistry(policy: plainPolicy, clock: ManualClock())
    let first = registry.breaker(for: "a")
    #expect(registry.breaker(for: "a") === first)
    #expect(registry.breaker(for: "b") !== first)
    #expect(registry.existingBreaker(for: "c") == nil)
    #expect(registry.count == 2)
    #expect(registry.credentials == ["a", "b"])
    #expect(first.credential == "a")
    #expect(registry.remove("a"))
    #expect(!registry.remove("a"))
  }

  @Test func concurrentFirstUseYieldsOneBreaker() async {
    let registry = BreakerRegistry(policy: plainPolicy, clock: ManualClock())
    let identities = await withTaskGroup(of: ObjectIdentifier.self) { group in
      for _ in 0..<500 {
        group.addTask { ObjectIdentifier(registry.breaker(for: "shared")) }
      }
      var seen = Set<ObjectIdentifier>()
      for await identity in group { seen.insert(identity) }
      return seen
    }
    #expect(identities.count == 1)
    #expect(registry.count == 1)
  }

  /// Eight tasks create the same 2,000 ids in different orders while the table grows from 8
  /// slots: every id still ends with exactly one breaker.
  @Test func manyIdsUnderConcurrencyYieldOneBreakerEach() async {
    let registry = BreakerRegistry(policy: plainPolicy, clock: ManualClock(), capacity: 10_000)
    let ids = (0..<2_000).map { CredentialID("openai-prod-key-\($0)") }
    let seen = await withTaskGroup(of: [ObjectIdentifier].self) { group in
      for task in 0..<8 {
        group.addTask {
          // Task t walks the ids from a different start, so first uses interleave.
          let start = task * ids.count / 8
          var identities = [ObjectIdentifier](
            repeating: ObjectIdentifier(registry), count: ids.count)
          for step in ids.indices {
            let index = (start + step) % ids.count
            identities[index] = ObjectIdentifier(registry.breaker(for: ids[index]))
          }
          return identities
        }
      }
      var all: [[ObjectIdentifier]] = []
      for await identities in group { all.append(identities) }
      return all
    }
    #expect(seen.allSatisfy { $0 == seen[0] })
    #expect(Set(seen[0]).count == ids.count)
    #expect(registry.count == ids.count)
  }

  @Test func evictsIdleHealthyBreakersButKeepsUnhealthyOnes() {
    let registry = BreakerRegistry(policy: plainPolicy, clock: ManualClock(), capacity: 10)
    registry.breaker(for: "dead").fail(1, with: Failures.keyInvalid)
    registry.breaker(for: "paused").fail(1, with: Failures.tokenExpired)
    registry.breaker(for: "open").fail(3, with: Failures.serverError)
    registry.breaker(for: "counting").fail(1, with: Failures.serverError)
    for index in 0..<100 { _ = registry.breaker(for: CredentialID("idle-\(index)")) }
    #expect(registry.count <= 10)
    for kept in ["dead", "paused", "open", "counting", "idle-99"] {
      #expect(registry.existingBreaker(for: CredentialID(kept)) != nil)
    }
    #expect(registry.existingBreaker(for: "dead")?.state == .dead)
    #expect(registry.existingBreaker(for: "idle-0") == nil)
  }

  @Test func evictsTheLeastRecentlyUsedIdleBreakersFirst() {
    let registry = BreakerRegistry(policy: plainPolicy, clock: ManualClock(), capacity: 10)
    for index in 0..<10 { _ = registry.breaker(for: CredentialID("idle-\(index)")) }
    // Used again: now more recent than idle-2 ... idle-9.
    let reused = registry.breaker(for: "idle-0")
    _ = registry.breaker(for: "idle-1")
    _ = registry.existingBreaker(for: "idle-2")  // a read that is not a use
    _ = registry.breaker(for: "new")  // 11 > 10: evicts down to 9, the two least recent
    #expect(registry.count == 9)
    #expect(
      registry.credentials == [
        "idle-0", "idle-1", "idle-4", "idle-5", "idle-6", "idle-7", "idle-8", "idle-9", "new",
      ])
    #expect(registry.breaker(for: "idle-0") === reused)
  }

  @Test func manyIdsWithRemovalsKeepOneBreakerEach() {
    let registry = BreakerRegistry(policy: plainPolicy, clock: ManualClock(), capacity: 50_000)
    let ids = (0..<20_000).map { CredentialID("openai-prod-key-\($0)") }
    let breakers = ids.map { registry.breaker(for: $0) }
    for index in stride(from: 0, to: ids.count, by: 2) { #expect(registry.remove(ids[index])) }
    #expect(registry.count == 10_000)
    var mismatches = 0
    for index in ids.indices {
      let found = registry.existingBreaker(for: ids[index])
      let expected = index.isMultiple(of: 2) ? nil : breakers[index]
      if found !== expected { mismatches += 1 }
    }
    #expect(mismatches == 0)
    #expect(registry.breaker(for: ids[0]) !== breakers[0])
    #expect(registry.breaker(for: ids[1]) === breakers[1])
  }

  @Test func canonicallyEqualIdsShareOneBreaker() {
    let registry = BreakerRegistry(policy: plainPolicy, clock: ManualClock())
    let composed = registry.breaker(for: "caf\u{E9}")
    #expect(registry.breaker(for: "cafe\u{301}") === composed)
    #expect(registry.breaker(for: "\u{212A}ey") === registry.breaker(for: "Key"))
    #expect(registry.count == 2)
  }

  @Test func unhealthyBreakersMayExceedCapacity() {
    let registry = BreakerRegistry(policy: plainPolicy, clock: ManualClock(), capacity: 5)
    for index in 0..<20 {
      registry.breaker(for: CredentialID("dead-\(index)")).fail(1, with: Failures.keyInvalid)
    }
    #expect(registry.count == 20)
    #expect(registry.snapshots().values.allSatisfy { $0.state == .dead })
  }

  @Test func registryEventsAndSnapshotsCoverEveryBreaker() async throws {
    let recorder = EventRecorder()
    let registry = BreakerRegistry(
      policy: plainPolicy, clock: ManualClock(), random: { _ in .seeded(1) },
      observer: recorder.observer)
    registry.breaker(for: "a").fail(1, with: Failures.keyInvalid)
    registry.breaker(for: "b").fail(1, with: Failures.tokenExpired)
    #expect(Set(recorder.events.map(\.credential)) == ["a", "b"])
    let snapshots = registry.snapshots()
    #expect(snapshots["a"]?.state == .dead)
    #expect(snapshots["b"]?.state == .paused)
    let other = BreakerRegistry(policy: plainPolicy, clock: ManualClock())
    other.restore(snapshots)
    #expect(other.breaker(for: "a").state == .dead)
    #expect(other.breaker(for: "b").state == .paused)
  }
}
