/// The registry's map from credential to breaker: open addressing with linear probing over one
/// array of 24-byte slots (hash, last use, breaker), so a hit reads one slot's cache line plus
/// the id compare.
///
/// The key is not stored: it is the breaker's own ``CircuitBreaker/credential``, compared only
/// when the stored 64-bit hash matches. Hashes come from the caller (the id's own registry hash,
/// by ``CredentialHasher``, in the registry; anything in tests), and a slot is empty when its stored hash is 0 (stored hashes
/// have bit 0 set). The home slot is the hash's top bits. Removal shifts later slots of the
/// cluster back (no tombstones). The table doubles when an insert would take the load past 0.8,
/// so after the first growth the load stays between 0.4 and 0.8: at most 60 bytes per entry.
/// Not thread-safe: the registry calls it under its lock.
@usableFromInline
package struct CredentialTable<C: Clock>: ~Copyable where C.Duration == Duration {
  /// One slot; `hash == 0` marks it empty.
  @usableFromInline
  struct Slot {
    @usableFromInline var hash: UInt64
    @usableFromInline var lastUse: UInt64
    /// Retained by the table while the slot is occupied.
    @usableFromInline var breaker: Unmanaged<CircuitBreaker<C>>?

    @inlinable
    init(hash: UInt64, lastUse: UInt64, breaker: Unmanaged<CircuitBreaker<C>>?) {
      self.hash = hash
      self.lastUse = lastUse
      self.breaker = breaker
    }
  }

  /// The most slots the table grows to (2^40, far past any allocatable size): growth clamps
  /// here instead of overflowing.
  package static var maximumCapacity: Int { 1 << 40 }

  @usableFromInline var slots: UnsafeMutablePointer<Slot>
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
    slots = Self.allocate(size)
    mask = size &- 1
    shift = UInt64(64 &- size.trailingZeroBitCount)
  }

  deinit {
    for index in 0...mask where slots[index].hash != 0 { slots[index].breaker?.release() }
    slots.deallocate()
  }

  /// How many slots the table has.
  package var capacity: Int { mask &+ 1 }

  @usableFromInline
  static func allocate(_ size: Int) -> UnsafeMutablePointer<Slot> {
    let slots = UnsafeMutablePointer<Slot>.allocate(capacity: size)
    slots.initialize(repeating: Slot(hash: 0, lastUse: 0, breaker: nil), count: size)
    return slots
  }

  /// The value stored for `hash`: never 0, so 0 can mark an empty slot.
  @inlinable
  static func stored(_ hash: UInt64) -> UInt64 { hash | 1 }

  @inlinable
  func home(_ stored: UInt64) -> Int { Int(truncatingIfNeeded: stored &>> shift) }

  /// The slot holding `credential`'s breaker, if any. `hash` must be the one it was inserted
  /// with.
  @inlinable
  package func index(of credential: CredentialID, hash: UInt64) -> Int? {
    let stored = Self.stored(hash)
    var index = home(stored)
    while true {
      let slot = slots[index]
      if slot.hash == 0 { return nil }
      if slot.hash == stored,
        let breaker = slot.breaker,
        breaker._withUnsafeGuaranteedRef({ $0.credential == credential })
      {
        return index
      }
      index = (index &+ 1) & mask
    }
  }

  /// The breaker in occupied slot `index`.
  @inlinable
  package func breaker(at index: Int) -> CircuitBreaker<C> {
    slots[index].breaker.unsafelyUnwrapped.takeUnretainedValue()
  }

  /// The breaker in occupied slot `index`, stamped as used at `tick`.
  @inlinable
  package mutating func use(at index: Int, tick: UInt64) -> CircuitBreaker<C> {
    slots[index].lastUse = tick
    return breaker(at: index)
  }

  /// When occupied slot `index` was last used.
  package func lastUse(at index: Int) -> UInt64 { slots[index].lastUse }

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
    let slot = Slot(hash: Self.stored(hash), lastUse: lastUse, breaker: .passRetained(breaker))
    count &+= 1
    return place(slot)
  }

  /// Puts `slot` in the first empty slot from its home; returns where.
  @usableFromInline
  mutating func place(_ slot: Slot) -> Int {
    var index = home(slot.hash)
    while slots[index].hash != 0 { index = (index &+ 1) & mask }
    slots[index] = slot
    return index
  }

  @usableFromInline
  mutating func resize(to size: Int) {
    let old = slots
    let oldCapacity = capacity
    slots = Self.allocate(size)
    mask = size &- 1
    shift = UInt64(64 &- size.trailingZeroBitCount)
    for index in 0..<oldCapacity where old[index].hash != 0 { _ = place(old[index]) }
    old.deallocate()
  }

  /// Empties occupied slot `index` and releases its breaker, shifting later slots of the same
  /// cluster back so no probe for them crosses an empty slot.
  package mutating func remove(at index: Int) {
    slots[index].breaker?.release()
    count &-= 1
    var hole = index
    var next = (index &+ 1) & mask
    while slots[next].hash != 0 {
      // `next` may fill the hole unless its home lies cyclically in (hole, next].
      let fromHome = (next &- home(slots[next].hash)) & mask
      if fromHome >= (next &- hole) & mask {
        slots[hole] = slots[next]
        hole = next
      }
      next = (next &+ 1) & mask
    }
    slots[hole] = Slot(hash: 0, lastUse: 0, breaker: nil)
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
    for index in 0...mask where slots[index].hash != 0 { indices.append(index) }
    return indices
  }

  /// The stored hash of occupied slot `index` (the inserted hash with bit 0 set).
  package func storedHash(at index: Int) -> UInt64 { slots[index].hash }

  /// How far occupied slot `index` is from its home slot (0 when it is home).
  package func displacement(at index: Int) -> Int { (index &- home(slots[index].hash)) & mask }
}
