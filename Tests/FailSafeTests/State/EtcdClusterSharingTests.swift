import FailSafe
import FailSafeTesting
import Foundation
import Testing

/// Eight worker registries (standing for eight hosts, each with its own persistence and its
/// own etcd store) share one prefix on a real 3-member etcd cluster on loopback.
@Suite(
  "etcd cluster sharing", .serialized,
  .enabled(if: EtcdTestCluster.shouldRun, Comment(rawValue: EtcdTestCluster.installHint)),
  .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(2))))
struct EtcdClusterSharingTests {
  typealias Registry = BreakerRegistry<ManualClock>
  typealias Persistence = BreakerStatePersistence<ManualClock>

  static let syncInterval = Duration.seconds(5)
  static let revoked = Classification(
    disposition: .permanent, reason: .keyRevoked, evidence: "HTTP 401 key revoked [REDACTED]")

  /// One host: a registry, its persistence, and a store that tries the members starting at
  /// `first`.
  struct Host {
    let clock = ManualClock()
    let persistence: Persistence
    let registry: Registry

    init(endpoints: [URL], first: Int, prefix: String) async throws {
      let rotated = Array(endpoints[first...] + endpoints[..<first])
      let store = EtcdBreakerStateStore(
        configuration: EtcdStoreConfiguration(
          endpoints: rotated, prefix: prefix, requestTimeout: .seconds(2),
          retryBase: .milliseconds(1), retryMaximum: .milliseconds(20)))
      persistence = Persistence(
        store: store, clock: clock, saveInterval: .seconds(1),
        syncInterval: EtcdClusterSharingTests.syncInterval)
      registry = Registry(clock: clock, observer: persistence.observe)
      try await persistence.start(registry: registry)
    }

    func kill(_ id: CredentialID) throws {
      let breaker = registry.breaker(for: id)
      breaker.recordFailure(try breaker.acquire(), EtcdClusterSharingTests.revoked)
    }

    func rejects(_ id: CredentialID) -> Bool {
      (try? registry.breaker(for: id).acquire()) == nil
    }

    /// Moves this host's clock by one sync interval and waits for the sync it triggers.
    func passOneSyncInterval() async {
      await clock.waitForSleepers(count: 1)
      let before = persistence.synchronizationCount
      await clock.advance(by: EtcdClusterSharingTests.syncInterval)
      while persistence.synchronizationCount == before {
        try? await Task.sleep(for: .milliseconds(5))
      }
    }
  }

  @Test func aKeyOneHostSeesDieIsRejectedByEveryOtherWithinOneSyncAndSurvivesAMemberKill()
    async throws
  {
    let cluster = try await EtcdTestCluster(size: 3)
    defer { cluster.stop() }
    let endpoints = cluster.endpoints
    let prefix = "fleet/\(UUID().uuidString.prefix(8))/"
    var hosts: [Host] = []
    for index in 0..<8 {
      hosts.append(try await Host(endpoints: endpoints, first: index % 3, prefix: prefix))
    }
    for host in hosts { #expect(!host.rejects("key-a")) }

    // Host 0 sees key-a die; its save reaches etcd; the others learn it at their next sync.
    try hosts[0].kill("key-a")
    await hosts[0].persistence.flush()
    for host in hosts.dropFirst() { await host.passOneSyncInterval() }
    for (index, host) in hosts.enumerated() {
      #expect(host.rejects("key-a"), "host \(index) still sends key-a")
    }

    // Member 0 dies mid-run: hosts that preferred it fail over, the rest keep serving.
    cluster.kill(0)
    try await cluster.waitForLeader()
    try hosts[1].kill("key-b")
    await hosts[1].persistence.flush()
    for (index, host) in hosts.enumerated() where index != 1 { await host.passOneSyncInterval() }
    for (index, host) in hosts.enumerated() {
      #expect(host.rejects("key-a"), "host \(index) forgot key-a")
      #expect(host.rejects("key-b"), "host \(index) still sends key-b")
    }

    // The killed member comes back: it catches up and changes nothing.
    try await cluster.restart(0)
    try await cluster.waitForLeader()
    let fromRestarted = EtcdBreakerStateStore(
      configuration: EtcdStoreConfiguration(endpoints: [endpoints[0]], prefix: prefix))
    var reading = try await fromRestarted.load()
    // A restarted member may answer before it has applied the log; wait for it.
    let deadline = ContinuousClock.now.advanced(by: .seconds(20))
    while reading.document.credentials.count < 2, ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(50))
      reading = try await fromRestarted.load()
    }
    #expect(reading.diagnostics.isEmpty)
    #expect(reading.document.credentials["key-a"]?.status == .dead)
    #expect(reading.document.credentials["key-b"]?.status == .dead)
    for host in hosts { await host.passOneSyncInterval() }
    for (index, host) in hosts.enumerated() {
      #expect(host.rejects("key-a") && host.rejects("key-b"), "host \(index) after the restart")
    }
    for host in hosts { await host.persistence.close() }
  }
}
