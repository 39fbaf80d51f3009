import Foundation

/// Converts reopen times between the wall-clock dates a state file holds and the instants of
/// the monotonic clock a breaker runs on, using one pair of readings of both clocks.
///
/// Wall to monotonic: `instant = monotonicNow + min(reopenAt - wallNow, maximumCooldown)`; a
/// reopen time at or before `wallNow` is ``Reopen/due`` (half-open on load), and an unknown one
/// gets the full `maximumCooldown`. Monotonic to wall: `date = wallNow + (instant -
/// monotonicNow)`. Nothing here traps: differences are clamped before they become durations.
package struct ReopenTimeConversion<C: Clock>: Sendable where C.Duration == Duration {
  /// When a restored cooldown ends, on the monotonic clock.
  package enum Reopen: Sendable, Hashable {
    /// The cooldown is over: the credential may be probed now (half-open).
    case due
    /// The cooldown ends at this instant.
    case at(C.Instant)
  }

  /// The wall-clock reading taken together with ``monotonicNow``.
  package var wallNow: Date
  /// The monotonic reading taken together with ``wallNow``.
  package var monotonicNow: C.Instant
  /// The longest cooldown a restored reopen time may leave; longer ones are cut to it.
  package var maximumCooldown: Duration

  /// Creates a conversion from one reading of each clock. A negative maximum becomes zero.
  package init(wallNow: Date, monotonicNow: C.Instant, maximumCooldown: Duration) {
    self.wallNow = wallNow
    self.monotonicNow = monotonicNow
    self.maximumCooldown = max(.zero, maximumCooldown)
  }

  /// Reads both clocks now.
  package init(clock: C, wallClock: WallClock, maximumCooldown: Duration) {
    self.init(
      wallNow: wallClock.now(), monotonicNow: clock.now, maximumCooldown: maximumCooldown)
  }

  /// The monotonic reopen time for a persisted one; `nil` (unknown) means the maximum cooldown.
  package func reopen(forPersisted reopenAt: Date?) -> Reopen {
    guard let reopenAt else { return .at(monotonicNow.advanced(by: maximumCooldown)) }
    let seconds = reopenAt.timeIntervalSince(wallNow)
    guard seconds.isFinite, seconds > 0 else { return .due }
    if seconds >= Self.seconds(of: maximumCooldown) {
      return .at(monotonicNow.advanced(by: maximumCooldown))
    }
    return .at(monotonicNow.advanced(by: .seconds(seconds)))
  }

  /// The wall-clock date of a monotonic instant.
  package func date(for instant: C.Instant) -> Date {
    let seconds = Self.seconds(of: monotonicNow.duration(to: instant))
    // Dates beyond the year 9999 mean nothing to a state file; clamp to keep Date finite.
    let bounded = min(max(seconds, -1e12), 1e12)
    return wallNow.addingTimeInterval(bounded)
  }

  static func seconds(of duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) + Double(attoseconds) * 1e-18
  }
}
