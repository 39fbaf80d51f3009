/// The part of a breaker's state that only matters while something went wrong: deadlines, the
/// episode's first error and its counts.
///
/// Kept out of line, behind one optional reference in ``BreakerMachine``, so an idle breaker
/// (closed, nothing counted) does not pay for it: a registry of 100,000 idle breakers holds
/// 100,000 `nil`s. Created by the first write of a non-empty value, dropped again once every
/// field is back to empty.
@usableFromInline
final class BreakerEpisode: @unchecked Sendable {
  // @unchecked: the vars are written only through `BreakerMachine.uniqueEpisode()`, which
  // copies the record first unless the machine holds the only reference (copy-on-write), so
  // a record reachable from two machines is never mutated. `@exclusivity(unchecked)`: every
  // access is a short read or assignment made under the breaker's lock, never an `inout`
  // access held across another, so the dynamic exclusivity check (a thread-local access-set
  // insert per access, about a third of a rejection's instructions) can never fire.

  /// When an open or suspended breaker admits its probe, as an offset from the breaker's
  /// origin instant (``BreakerOrigin``).
  @exclusivity(unchecked) @usableFromInline var reopenAt: Duration?
  /// Set while a half-open probe is out: when its permit lapses (offset from the origin).
  @exclusivity(unchecked) @usableFromInline var probeLeaseUntil: Duration?
  @exclusivity(unchecked) @usableFromInline var lastCooldown: Duration?
  /// The episode's first error, shared by reference with every rejection.
  @exclusivity(unchecked) @usableFromInline var firstErrorRecord: ErrorRecord?
  @exclusivity(unchecked) @usableFromInline var repeatedErrors = 0
  @exclusivity(unchecked) @usableFromInline var rejectedInState = 0
  /// The refusal the current refusing state hands to every rejection (a
  /// `BreakerRefusal<Instant>`, held untyped because the record is not generic), or `nil`
  /// before the first. A cache: never counted by ``isEmpty``.
  @exclusivity(unchecked) @usableFromInline var refusal: AnyObject?

  @inlinable init() {}

  @inlinable init(copying other: BreakerEpisode) {
    reopenAt = other.reopenAt
    probeLeaseUntil = other.probeLeaseUntil
    lastCooldown = other.lastCooldown
    firstErrorRecord = other.firstErrorRecord
    repeatedErrors = other.repeatedErrors
    rejectedInState = other.rejectedInState
    refusal = other.refusal
  }

  /// Whether every field is empty, so the record can be dropped.
  @inlinable var isEmpty: Bool {
    reopenAt == nil && probeLeaseUntil == nil && lastCooldown == nil && firstErrorRecord == nil
      && repeatedErrors == 0 && rejectedInState == 0
  }
}
