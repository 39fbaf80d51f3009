/// The breaker's state as one 64-bit word, mirrored into an atomic for the lock-free fast path:
/// `generation << 8 | dirty << 3 | state code`.
///
/// - bits 0-2: the state's ``BreakerState/code`` (`closed` is 0);
/// - bit 3: dirty, set while failures, a streak or a first error are counted, so a success
///   must take the locked path to clear them;
/// - bits 8-63: the generation (56 bits, wrapping), which stamps every permit.
///
/// A clean closed breaker's word is just `generation << 8`: one compare tells the fast path it
/// may admit, or that a success has nothing to clear.
@usableFromInline @frozen
struct BreakerStateWord: Sendable, Hashable {
  /// The packed bits, as stored in the atomic.
  @usableFromInline var rawValue: UInt64

  /// The generations that fit above the state code and the dirty bit.
  @inlinable static var generationMask: UInt64 { (1 << 56) - 1 }
  @inlinable static var stateMask: UInt64 { 7 }
  @inlinable static var dirtyBit: UInt64 { 8 }
  @inlinable static var generationShift: UInt64 { 8 }

  /// A word as read from the atomic.
  @inlinable init(rawValue: UInt64) { self.rawValue = rawValue }

  /// Packs a state; `generation` is cut to its 56 bits.
  @inlinable init(state: BreakerState, generation: UInt64, isDirty: Bool) {
    rawValue =
      (generation & Self.generationMask) << Self.generationShift
      | (isDirty ? Self.dirtyBit : 0) | state.code
  }

  /// The word of a clean closed breaker at `generation`.
  @inlinable static func cleanClosed(generation: UInt64) -> BreakerStateWord {
    BreakerStateWord(rawValue: (generation & generationMask) << generationShift)
  }

  /// The state's 3-bit code.
  @inlinable var stateCode: UInt64 { rawValue & Self.stateMask }
  /// The state.
  @inlinable var state: BreakerState { BreakerState(code: stateCode) }
  /// `true` when the breaker is closed (dirty or not): the fast path admits.
  @inlinable var isClosed: Bool { stateCode == BreakerState.closed.code }
  /// `true` while failures are counted.
  @inlinable var isDirty: Bool { rawValue & Self.dirtyBit != 0 }
  /// `true` for a clean closed breaker: nothing counted, safe to evict.
  @inlinable var isIdleHealthy: Bool { rawValue & (Self.stateMask | Self.dirtyBit) == 0 }
  /// The generation.
  @inlinable var generation: UInt64 { rawValue >> Self.generationShift }
}
