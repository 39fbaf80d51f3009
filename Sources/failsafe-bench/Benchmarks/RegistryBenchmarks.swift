import FailSafe
import Synchronization

/// Looking up a credential's breaker, and what an idle breaker costs to keep.
enum RegistryBenchmarks {
  /// The registry benchmarks.
  static let all: [Benchmark] = [lookup, lookupHot, perBreaker]

  /// How many credentials the registry holds in both benchmarks.
  static let credentialCount = 100_000

  /// Credential ids as a deployment would name them: a provider, an environment and a number
  /// (longer than 15 UTF-8 bytes, so each id is a heap-allocated string like real ones).
  static func credential(_ index: Int) -> CredentialID {
    CredentialID("openai-prod-key-\(index)")
  }

  /// `breaker(for:)` on a registry of 100,000 existing breakers, cycling through every id:
  /// each lookup lands on a different table slot and breaker, as on a server with 100,000
  /// active credentials, so it pays cache misses (the table is over a megabyte). The cursor
  /// carries over between passes, so even a short `--iterations` run walks all ids.
  static let lookup = Benchmark(
    name: "registry.lookup",
    summary: "breaker(for:) cycling through all ids of a registry of 100,000",
    measurement: .timePerOperation {
      let (registry, ids) = filledRegistry()
      let cursor = Atomic<Int>(0)
      return { n in
        var index = cursor.load(ordering: .relaxed)
        for _ in 0..<n {
          blackHole(registry.breaker(for: ids[index]))
          index = index == ids.count - 1 ? 0 : index + 1
        }
        cursor.store(index, ordering: .relaxed)
      }
    })

  /// `breaker(for:)` for one id, again and again, in the same registry of 100,000: the code's
  /// own cost (probe, compare, lock, retain) with the cache warm, as for a worker on one
  /// credential.
  static let lookupHot = Benchmark(
    name: "registry.lookupHot",
    summary: "breaker(for:) for one id, repeatedly, in a registry of 100,000",
    measurement: .timePerOperation {
      let (registry, ids) = filledRegistry()
      let id = ids[ids.count / 2]
      return { n in
        for _ in 0..<n { blackHole(registry.breaker(for: id)) }
      }
    })

  private static func filledRegistry() -> (BreakerRegistry<CoarseMonotonicClock>, [CredentialID]) {
    let registry = BreakerRegistry(capacity: credentialCount)
    let ids = (0..<credentialCount).map(credential)
    for id in ids { _ = registry.breaker(for: id) }
    return (registry, ids)
  }

  /// Heap bytes retained per idle breaker: (heap after filling a registry - heap before) /
  /// count, measured with glibc's `malloc_stats` (chunk overhead and the registry's hash table
  /// included). The id strings exist before the registry does and are shared with it, so they
  /// are not counted: their size is the caller's choice (ids up to 15 UTF-8 bytes need none).
  static let perBreaker = Benchmark(
    name: "memory.perBreaker",
    summary: "heap bytes per idle breaker in a registry of 100,000 (ids not counted)",
    measurement: .size {
      let ids = (0..<credentialCount).map(credential)
      guard let before = heapBytesInUse() else { return nil }
      let registry = BreakerRegistry(capacity: credentialCount)
      for id in ids { _ = registry.breaker(for: id) }
      guard let after = heapBytesInUse() else { return nil }
      blackHole(registry)
      blackHole(ids)
      return (after - before) / credentialCount
    })
}
