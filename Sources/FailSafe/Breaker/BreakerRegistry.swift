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
  struct Storage: ~Copyable {
    @usableFromInline var table = CredentialTable<C>()
    /// Counts lookups; a slot's last use is the tick of its latest lookup.
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
  ///
  /// The id carries its hash (see ``CredentialID``), so the lookup reads neither the id's text
  /// nor hashes it; under the lock, one probe of the table and a last-use stamp in the breaker
  /// it returns.
  @inlinable
  public func breaker(for credential: CredentialID) -> Breaker {
    let hash = credential.registryHash
    return storage.withLock { storage in
      storage.tick &+= 1
      if let index = storage.table.index(of: credential, hash: hash) {
        return storage.table.use(at: index, tick: storage.tick)
      }
      return insertBreaker(for: credential, hash: hash, into: &storage)
    }
  }

  /// Creates, stores and returns `credential`'s breaker (absent from the table), then evicts
  /// if the count passed the trigger. Out of line: it runs once per credential.
  @usableFromInline
  func insertBreaker(
    for credential: CredentialID, hash: UInt64, into storage: inout Storage
  ) -> Breaker {
    let breaker = Breaker(
      credential: credential, environment: environment, random: makeRandom(credential))
    // A table at its maximum capacity and full (2^40 slots: not allocatable) cannot store it;
    // the caller still gets a working breaker.
    guard storage.table.insert(breaker, hash: hash, lastUse: storage.tick) != nil else {
      return breaker
    }
    if storage.table.count > storage.evictionTrigger {
      evictIdle(&storage, keeping: breaker)
    }
    return breaker
  }

  /// The breaker for `credential` if one exists; never creates one.
  public func existingBreaker(for credential: CredentialID) -> Breaker? {
    let hash = credential.registryHash
    return storage.withLock { storage in
      storage.table.index(of: credential, hash: hash).map { storage.table.breaker(at: $0) }
    }
  }

  /// How many breakers the registry holds.
  public var count: Int { storage.withLock { $0.table.count } }

  /// Every credential with a breaker, sorted.
  public var credentials: [CredentialID] { allBreakers().map(\.credential).sorted() }

  /// Removes `credential`'s breaker (for example when the credential is deleted for good).
  /// Returns whether there was one.
  @discardableResult
  public func remove(_ credential: CredentialID) -> Bool {
    let hash = credential.registryHash
    return storage.withLock { storage in
      guard let index = storage.table.index(of: credential, hash: hash) else { return false }
      storage.table.remove(at: index)
      return true
    }
  }

  /// Every breaker, in table order.
  func allBreakers() -> [Breaker] {
    storage.withLock { storage in storage.table.occupied.map { storage.table.breaker(at: $0) } }
  }

  /// Snapshots of every breaker, keyed by credential.
  public func snapshots() -> [CredentialID: BreakerSnapshot] {
    var snapshots: [CredentialID: BreakerSnapshot] = [:]
    for breaker in allBreakers() { snapshots[breaker.credential] = breaker.snapshot() }
    return snapshots
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
  func evictIdle(_ storage: inout Storage, keeping kept: Breaker) {
    let target = capacity - capacity / 10
    var idle: [(index: Int, lastUse: UInt64)] = []
    for index in storage.table.occupied {
      let breaker = storage.table.breaker(at: index)
      if breaker !== kept && breaker.isIdleHealthy {
        idle.append((index, storage.table.lastUse(at: index)))
      }
    }
    idle.sort { $0.lastUse < $1.lastUse }
    // Removal shifts slots, so victims are named by breaker and stored hash, not by index.
    let excess = max(storage.table.count - target, 0)
    let victims = idle.prefix(excess).map {
      (storage.table.breaker(at: $0.index), storage.table.storedHash(at: $0.index))
    }
    for (breaker, hash) in victims { _ = storage.table.remove(breaker, hash: hash) }
    storage.evictionTrigger = max(capacity, storage.table.count + max(capacity / 10, 1))
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
