import FailSafe
import FailSafeTesting
import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The etcd store against real etcd members (never a mock), started by `EtcdTestCluster`.
@Suite(
  "etcd breaker state store", .serialized,
  .enabled(if: EtcdTestCluster.shouldRun, Comment(rawValue: EtcdTestCluster.installHint)),
  .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(2))))
struct EtcdBreakerStateStoreTests {
  typealias F = StateFixtures

  static func store(
    _ endpoints: [URL], prefix: String = "failsafe/test/", seed: UInt64 = 1
  ) -> EtcdBreakerStateStore {
    EtcdBreakerStateStore(
      configuration: EtcdStoreConfiguration(
        endpoints: endpoints, prefix: prefix, requestTimeout: .seconds(2),
        maximumAttempts: 64, retryBase: .milliseconds(1), retryMaximum: .milliseconds(20)),
      random: .seeded(seed), wallClock: WallClock { F.epoch })
  }

  /// Writes raw `bytes` under `key`, bypassing the store (what another program might do).
  static func put(_ key: String, _ bytes: [UInt8], at endpoint: URL) async throws {
    var request = URLRequest(url: endpoint.appendingPathComponent("v3/kv/put"))
    request.httpMethod = "POST"
    let body = [
      "key": Data(key.utf8).base64EncodedString(), "value": Data(bytes).base64EncodedString(),
    ]
    request.httpBody = try JSONEncoder().encode(body)
    let (_, response) = try await URLSession.shared.data(for: request)
    #expect((response as? HTTPURLResponse)?.statusCode == 200)
  }

  /// The raw bytes under `key`.
  static func get(_ key: String, at endpoint: URL) async throws -> [UInt8]? {
    try await EtcdTestCluster.rawValue(of: key, at: endpoint)
  }

  @Test func saveLoadAndUpdateRoundTripOnOneMember() async throws {
    let cluster = try await EtcdTestCluster(size: 1)
    defer { cluster.stop() }
    let store = Self.store(cluster.endpoints)
    #expect(try await store.load().document.credentials.isEmpty)

    let saved = try await store.save(F.sampleDocument)
    #expect(saved.document.credentials == F.sampleDocument.normalized().credentials)
    let loaded = try await Self.store(cluster.endpoints).load()
    #expect(loaded.document.credentials == F.sampleDocument.normalized().credentials)
    #expect(loaded.diagnostics.isEmpty)

    // A save with nothing new writes nothing: the stored bytes stay the same revision.
    let before = try await Self.get("failsafe/test/dead-key", at: cluster.endpoints[0])
    _ = try await store.save(F.sampleDocument)
    #expect(try await Self.get("failsafe/test/dead-key", at: cluster.endpoints[0]) == before)

    let revived = try await store.update { document in
      document.credentials["dead-key"] = try OperatorEdit.apply(
        .revive, to: document.credentials["dead-key"], shownAs: "dead-key",
        now: F.epoch.addingTimeInterval(100))
    }
    #expect(revived.document.credentials["dead-key"]?.status == .closed)
    let reloaded = try await Self.store(cluster.endpoints).load()
    #expect(reloaded.document.credentials["dead-key"]?.status == .closed)
    #expect(reloaded.document.credentials["open-key"]?.status == .open)
    // Another prefix is another store.
    #expect(
      try await Self.store(cluster.endpoints, prefix: "failsafe/other/").load().document
        .credentials.isEmpty)
  }

  @Test func anUnreachableClusterIsAClearError() async throws {
    let cluster = try await EtcdTestCluster(size: 1)
    let endpoints = cluster.endpoints
    cluster.stop()
    let store = Self.store(endpoints)
    do {
      _ = try await store.save(F.sampleDocument)
      Issue.record("a save to a stopped member succeeded")
    } catch let error as EtcdStoreError {
      guard case .unreachable(let problems) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(problems.count == 1)
      #expect("\(error)".hasPrefix("etcd unreachable: \(endpoints[0].absoluteString)"))
    }
  }

  @Test func aResponseLargerThanTheBoundIsAnErrorNotARead() async throws {
    let cluster = try await EtcdTestCluster(size: 1)
    defer { cluster.stop() }
    var document = PersistedStateDocument()
    for index in 0..<10 { document.credentials["key-\(index)"] = F.entry(.dead, updated: 1) }
    _ = try await Self.store(cluster.endpoints).save(document)
    let bounded = EtcdBreakerStateStore(
      configuration: EtcdStoreConfiguration(
        endpoints: cluster.endpoints, prefix: "failsafe/test/", maximumResponseBytes: 1_024))
    await #expect(
      throws: EtcdStoreError.responseTooLarge(
        endpoint: cluster.endpoints[0].absoluteString, limit: 1_024)
    ) {
      _ = try await bounded.load()
    }
  }

  @Test func concurrentWritersStoreTheMergeOfEverythingWritten() async throws {
    let cluster = try await EtcdTestCluster(size: 1)
    defer { cluster.stop() }
    let writers = 8
    let rounds = 12
    let states: [BreakerState] = [.closed, .open, .suspended, .dead, .paused, .halfOpen]
    // Every entry any writer saves; distinct dates, so the merge has no exact ties.
    var plans: [[PersistedStateDocument]] = []
    for writer in 0..<writers {
      var documents: [PersistedStateDocument] = []
      for round in 0..<rounds {
        let updated = Double(round * writers + writer)
        let state = states[(writer * 7 + round * 3) % states.count]
        var document = PersistedStateDocument()
        document.credentials["own-\(writer)"] = F.entry(
          state, streak: round % 4, reopenIn: state.hasCooldownForTest ? 600 + updated : nil,
          updated: updated, failures: round)
        document.credentials["shared-\(round % 3)"] = F.entry(
          state, streak: writer % 3, reopenIn: state.hasCooldownForTest ? 300 + updated : nil,
          updated: updated, failures: writer + round)
        documents.append(document.normalized())
      }
      plans.append(documents)
    }
    let endpoints = cluster.endpoints
    let conflicts = try await withThrowingTaskGroup(of: Int.self) { group in
      for writer in 0..<writers {
        let documents = plans[writer]
        group.addTask {
          let store = Self.store(endpoints, seed: UInt64(writer + 1))
          for document in documents { _ = try await store.save(document) }
          return store.conflictCount
        }
      }
      return try await group.reduce(0, +)
    }
    var expected = PersistedStateDocument()
    for document in plans.joined() { expected = expected.merged(with: document) }
    let stored = try await Self.store(endpoints).load()
    #expect(stored.diagnostics.isEmpty)
    #expect(stored.document.credentials == expected.normalized().credentials)
    print("etcd concurrent writers: \(writers) x \(rounds) saves, \(conflicts) conflicts retried")
    #expect(conflicts >= 0)
  }

  @Test func damagedForeignAndNewerValuesAreHeldOutAndNeverOverwritten() async throws {
    let cluster = try await EtcdTestCluster(size: 1)
    defer { cluster.stop() }
    let endpoint = cluster.endpoints[0]
    let prefix = "failsafe/test/"
    let damaged = Array(#"{"version":1,"state":"dead","streak":"#.utf8)
    let cutBeforeState = Array(#"{"version":1,"consecutiveFailures":2,"#.utf8)
    let foreign = Array("server:\n  port: 8080\n".utf8)
    let newer = Array(#"{"version":2,"state":"dead","updatedAt":"2026-11-23T16:00:00.000Z"}"#.utf8)
    try await Self.put(prefix + "damaged", damaged, at: endpoint)
    try await Self.put(prefix + "cut", cutBeforeState, at: endpoint)
    try await Self.put(prefix + "foreign", foreign, at: endpoint)
    try await Self.put(prefix + "newer", newer, at: endpoint)

    let store = Self.store(cluster.endpoints)
    let reading = try await store.load()
    let credentials = reading.document.credentials
    #expect(credentials["damaged"]?.status == .dead)
    #expect(credentials["cut"]?.status == .paused)
    #expect(credentials["cut"]?.reason == "damagedEntry")
    #expect(credentials["foreign"]?.status == .paused)
    #expect(credentials["foreign"]?.reason == "damagedEntry")
    #expect(credentials["newer"]?.status == .dead)
    #expect(reading.isDamaged)
    #expect(reading.diagnostics.contains { $0.credentialID == "newer" && !$0.isDamage })

    // Workers saving every one of them: the foreign and newer values stay as they are, the
    // damaged ones are repaired by the merge (held states stay held).
    var document = PersistedStateDocument()
    for id in ["damaged", "cut", "foreign", "newer"] {
      document.credentials[id] = F.entry(.closed, updated: 1)
    }
    let saved = try await store.save(document)
    #expect(saved.document.credentials["foreign"]?.status == .paused)
    #expect(try await Self.get(prefix + "foreign", at: endpoint) == foreign)
    #expect(try await Self.get(prefix + "newer", at: endpoint) == newer)
    let repaired = try await Self.store(cluster.endpoints).load()
    #expect(repaired.document.credentials["damaged"]?.status == .dead)
    #expect(repaired.document.credentials["cut"]?.status == .paused)
    #expect(!repaired.diagnostics.contains { $0.credentialID == "damaged" })

    // An operator edit refuses them.
    await #expect(
      throws: StateStoreError.newerVersion(path: "etcd key 'failsafe/test/newer'", version: 2)
    ) {
      _ = try await store.update { document in
        document.credentials["newer"] = F.entry(.closed, updated: 5, action: .revive)
      }
    }
    await #expect(throws: StateStoreError.notAStateFile(path: "etcd key 'failsafe/test/foreign'")) {
      _ = try await store.update { document in
        document.credentials["foreign"] = F.entry(.closed, updated: 5, action: .revive)
      }
    }
  }
}

extension BreakerState {
  /// The states that carry a reopen time in an entry.
  fileprivate var hasCooldownForTest: Bool { self == .open || self == .suspended }
}
