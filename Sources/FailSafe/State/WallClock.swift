import Foundation

/// Where the current wall-clock date comes from, so code that persists dates can be tested
/// with a fixed or scripted time.
///
/// Wall-clock dates are used only for what must survive a restart or cross process
/// boundaries (reopen times, `updatedAt`, operator actions); cooldowns in memory run on the
/// injected monotonic `Clock`.
public struct WallClock: Sendable {
  /// Returns the current date.
  public var now: @Sendable () -> Date

  /// Creates a wall clock from a closure returning the current date.
  public init(now: @escaping @Sendable () -> Date) { self.now = now }

  /// The system's wall clock (`Date()`): the default.
  public static let system = WallClock { Date() }

  /// A wall clock stopped at `date`.
  public static func fixed(_ date: Date) -> WallClock { WallClock { date } }
}
