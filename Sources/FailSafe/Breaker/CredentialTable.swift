import Synchronization

/// The registry's map from credential to breaker: open addressing with linear probing over
/// three parallel arrays, a one-byte tag, the breaker, and the 64-bit hash, so a lookup reads a
/// tag byte and an 8-byte breaker reference, then the id in the breaker it returns.
///
/// Why the split: a lookup among many credentials misses the cache on its slot, and the larger
/// the array it probes, the more often that miss goes to memory. Tags take 1 byte and breaker
/// references 8 per slot (1.1 MB for 100,000 credentials, against 3 MB for 24-byte slots of
/// hash, last use and breaker); the hashes are read only to insert, remove and grow. The last
/// use lives in the breaker (`CircuitBreaker.registryLastUse`), whose first cache line the
/// lookup writes anyway when it retains the breaker.
///
/// The key is not stored: it is the breaker's own ``CircuitBreaker/credential``, compared when
/// the slot's tag matches (7 bits of the hash: a false match costs one compare, 1 in 128 of
/// the occupied slots a probe passes). Hashes come from the caller (the id's own registry hash
/// in the registry; anything in tests). A slot is empty when its tag is 0 (tags have bit 7
/// set). The home slot is the hash's top bits, the tag its bits 1 to 7. Removal shifts later
/// slots of the cluster back (no tombstones). The table doubles when an insert would take the
/// load past 0.8, so after the first growth the load stays between 0.4 and 0.8: at most 42.5
/// bytes per entry. Not thread-safe: the registry calls it under its lock.
@usableFromInline
package struct CredentialTable<C: Clock>: ~Copyable where C.Duration == Duration {
  @usableFromInline typealias Reference = Unmanaged<CircuitBreaker<C>>

  /// The most slots the table grows to (2^40, far past any allocatable size): growth clamps
  /// here instead of overflowing.
  package static var maximumCapacity: Int { 1 << 40 }

  /// Per slot: 0 when empty, else ``tag(_:)`` of the stored hash.
  @usableFromInline var tags: UnsafeMutablePointer<UInt8>
  /// Per slot: the breaker, retained by the table while the slot is occupied.
  @usableFromInline var breakers: UnsafeMutablePointer<Reference?>
  /// Per slot: the stored hash (``stored(_:)``); meaningful only where the tag is not 0.
  @usableFromInline var hashes: UnsafeMutablePointer<UInt64>
  /// `capacity - 1`; the capacity is a power of two.
  @usableFromInline var mask: Int
  /// `64 - log2(capacity)`: a hash's top bits are its home slot.
  @usableFromInline var shift: UInt64
  /// How many slots are occupied.
  @usableFromInline package private(set) var count = 0

  /// An empty table with room for at least `capacity` slots (at least 8; a power of two).
  package init(capacity: Int = 8) {
    var size = 8
    while size < min(capacity, Self.maximumCapacity) { size &<<= 1 }
    (tags, breakers, hashes) = Self.allocate(size)
    mask = size &- 1
    shift = UInt64(64 &- size.trailingZeroBitCount)
  }

  deinit {
    for index in 0...mask where tags[index] != 0 { breakers[index]?.release() }
    Self.deallocate(tags, breakers, hashes)
  }

  /// How many slots the table has.
  package var capacity: Int { mask &+ 1 }

  @usableFromInline
  static func allocate(
    _ size: Int
  ) -> (UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<Reference?>, UnsafeMutablePointer<UInt64>)
  {
    let tags = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
    tags.initialize(repeating: 0, count: size)
    let breakers = UnsafeMutablePointer<Reference?>.allocate(capacity: size)
    breakers.initialize(repeating: nil, count: size)
    let hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: size)
    hashes.initialize(repeating: 0, count: size)
    return (tags, breakers, hashes)
  }

  @usableFromInline
  static func deallocate(
    _ tags: UnsafeMutablePointer<UInt8>, _ breakers: UnsafeMutablePointer<Reference?>,
    _ hashes: UnsafeMutablePointer<UInt64>
  ) {
    tags.deallocate()
    breakers.deallocate()
    hashes.deallocate()
  }

  /// The value stored for `hash`: never 0 (bit 0 set).
  @inlinable
  static func stored(_ hash: UInt64) -> UInt64 { hash | 1 }

  /// The tag of a stored hash: its bits 1 to 7 with bit 7 set, so never 0 (empty). Bits 1 to 7
  /// are independent of the home (the top bits) for any table under 2^57 slots.
  @inlinable
  static func tag(_ stored: UInt64) -> UInt8 { UInt8(truncatingIfNeeded: stored &>> 1) | 0x80 }

  @inlinable
  func home(_ stored: UInt64) -> Int { Int(truncatingIfNeeded: stored &>> shift) }

  /// The slot holding `credential`'s breaker, if any. `hash` must be the one it was inserted
  /// with.
  @inlinable
  package func index(of credential: CredentialID, hash: UInt64) -> Int? {
    let stored = Self.stored(hash)
    let tag = Self.tag(stored)
    var index = home(stored)
    while true {
      let slotTag = tags[index]
      if slotTag == 0 { return nil }
      if slotTag == tag,
        breakers[index].unsafelyUnwrapped._withUnsafeGuaranteedRef({ $0.credential == credential })
      {
        return index
      }
      index = (index &+ 1) & mask
    }
  }

  /// The breaker in occupied slot `index`.
  @inlinable
  package func breaker(at index: Int) -> CircuitBreaker<C> {
    breakers[index].unsafelyUnwrapped.takeUnretainedValue()
  }

  /// The breaker in occupied slot `index`, stamped as used at `tick`.
  @inlinable
  package func use(at index: Int, tick: UInt64) -> CircuitBreaker<C> {
    let breaker = breaker(at: index)
    breaker.registryLastUse.store(tick, ordering: .relaxed)
    return breaker
  }

  /// When occupied slot `index` was last used.
  package func lastUse(at index: Int) -> UInt64 {
    breaker(at: index).registryLastUse.load(ordering: .relaxed)
  }

  /// Inserts `breaker`, whose credential must not be in the table yet, under `hash`. Returns
  /// its slot, or nil if the table is at ``maximumCapacity`` and full (then nothing changed).
  @usableFromInline
  package mutating func insert(_ breaker: CircuitBreaker<C>, hash: UInt64, lastUse: UInt64) -> Int?
  {
    // Grow past a load of 0.8 (no overflow: count < capacity <= 2^40).
    if (count &+ 1) &* 5 > capacity &* 4, capacity < Self.maximumCapacity {
      resize(to: capacity &<< 1)
    }
    guard count < mask else { return nil }  // keep one slot empty so probes end
    breaker.registryLastUse.store(lastUse, ordering: .relaxed)
    count &+= 1
    return place(Self.stored(hash), .passRetained(breaker))
  }

  /// Puts a stored hash and its (retained) breaker in the first empty slot from the hash's
  /// home; returns where.
  @usableFromInline
  mutating func place(_ stored: UInt64, _ breaker: Reference) -> Int {
    var index = home(stored)
    while tags[index] != 0 { index = (index &+ 1) & mask }
    tags[index] = Self.tag(stored)
    breakers[index] = breaker
    hashes[index] = stored
    return index
  }

  @usableFromInline
  mutating func resize(to size: Int) {
    let (oldTags, oldBreakers, oldHashes) = (tags, breakers, hashes)
    let oldCapacity = capacity
    (tags, breakers, hashes) = Self.allocate(size)
    mask = size &- 1
    shift = UInt64(64 &- size.trailingZeroBitCount)
    for index in 0..<oldCapacity where oldTags[index] != 0 {
      _ = place(oldHashes[index], oldBreakers[index].unsafelyUnwrapped)
    }
    Self.deallocate(oldTags, oldBreakers, oldHashes)
  }

  /// Copies occupied slot `source` into `target` (the caller then overwrites or empties
  /// `source`).
  @usableFromInline
  mutating func move(_ source: Int, to target: Int) {
    tags[target] = tags[source]
    breakers[target] = breakers[source]
    hashes[target] = hashes[source]
  }

  /// Empties occupied slot `index` and releases its breaker, shifting later slots of the same
  /// cluster back so no probe for them crosses an empty slot.
  package mutating func remove(at index: Int) {
    breakers[index]?.release()
    count &-= 1
    var hole = index
    var next = (index &+ 1) & mask
    while tags[next] != 0 {
      // `next` may fill the hole unless its home lies cyclically in (hole, next].
      let fromHome = (next &- home(hashes[next])) & mask
      if fromHome >= (next &- hole) & mask {
        move(next, to: hole)
        hole = next
      }
      next = (next &+ 1) & mask
    }
    tags[hole] = 0
    breakers[hole] = nil
    hashes[hole] = 0
  }

  /// Removes the slot holding exactly `breaker` (found from `hash`). Returns whether it was
  /// there.
  package mutating func remove(_ breaker: CircuitBreaker<C>, hash: UInt64) -> Bool {
    guard let index = index(of: breaker.credential, hash: hash), self.breaker(at: index) === breaker
    else { return false }
    remove(at: index)
    return true
  }

  /// The occupied slots' indices, in slot order.
  package var occupied: [Int] {
    var indices: [Int] = []
    indices.reserveCapacity(count)
    for index in 0...mask where tags[index] != 0 { indices.append(index) }
    return indices
  }

  /// The stored hash of occupied slot `index` (the inserted hash with bit 0 set).
  package func storedHash(at index: Int) -> UInt64 { hashes[index] }

  /// How far occupied slot `index` is from its home slot (0 when it is home).
  package func displacement(at index: Int) -> Int { (index &- home(hashes[index])) & mask }
}
