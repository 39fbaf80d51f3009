import Synchronization

/// A ``BreakerStateStore`` held in memory: for tests, and for sharing state between components
/// of one process. It follows the same merge and bound rules as the file store.
public final class InMemoryBreakerStateStore: BreakerStateStore {
  private let document: SanitizerVisibleMutex<PersistedStateDocument>
  private let writes = Atomic<Int>(0)
  /// The bound applied to every document stored.
  public let sizeBound: StateSizeBound

  /// Creates a store holding `document`.
  public init(
    _ document: PersistedStateDocument = PersistedStateDocument(),
    sizeBound: StateSizeBound = StateSizeBound()
  ) {
    self.document = SanitizerVisibleMutex(document)
    self.sizeBound = sizeBound
  }

  /// What the store holds now.
  public var current: PersistedStateDocument { document.withLock { $0 } }

  /// How many times a save or update changed what the store holds.
  public var writeCount: Int { writes.load(ordering: .relaxed) }

  /// Returns what the store holds.
  public func load() async throws -> StateDocumentReading {
    StateDocumentReading(document: current)
  }

  /// Merges `document` into what the store holds.
  public func save(_ document: PersistedStateDocument) async throws -> StateDocumentReading {
    try await update { stored in stored = stored.merged(with: document) }
  }

  /// Runs `edit` on what the store holds, atomically with respect to other calls.
  public func update(
    _ edit: (inout PersistedStateDocument) throws -> Void
  ) async throws -> StateDocumentReading {
    try document.withLock { stored in
      var copy = stored
      try edit(&copy)
      copy = sizeBound.apply(to: copy).document
      if copy != stored {
        stored = copy
        writes.add(1, ordering: .relaxed)
      }
      return StateDocumentReading(document: copy)
    }
  }
}
