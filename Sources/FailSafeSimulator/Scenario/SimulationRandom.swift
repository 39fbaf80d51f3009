/// A small seeded random generator (SplitMix64), so a simulation run is repeatable.
///
/// The same seed gives the same sequence on every platform. Each session of a simulation gets
/// its own generator, derived from the run's seed and the session's index, so the order in which
/// sessions happen to run cannot change what any one of them draws.
package struct SimulationRandom: RandomNumberGenerator, Sendable, Hashable {
  private var state: UInt64

  /// Creates a generator whose sequence is fixed by `seed`.
  package init(seed: UInt64) { state = seed }

  /// A generator for one part of a run, such as a session: the same `seed` and `stream` always
  /// give the same sequence, and different streams give unrelated ones.
  package init(seed: UInt64, stream: Int) {
    var mixer = SimulationRandom(
      seed: seed ^ (UInt64(truncatingIfNeeded: stream) &* 0xA24B_AED4_963E_E407))
    state = mixer.next()
  }

  /// A seed for another generator (a library component's jitter source, say), derived from
  /// `seed` and `stream` the same way every time.
  package static func derivedSeed(_ seed: UInt64, stream: Int) -> UInt64 {
    var random = SimulationRandom(seed: seed, stream: stream)
    return random.next()
  }

  /// The next 64 random bits (SplitMix64: add the golden gamma, then mix).
  package mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var mixed = state
    mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
    mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
    return mixed ^ (mixed >> 31)
  }

  /// A duration drawn uniformly from `range`, to the nanosecond.
  package mutating func duration(in range: ClosedRange<Duration>) -> Duration {
    let low = range.lowerBound.simulationNanoseconds
    let high = range.upperBound.simulationNanoseconds
    guard high > low else { return range.lowerBound }
    return .nanoseconds(Int64.random(in: low...high, using: &self))
  }
}

extension Duration {
  /// This duration in whole nanoseconds, clamped to `Int64`'s range (so it never traps).
  var simulationNanoseconds: Int64 {
    let (seconds, attoseconds) = components
    let limit = Int64.max / 1_000_000_000 - 1
    if seconds >= limit { return Int64.max }
    if seconds <= -limit { return Int64.min }
    return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
  }

  /// This duration in seconds, as a `Double` (for reports and drawings).
  var simulationSeconds: Double {
    let (seconds, attoseconds) = components
    return Double(seconds) + Double(attoseconds) / 1e18
  }
}
