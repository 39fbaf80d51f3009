import Synchronization

/// One ``CircuitBreaker`` per credential, created on first use and shared by every caller.
///
/// Safe under concurrent first use: the lookup and the creation happen under one lock, so two
/// tasks asking for a new id get the same breaker. Bounded: when more than ``capacity``
/// breakers exist, the least recently used idle healthy ones (closed, nothing counted) are
/// evicted down to 90% of capacity; open, half-open, dead, paused and suspended breakers are
/// always kept, so the registry can exceed ``capacity`` only by unhealthy breakers. An evicted
/// breaker that a caller still holds keeps working; the next lookup creates a fresh, closed one,
/// which is what an idle healthy breaker was anyway.
public final class BreakerRegistry<C: Clock>: Sendable where C.Duration == Duration {
  /// The breakers' type.
  public typealias Breaker = CircuitBreaker<C>

  @usableFromInline
  struct Entry {
    @usableFromInline let breaker: Breaker
    @usableFromInline var lastUse: UInt64

    @inlinable
    init(breaker: Breaker, lastUse: UInt64) {
      self.breaker = breaker
      self.lastUse = lastUse
    }
  }

  @usableFromInline
  struct Storage {
    @usableFromInline var entries: [CredentialID: Entry] = [:]
    @usableFromInline var tick: UInt64 = 0
    /// The count that triggers the next eviction pass: capacity, raised after a pass that
    /// could not get below it (too many unhealthy breakers), so passes stay amortised.
    @usableFromInline var evictionTrigger: Int

    @usableFromInline
    init(evictionTrigger: Int) { self.evictionTrigger = evictionTrigger }
  }

  @usableFromInline let storage: SanitizerVisibleMutex<Storage>
  @usableFromInline let environment: BreakerEnvironment<C>
  @usableFromInline let makeRandom: @Sendable (CredentialID) -> BackoffRandomSource
  /// How many breakers are kept before idle healthy ones are evicted (at least 1).
  public let capacity: Int

  /// Creates an empty registry.
  ///
  /// - Parameters:
  ///   - policy: the policy every breaker uses.
  ///   - clock: the only source of time.
  ///   - capacity: the number of breakers above which idle healthy ones are evicted.
  ///   - random: the jitter source for each new breaker (seed per id in tests).
  ///   - observer: called with every event of every breaker, outside their locks.
  public init(
    policy: BreakerPolicy = BreakerPolicy(), clock: C, capacity: Int = 10_000,
    random: @escaping @Sendable (CredentialID) -> BackoffRandomSource = { _ in .system },
    observer: (@Sendable (BreakerEvent<C.Instant>) -> Void)? = nil
  ) {
    self.environment = BreakerEnvironment(clock: clock, policy: policy, observer: observer)
    self.capacity = max(capacity, 1)
    self.storage = SanitizerVisibleMutex(Storage(evictionTrigger: max(capacity, 1)))
    self.makeRandom = random
  }

  /// The clock every breaker of this registry reads.
  public var clock: C { environment.clock }

  /// The breaker for `credential`, created closed on first use.
  @inlinable
  public func breaker(for credential: CredentialID) -> Breaker {
    storage.withLock { storage in
      storage.tick &+= 1
      // One hash lookup: the index serves both the read and the LRU stamp.
      if let index = storage.entries.index(forKey: credential) {
        storage.entries.values[index].lastUse = storage.tick
        return storage.entries.values[index].breaker
      }
      let breaker = Breaker(
        credential: credential, environment: environment, random: makeRandom(credential))
      storage.entries[credential] = Entry(breaker: breaker, lastUse: storage.tick)
      if storage.entries.count > storage.evictionTrigger {
        evictIdle(&storage, keeping: credential)
      }
      return breaker
    }
  }

  /// The breaker for `credential` if one exists; never creates one.
  public func existingBreaker(for credential: CredentialID) -> Breaker? {
    storage.withLock { $0.entries[credential]?.breaker }
  }

  /// How many breakers the registry holds.
  public var count: Int { storage.withLock { $0.entries.count } }

  /// Every credential with a breaker, sorted.
  public var credentials: [CredentialID] { storage.withLock { $0.entries.keys.sorted() } }

  /// Removes `credential`'s breaker (for example when the credential is deleted for good).
  /// Returns whether there was one.
  @discardableResult
  public func remove(_ credential: CredentialID) -> Bool {
    storage.withLock { $0.entries.removeValue(forKey: credential) != nil }
  }

  /// Snapshots of every breaker, keyed by credential.
  public func snapshots() -> [CredentialID: BreakerSnapshot] {
    let breakers = storage.withLock { $0.entries.mapValues(\.breaker) }
    return breakers.mapValues { $0.snapshot() }
  }

  /// Restores each snapshot into its credential's breaker, creating breakers as needed.
  public func restore(_ snapshots: [CredentialID: BreakerSnapshot]) {
    for (credential, snapshot) in snapshots { breaker(for: credential).restore(snapshot) }
  }

  /// A stream of every later event of every breaker in this registry.
  public func events(bufferLimit: Int = 1_024) -> AsyncStream<BreakerEvent<C.Instant>> {
    environment.hub.stream(bufferLimit: bufferLimit)
  }

  /// Evicts the least recently used idle healthy breakers (never `kept`) down to 90% of
  /// capacity, so eviction's sort is paid once per tenth of capacity, not per insert.
  @usableFromInline
  func evictIdle(_ storage: inout Storage, keeping kept: CredentialID) {
    let target = capacity - capacity / 10
    var idle = storage.entries.filter { $0.key != kept && $0.value.breaker.isIdleHealthy }
      .map { (credential: $0.key, lastUse: $0.value.lastUse) }
    idle.sort { $0.lastUse < $1.lastUse }
    for candidate in idle {
      if storage.entries.count <= target { break }
      storage.entries.removeValue(forKey: candidate.credential)
    }
    storage.evictionTrigger = max(capacity, storage.entries.count + max(capacity / 10, 1))
  }
}

extension BreakerRegistry where C == CoarseMonotonicClock {
  /// Creates an empty registry on ``CoarseMonotonicClock``, the default clock (see
  /// ``CircuitBreaker/init(credential:policy:random:observer:)`` for why).
  public convenience init(
    policy: BreakerPolicy = BreakerPolicy(), capacity: Int = 10_000,
    random: @escaping @Sendable (CredentialID) -> BackoffRandomSource = { _ in .system },
    observer: (@Sendable (BreakerEvent<C.Instant>) -> Void)? = nil
  ) {
    self.init(
      policy: policy, clock: CoarseMonotonicClock(), capacity: capacity, random: random,
      observer: observer)
  }
}
