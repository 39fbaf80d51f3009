/// Running totals for one credential, kept for operators. Never negative.
///
/// Merges take the larger of each count (two processes may both hold the same history, so
/// adding would count it twice).
public struct PersistedCounters: Sendable, Hashable, Codable {
  /// Failures reported to the breaker.
  public var failures: Int
  /// Calls rejected locally without reaching the provider.
  public var rejections: Int
  /// Times the breaker opened because of retryable failures.
  public var trips: Int
  /// Half-open probes admitted.
  public var probes: Int

  /// Creates counters; negative values become zero.
  public init(failures: Int = 0, rejections: Int = 0, trips: Int = 0, probes: Int = 0) {
    self.failures = max(0, failures)
    self.rejections = max(0, rejections)
    self.trips = max(0, trips)
    self.probes = max(0, probes)
  }

  /// The larger of each count.
  public func combined(with other: PersistedCounters) -> PersistedCounters {
    PersistedCounters(
      failures: max(failures, other.failures),
      rejections: max(rejections, other.rejections),
      trips: max(trips, other.trips),
      probes: max(probes, other.probes))
  }
}
