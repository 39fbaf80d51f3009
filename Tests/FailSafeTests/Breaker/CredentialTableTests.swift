import FailSafe
import FailSafeTesting
import Testing

@Suite("CredentialTable", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct CredentialTableTests {
  typealias Breaker = CircuitBreaker<ManualClock>

  let clock = ManualClock()

  func breaker(_ id: CredentialID) -> Breaker { Breaker(credential: id, clock: clock) }

  /// Checks `table` against `model` (credential -> (breaker, hash)): every entry found where
  /// it was put, nothing else found, the count right, and every slot reachable from its home.
  func expect(
    _ table: borrowing CredentialTable<ManualClock>,
    holds model: [CredentialID: (breaker: Breaker, hash: UInt64)],
    absent: [(CredentialID, UInt64)] = []
  ) {
    let countMatches = table.count == model.count
    #expect(countMatches)
    for (id, entry) in model {
      let index = table.index(of: id, hash: entry.hash)
      let foundItsBreaker = index.map { table.breaker(at: $0) } === entry.breaker
      #expect(foundItsBreaker, "\(id)")
    }
    for (id, hash) in absent {
      let found = table.index(of: id, hash: hash)
      #expect(found == nil, "\(id)")
    }
    let occupiedMatches = table.occupied.count == model.count
    #expect(occupiedMatches)
    // No empty slot between any entry and its home (what backward-shift deletion keeps).
    let occupied = Set(table.occupied)
    for index in table.occupied {
      for step in 0..<table.displacement(at: index) {
        let between = (index - step - 1 + table.capacity) % table.capacity
        #expect(occupied.contains(between))
      }
    }
  }

  @Test func fullCollisionsAreTellApartByTheIdAndSurviveRemoval() {
    var table = CredentialTable<ManualClock>()
    var model: [CredentialID: (breaker: Breaker, hash: UInt64)] = [:]
    for index in 0..<50 {
      let id = CredentialID("collide-\(index)")
      let entry = (breaker: breaker(id), hash: UInt64(42))
      let inserted = table.insert(entry.breaker, hash: entry.hash, lastUse: 0) != nil
      #expect(inserted)
      model[id] = entry
    }
    expect(table, holds: model, absent: [("collide-50", 42), ("other", 7)])
    for index in stride(from: 0, to: 50, by: 3) {
      let id = CredentialID("collide-\(index)")
      let removed = table.remove(model[id]!.breaker, hash: 42)
      #expect(removed)
      let notRemovedTwice = !table.remove(model[id]!.breaker, hash: 42)
      #expect(notRemovedTwice)
      model[id] = nil
    }
    expect(table, holds: model, absent: [("collide-0", 42), ("collide-3", 42)])
  }

  @Test func clustersWrapAroundTheEndOfTheTable() {
    var table = CredentialTable<ManualClock>(capacity: 16)
    var model: [CredentialID: (breaker: Breaker, hash: UInt64)] = [:]
    // Homes 15 and 14 (top four bits): the cluster wraps to slots 0, 1, ...
    for index in 0..<6 {
      let id = CredentialID("wrap-\(index)")
      let hash: UInt64 = index.isMultiple(of: 2) ? .max : 0xE000_0000_0000_0000
      model[id] = (breaker(id), hash)
      _ = table.insert(model[id]!.breaker, hash: hash, lastUse: 0)
    }
    let didNotGrow = table.capacity == 16
    #expect(didNotGrow)
    expect(table, holds: model)
    for id in ["wrap-0", "wrap-1"] {
      let id = CredentialID(id)
      let removed = table.remove(model[id]!.breaker, hash: model[id]!.hash)
      #expect(removed)
      model[id] = nil
      expect(table, holds: model)
    }
  }

  /// Random inserts and removals over a few homes (long, overlapping clusters), checked against
  /// a dictionary after every step; deterministic (a fixed linear congruential sequence).
  @Test func randomInsertsAndRemovalsMatchADictionary() {
    var table = CredentialTable<ManualClock>()
    var model: [CredentialID: (breaker: Breaker, hash: UInt64)] = [:]
    var state: UInt64 = 0x2545_F491_4F6C_DD1D
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(state >> 33) % bound
    }
    for _ in 0..<2_000 {
      let id = CredentialID("id-\(next(120))")
      // Eight distinct homes in any table size of at least 8, and equal hashes within one.
      let hash = UInt64(next(8)) << 61 | UInt64(next(2))
      if let entry = model[id] {
        let removed = table.remove(entry.breaker, hash: entry.hash)
        #expect(removed)
        model[id] = nil
      } else {
        let made = breaker(id)
        let inserted = table.insert(made, hash: hash, lastUse: 0) != nil
        #expect(inserted)
        model[id] = (made, hash)
      }
      expect(table, holds: model)
    }
  }

  @Test func growsPastLoadFourFifthsAndFindsEveryId() {
    let hasher = CredentialHasher(seed: 7)
    var table = CredentialTable<ManualClock>()
    var model: [CredentialID: (breaker: Breaker, hash: UInt64)] = [:]
    for index in 0..<5_000 {
      let id = CredentialID("openai-prod-key-\(index)")
      model[id] = (breaker(id), hasher.hash(id))
      _ = table.insert(model[id]!.breaker, hash: model[id]!.hash, lastUse: UInt64(index))
      let loadAtMostFourFifths = table.count * 5 <= table.capacity * 4
      #expect(loadAtMostFourFifths)
    }
    let grewTo8192 = table.capacity == 8_192
    #expect(grewTo8192)
    expect(table, holds: model)
    let index = table.index(of: "openai-prod-key-17", hash: model["openai-prod-key-17"]!.hash)
    let stampKept = index.map { table.lastUse(at: $0) } == 17
    #expect(stampKept)
    let used = table.use(at: index!, tick: 99)
    #expect(used === model["openai-prod-key-17"]?.breaker)
    let stampUpdated = table.lastUse(at: index!) == 99
    #expect(stampUpdated)
  }

  @Test func releasesItsBreakersWhenRemovedAndWhenDropped() {
    weak var removed: Breaker?
    weak var dropped: Breaker?
    do {
      var table = CredentialTable<ManualClock>()
      do {
        let first = breaker("first")
        let second = breaker("second")
        removed = first
        dropped = second
        _ = table.insert(first, hash: 1, lastUse: 0)
        _ = table.insert(second, hash: 2, lastUse: 0)
      }
      #expect(removed != nil && dropped != nil)
      let removedFirst = table.remove(removed!, hash: 1)
      #expect(removedFirst)
      #expect(removed == nil)
      #expect(dropped != nil)
    }
    #expect(dropped == nil)
  }
}
