import FailSafe
import FailSafeTesting

/// A ``ManualClock`` that counts how often `now` is read, for tests of how many clock reads a
/// path costs.
final class ReadCountingClock: Clock, Sendable {
  typealias Instant = ManualClock.Instant
  typealias Duration = Swift.Duration

  /// The clock that keeps the time.
  let base = ManualClock()
  private let reads = LockedValue(0)

  /// How many times `now` was read so far.
  var readCount: Int { reads.value }

  var now: Instant {
    reads.withLock { $0 += 1 }
    return base.now
  }

  var minimumResolution: Duration { base.minimumResolution }

  func sleep(until deadline: Instant, tolerance: Duration?) async throws {
    try await base.sleep(until: deadline, tolerance: tolerance)
  }
}
