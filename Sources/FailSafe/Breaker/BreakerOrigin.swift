/// The instant a breaker's machine measures time from: deadlines inside the machine are
/// `Duration` offsets from it, and become instants only at the public API
/// (`instant = origin + offset`, `offset = now - origin`).
///
/// A class, so a rejection or event buffer holds it as one pointer: `BreakerRejection` then has
/// a layout known at compile time even when `Instant` is resilient (`ContinuousClock.Instant`),
/// and copying one costs retains, not generic value-witness calls.
@usableFromInline
final class BreakerOrigin<Instant: InstantProtocol>: Sendable {
  @usableFromInline let origin: Instant

  @inlinable init(_ origin: Instant) { self.origin = origin }

  /// The instant `offset` after the origin.
  @inlinable func instant(_ offset: Instant.Duration) -> Instant { origin.advanced(by: offset) }

  /// How far `instant` lies after the origin (negative if before).
  @inlinable func offset(of instant: Instant) -> Instant.Duration { origin.duration(to: instant) }
}
