import FailSafe
import Testing

/// The common case reads as the README writes it: default clock, default registry, no
/// generic clock parameter in stored types.
@Suite("The default-clock API")
struct DefaultClockAPITests {
  /// Stored the way a service stores them.
  private struct Service {
    let pool: CredentialPool<String>
    let executor: RetryExecutor<String>
  }

  @Test func anExecutorOnTheDefaultClockIsWrittenWithoutAClockOrRegistry() async throws {
    let pool = try CredentialPool(["primary": "key-1", "backup": "key-2"])
    let service = Service(pool: pool, executor: RetryExecutor(pool: pool))
    let used = try await service.executor.run { credential in credential }
    #expect(used == "key-1")
    #expect(service.pool.ids == ["primary", "backup"])
    #expect(service.executor.pool === pool)
  }

  @Test func aPoolWithoutARegistryGetsItsOwnOnTheDefaultClock() throws {
    let first = try CredentialPool(["a": 1])
    let second = try CredentialPool([(id: "a", credential: 1)])
    #expect(first.registry !== second.registry)
    #expect(first.registry.clock.now <= second.registry.clock.now)
  }

  @Test func aRepeatedIdIsRefusedWithoutARegistryToo() {
    #expect(throws: CredentialPoolError.duplicateID("a")) {
      _ = try CredentialPool(["a": "x", "a": "y"])
    }
    #expect(throws: CredentialPoolError.empty) {
      _ = try CredentialPool<String>([(id: CredentialID, credential: String)]())
    }
  }

  @Test func aDirectoryOfKeysIsOneLeadingDotAway() throws {
    let sourcing: CredentialSourcing<String> = .files(inDirectory: "/run/secrets")
    #expect(sourcing.checkInterval == .seconds(30))
    _ = try CredentialPool(["gemini": "key"], sourcing: .files(inDirectory: "/run/secrets"))
  }
}
