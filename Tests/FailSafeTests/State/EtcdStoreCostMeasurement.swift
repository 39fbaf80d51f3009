import FailSafe
import FailSafeTesting
import Foundation
import Testing

/// Measures what the etcd store costs per save and per sync at 100 and 10,000 credentials,
/// against a real local member. Off by default (it takes a minute);
/// `FAILSAFE_ETCD_MEASURE=1 swift test --filter EtcdStoreCostMeasurement` prints the figures
/// quoted in Docs/SharedState.md.
@Suite(
  "etcd store cost", .serialized,
  .enabled(if: ProcessInfo.processInfo.environment["FAILSAFE_ETCD_MEASURE"] == "1"),
  .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(10))))
struct EtcdStoreCostMeasurement {
  /// An entry like the file store's measured ones: about 560 bytes, a 300-character evidence.
  static func entry(_ index: Int, updated: Double) -> PersistedCredentialState {
    PersistedCredentialState(
      status: index % 3 == 0 ? .dead : .open, consecutiveFailures: 2, streak: 2,
      reopenAt: StateFixtures.epoch.addingTimeInterval(3_600), reason: .overloaded,
      firstError: PersistedFailure(
        disposition: .retryable, reason: .overloaded,
        evidence: String(repeating: "HTTP 529 overloaded ", count: 15)),
      counters: BreakerCounters(failures: 5),
      updatedAt: StateFixtures.epoch.addingTimeInterval(updated))
  }

  static func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) * 1e-15
  }

  @Test(arguments: [100, 10_000])
  func saveWithOneChangeAndSyncWithNothingNew(credentials: Int) async throws {
    let cluster = try await EtcdTestCluster(size: 1)
    defer { cluster.stop() }
    let endpoints = cluster.endpoints
    let prefix = "cost/"
    func store() -> EtcdBreakerStateStore {
      EtcdBreakerStateStore(
        configuration: EtcdStoreConfiguration(endpoints: endpoints, prefix: prefix))
    }
    let clock = ContinuousClock()
    let fillStart = clock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
      for slice in 0..<8 {
        group.addTask {
          var document = PersistedStateDocument()
          for index in stride(from: slice, to: credentials, by: 8) {
            document.credentials["key-\(index)"] = Self.entry(index, updated: 0)
          }
          _ = try await store().save(document)
        }
      }
      try await group.waitForAll()
    }
    let fill = clock.now - fillStart
    let measured = store()
    #expect(try await measured.load().document.credentials.count == credentials)
    var saves: [Double] = []
    var syncs: [Double] = []
    for round in 1...5 {
      let change = PersistedStateDocument(credentials: [
        "key-1": Self.entry(1, updated: Double(round))
      ])
      var start = clock.now
      _ = try await measured.save(change)
      saves.append(Self.milliseconds(clock.now - start))
      start = clock.now
      _ = try await measured.save(PersistedStateDocument())
      syncs.append(Self.milliseconds(clock.now - start))
    }
    let value = try await EtcdTestCluster.rawValueSize(of: prefix + "key-1", at: endpoints[0])
    print(
      "etcd cost, \(credentials) credentials (value \(value) bytes): first fill by 8 writers "
        + "\(Self.milliseconds(fill)) ms; save with one change median "
        + "\(saves.sorted()[2]) ms \(saves); sync with nothing new median "
        + "\(syncs.sorted()[2]) ms \(syncs)")
  }
}
