/// Running totals for one credential, kept for operators. Never negative.
///
/// Merges take the larger of each count (two processes may both hold the same history, so
/// adding would count it twice).
public struct PersistedCounters: Sendable, Hashable, Codable {
  /// Failures reported to the breaker (any disposition but cancellation).
  public var failures: Int
  /// Calls rejected locally without reaching the provider.
  public var rejections: Int
  /// Successful calls.
  public var successes: Int

  /// Creates counters; negative values become zero.
  public init(failures: Int = 0, rejections: Int = 0, successes: Int = 0) {
    self.failures = max(0, failures)
    self.rejections = max(0, rejections)
    self.successes = max(0, successes)
  }

  /// The larger of each count.
  public func combined(with other: PersistedCounters) -> PersistedCounters {
    PersistedCounters(
      failures: max(failures, other.failures),
      rejections: max(rejections, other.rejections),
      successes: max(successes, other.successes))
  }
}
