import Foundation
import Synchronization

/// A ``BreakerStateStore`` on etcd v3, shared by every host of a fleet, spoken through etcd's
/// HTTP/JSON gateway with `URLSession` (no package dependency).
///
/// - **One key per credential**: `PREFIX` + the credential id, holding the entry JSON of
///   Docs/SharedState.md with a `version` member (the schema).
/// - **Load** is one range read of every key under the prefix.
/// - **Save** merges each changed credential into its key with a compare-and-set loop: a `txn`
///   comparing the key's `mod_revision` (or `create_revision == 0` for a new key) puts the
///   merged entry; on a conflict the transaction returns the fresh value, which is merged
///   again (`StateMerge`, a state-based CRDT: retries are harmless) after a jittered backoff on
///   the injected clock. A value already equal to the merge is not written.
/// - **Update** runs the operator's edit in the same loop, on the fresh value after a conflict.
/// - **Damage.** A damaged value is read field by field as in a state file (an unreadable state
///   is paused with reason `damagedEntry`) and repaired when its credential is next saved. A
///   value that is not a FailSafe entry at all, or one written by a newer schema, is never
///   overwritten: saves leave it alone, edits refuse it.
/// - **Unreachable cluster.** Each endpoint is tried in turn; when none answers the call
///   throws ``EtcdStoreError/unreachable(_:)``. The breakers in memory keep working and
///   `BreakerStatePersistence` retries at the next change or sync.
public final class EtcdBreakerStateStore: BreakerStateStore {
  /// Where and how etcd is reached.
  public let configuration: EtcdStoreConfiguration
  /// Stands in for damaged `updatedAt` dates.
  public let wallClock: WallClock
  private let client: EtcdGatewayClient
  private let clock: any Clock<Duration>
  private let random: SanitizerVisibleMutex<BackoffRandomSource>
  private let conflicts = Atomic<Int>(0)
  private let prefixBytes: [UInt8]

  /// Creates a store; nothing is sent until the first call.
  ///
  /// - Parameters:
  ///   - configuration: endpoints, prefix, authentication, timeouts and retry bounds.
  ///   - clock: the retry backoff sleeps on it.
  ///   - random: the backoff's jitter.
  ///   - wallClock: stands in for damaged dates.
  public init(
    configuration: EtcdStoreConfiguration, clock: any Clock<Duration> = ContinuousClock(),
    random: BackoffRandomSource = .system, wallClock: WallClock = .system
  ) {
    self.configuration = configuration
    self.clock = clock
    self.random = SanitizerVisibleMutex(random)
    self.wallClock = wallClock
    self.prefixBytes = Array(configuration.prefix.utf8)
    self.client = EtcdGatewayClient(configuration: configuration)
  }

  /// How many compare-and-set attempts lost to another writer and were retried, since the
  /// store was created.
  public var conflictCount: Int { conflicts.load(ordering: .relaxed) }

  /// The etcd key of credential `id`: the prefix followed by the id.
  public func key(of id: String) -> String { configuration.prefix + id }

  // MARK: BreakerStateStore

  /// Reads every key under the prefix with one range read.
  public func load() async throws -> StateDocumentReading {
    let stored = try await readAll()
    return stored.reading
  }

  /// Merges each credential of `document` into its key (compare-and-set per credential) and
  /// returns everything under the prefix as it is after the writes.
  public func save(_ document: PersistedStateDocument) async throws -> StateDocumentReading {
    var stored = try await readAll()
    for (id, entry) in document.normalized().credentials.sorted(by: { $0.key < $1.key }) {
      guard Self.isStorable(id) else { continue }
      let written = try await compareAndSet(id: id, current: stored.values[id], isEdit: false) {
        current in current.map { StateMerge.merge($0, entry) } ?? entry
      }
      stored.values[id] = written
    }
    return stored.reading
  }

  /// Runs `edit` on everything under the prefix and writes each entry it changed, running it
  /// again on the fresh value of a key another writer changed meanwhile. Entries `edit`
  /// removes are not deleted.
  public func update(
    _ edit: (inout PersistedStateDocument) throws -> Void
  ) async throws -> StateDocumentReading {
    var stored = try await readAll()
    let before = stored.reading.document
    var edited = before
    try edit(&edited)
    edited = edited.normalized()
    for (id, entry) in edited.credentials.sorted(by: { $0.key < $1.key }) {
      guard Self.isStorable(id), before.credentials[id] != entry else { continue }
      var firstAttempt = true
      let written = try await compareAndSet(id: id, current: stored.values[id], isEdit: true) {
        current in
        if firstAttempt {
          firstAttempt = false
          return entry
        }
        var fresh = before
        fresh.credentials[id] = current
        try edit(&fresh)
        return fresh.normalized().credentials[id] ?? entry
      }
      stored.values[id] = written
    }
    return stored.reading
  }

  // MARK: Reading

  /// One stored key, as read.
  struct StoredValue {
    var entry: PersistedCredentialState
    var modRevision: Int64
    var bytes: [UInt8]
    /// `nil` for a writable FailSafe entry; else why it is never overwritten.
    var protection: Protection?
  }

  enum Protection {
    case newer(Int)
    case foreign
  }

  struct Stored {
    var values: [String: StoredValue] = [:]
    var diagnostics: [StateDiagnostic] = []

    var reading: StateDocumentReading {
      var document = PersistedStateDocument()
      for (id, value) in values { document.credentials[id] = value.entry }
      return StateDocumentReading(document: document.normalized(), diagnostics: diagnostics)
    }
  }

  private func readAll() async throws -> Stored {
    guard !prefixBytes.isEmpty else {
      throw EtcdStoreError.invalidConfiguration("the key prefix is empty")
    }
    let request = EtcdWire.RangeRequest(
      key: EtcdWire.base64(prefixBytes),
      rangeEnd: EtcdWire.base64(EtcdWire.rangeEnd(ofPrefix: prefixBytes)))
    let response = try await client.post(
      "/v3/kv/range", request, as: EtcdWire.RangeResponse.self)
    var stored = Stored()
    let now = wallClock.now()
    for kv in response.kvs ?? [] {
      guard let keyBytes = EtcdWire.bytes(kv.key), keyBytes.starts(with: prefixBytes) else {
        continue
      }
      let idBytes = Array(keyBytes.dropFirst(prefixBytes.count))
      guard let id = String(validating: idBytes, as: UTF8.self), Self.isStorable(id) else {
        stored.diagnostics.append(
          StateDiagnostic(
            message:
              "a key under the prefix does not name a credential (empty, not UTF-8 or over "
              + "\(PersistedStateDocument.maximumCredentialIDLength) bytes); ignored",
            isDamage: false))
        continue
      }
      let value = decode(kv, id: id, loadedAt: now, diagnostics: &stored.diagnostics)
      stored.values[id] = value
    }
    return stored
  }

  private func decode(
    _ kv: EtcdWire.KeyValue, id: String, loadedAt: Date, diagnostics: inout [StateDiagnostic]
  ) -> StoredValue {
    let bytes = kv.value.flatMap(EtcdWire.bytes) ?? []
    let revision = EtcdWire.revision(kv.modRevision)
    switch EtcdEntryCodec.decode(bytes, id: id, loadedAt: loadedAt, diagnostics: &diagnostics) {
    case .entry(let entry):
      return StoredValue(entry: entry.normalized(), modRevision: revision, bytes: bytes)
    case .newer(let entry, let version):
      return StoredValue(
        entry: entry.normalized(), modRevision: revision, bytes: bytes,
        protection: .newer(version))
    case .foreign(let entry):
      return StoredValue(
        entry: entry, modRevision: revision, bytes: bytes, protection: .foreign)
    }
  }

  private static func isStorable(_ id: String) -> Bool {
    !id.isEmpty && id.utf8.count <= PersistedStateDocument.maximumCredentialIDLength
  }

  // MARK: Compare-and-set

  /// Writes `target(current)` to credential `id`'s key unless it is already stored, retrying
  /// on conflicts with the value the failed transaction returned. Returns what the key holds.
  private func compareAndSet(
    id: String, current: StoredValue?, isEdit: Bool,
    target: (PersistedCredentialState?) throws -> PersistedCredentialState
  ) async throws -> StoredValue? {
    var current = current
    let key = Array(prefixBytes + Array(id.utf8))
    for attempt in 0..<configuration.maximumAttempts {
      if let current, let protection = current.protection {
        // Never overwritten; the read already said why.
        guard isEdit else { return current }
        switch protection {
        case .newer(let version):
          throw StateStoreError.newerVersion(
            path: "etcd key '\(self.key(of: id))'", version: version)
        case .foreign:
          throw StateStoreError.notAStateFile(path: "etcd key '\(self.key(of: id))'")
        }
      }
      let entry = try target(current?.entry).normalized()
      let bytes = try EtcdEntryCodec.encode(entry)
      if let current, current.bytes == bytes { return current }
      let compare =
        current.map {
          EtcdWire.Compare(
            key: EtcdWire.base64(key), target: "MOD", modRevision: String($0.modRevision))
        }
        ?? EtcdWire.Compare(key: EtcdWire.base64(key), target: "CREATE", createRevision: "0")
      let request = EtcdWire.TxnRequest(
        compare: [compare],
        success: [
          EtcdWire.RequestOp(
            requestPut: EtcdWire.PutRequest(
              key: EtcdWire.base64(key), value: EtcdWire.base64(bytes)))
        ],
        failure: [
          EtcdWire.RequestOp(requestRange: EtcdWire.RangeRequest(key: EtcdWire.base64(key)))
        ])
      let response = try await client.post("/v3/kv/txn", request, as: EtcdWire.TxnResponse.self)
      if response.succeeded == true {
        return StoredValue(
          entry: entry, modRevision: EtcdWire.revision(response.header?.revision), bytes: bytes)
      }
      conflicts.add(1, ordering: .relaxed)
      var diagnostics: [StateDiagnostic] = []
      current = response.responses?.first?.responseRange?.kvs?.first.map {
        decode($0, id: id, loadedAt: wallClock.now(), diagnostics: &diagnostics)
      }
      try await clock.sleep(for: backoff(afterAttempt: attempt))
    }
    throw EtcdStoreError.tooManyConflicts(
      key: self.key(of: id), attempts: configuration.maximumAttempts)
  }

  /// Full jitter: a random wait up to `retryBase * 2^attempt`, capped by `retryMaximum`.
  private func backoff(afterAttempt attempt: Int) -> Duration {
    let cap = configuration.retryMaximum
    var ceiling = configuration.retryBase
    for _ in 0..<min(attempt, 30) where ceiling < cap { ceiling = ceiling * 2 }
    ceiling = min(ceiling, cap)
    let nanoseconds =
      max(0, ceiling.components.seconds) &* 1_000_000_000
      &+ ceiling.components.attoseconds / 1_000_000_000
    guard nanoseconds > 0 else { return .zero }
    let draw = random.withLock { generator in
      UInt64.random(in: 0...UInt64(nanoseconds), using: &generator)
    }
    return .nanoseconds(Int64(clamping: draw))
  }
}
