import FailSafe
import FailSafeTesting
import Testing

@Suite("BreakerRegistry", .timeLimit(.minutes(1)))
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
