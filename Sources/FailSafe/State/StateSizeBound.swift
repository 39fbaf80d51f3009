/// Keeps a state document within a maximum number of credentials, so the file's size is
/// bounded whatever happens.
///
/// Each entry is itself bounded (id ≤ 512 bytes, evidence ≤ 300 characters, reasons ≤ 64), so
/// `maximumEntries` bounds the file. Eviction order: healthy credentials (closed, no streak)
/// first, then the other credentials that are not held (closed with a streak, half-open, open,
/// suspended), each group least recently updated first. `dead` and `paused` credentials are
/// never evicted while anything else can go; only if they alone exceed the bound are the least
/// recently updated of them dropped, and the caller is told which.
public struct StateSizeBound: Sendable, Hashable {
  /// The most credentials a document keeps. At least 1.
  public var maximumEntries: Int

  /// Creates a bound; values below 1 become 1.
  public init(maximumEntries: Int = 10_000) {
    self.maximumEntries = max(1, maximumEntries)
  }

  /// What applying the bound did.
  package struct Outcome: Sendable, Hashable {
    /// The document within the bound.
    package var document: PersistedStateDocument
    /// Ids evicted that were not held (closed, half-open, open, suspended).
    package var evicted: [String]
    /// Ids of `dead` or `paused` credentials dropped because they alone exceeded the bound.
    package var droppedHeld: [String]
  }

  /// Applies the bound to `document`.
  package func apply(to document: PersistedStateDocument) -> Outcome {
    let excess = document.credentials.count - maximumEntries
    guard excess > 0 else { return Outcome(document: document, evicted: [], droppedHeld: []) }
    func tier(_ entry: PersistedCredentialState) -> Int {
      if entry.isHealthy { return 0 }
      return entry.status.isHeld ? 2 : 1
    }
    let order = document.credentials.sorted { lhs, rhs in
      let (lhsTier, rhsTier) = (tier(lhs.value), tier(rhs.value))
      if lhsTier != rhsTier { return lhsTier < rhsTier }
      if lhs.value.updatedAt != rhs.value.updatedAt {
        return lhs.value.updatedAt < rhs.value.updatedAt
      }
      return lhs.key < rhs.key
    }
    var result = document
    var evicted: [String] = []
    var droppedHeld: [String] = []
    for (id, entry) in order.prefix(excess) {
      result.credentials[id] = nil
      if entry.status.isHeld { droppedHeld.append(id) } else { evicted.append(id) }
    }
    return Outcome(document: result, evicted: evicted, droppedHeld: droppedHeld)
  }
}
