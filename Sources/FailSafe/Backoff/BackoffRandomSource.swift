import Synchronization

/// The random numbers behind backoff jitter: the system generator, a seeded one for
/// reproducible tests, or any function the caller supplies.
///
/// The breaker only draws from it on its slow path (when it opens), under its own lock.
public struct BackoffRandomSource: RandomNumberGenerator, Sendable {
  private enum Kind: Sendable {
    case system
    /// SplitMix64 state: small, fast, and fully determined by the seed.
    case seeded(UInt64)
    case custom(@Sendable () -> UInt64)
  }

  private var kind: Kind

  private init(kind: Kind) { self.kind = kind }

  /// The operating system's cryptographically secure generator.
  public static var system: BackoffRandomSource { BackoffRandomSource(kind: .system) }

  /// A deterministic generator: the same seed always yields the same sequence (SplitMix64).
  public static func seeded(_ seed: UInt64) -> BackoffRandomSource {
    BackoffRandomSource(kind: .seeded(seed))
  }

  /// A generator that calls `next` for every 64 random bits.
  public init(_ next: @escaping @Sendable () -> UInt64) { kind = .custom(next) }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    switch kind {
    case .system:
      var generator = SystemRandomNumberGenerator()
      return generator.next()
    case .seeded(let state):
      let advanced = state &+ 0x9E37_79B9_7F4A_7C15
      kind = .seeded(advanced)
      var mixed = advanced
      mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
      mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
      return mixed ^ (mixed >> 31)
    case .custom(let next):
      return next()
    }
  }
}
