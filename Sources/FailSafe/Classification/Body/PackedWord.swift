/// Up to 16 ASCII bytes, lower-cased and packed into one integer, so a key or a word can be
/// compared against a table with one integer comparison instead of building a `String`.
///
/// Invariant: byte `k` of the text sits in bits `8k..<8k+8`; unused bytes are zero, so texts of
/// different lengths never collide (none of them contains a NUL byte).
struct PackedWord: Hashable {
  /// The packed bytes.
  let bits: UInt128

  /// The longest text that can be packed.
  static let maximumLength = 16

  /// Packs `text`, or returns `nil` if it is longer than ``maximumLength``.
  init?(_ text: String) {
    var bits: UInt128 = 0
    var shift: UInt128 = 0
    var count = 0
    for byte in text.utf8 {
      count += 1
      if count > Self.maximumLength { return nil }
      bits |= UInt128(Self.lowercased(byte)) << shift
      shift += 8
    }
    self.bits = bits
  }

  /// The text packed as `bits` (for callers that pack bytes themselves).
  init(bits: UInt128) { self.bits = bits }

  /// Packs `count` bytes of `bytes` starting at `start`, lower-casing ASCII letters.
  /// Returns `nil` if the range is longer than ``maximumLength`` or holds a NUL byte.
  /// Inlined: it is a few word operations, cheaper than the call around them. (Here and in
  /// this folder's other hot helpers `@inline(always)`, not `@inline(__always)`, which the
  /// optimizer took as a hint and declined for this and for `MessageWord.lookup`,
  /// `JSONFieldRole.of` and the table subscript.)
  @inline(always)
  init?(_ bytes: UnsafeRawBufferPointer, start: Int, count: Int) {
    guard count <= Self.maximumLength, count >= 0, start >= 0, start + count <= bytes.count
    else { return nil }
    // Two 64-bit halves, each filled by its own loop: much cheaper than shifting a UInt128,
    // and no per-byte test of which half a byte belongs to.
    guard let low = Self.half(bytes, from: start, count: min(count, 8)),
      let high = Self.half(bytes, from: start &+ 8, count: max(count &- 8, 0))
    else { return nil }
    self.bits = UInt128(high) &<< 64 | UInt128(low)
  }

  /// `count` (at most 8) bytes from `start`, lower-cased, byte `k` in bits `8k..<8k+8`;
  /// `nil` if one is NUL. The bytes are loaded as one word when eight of them are readable,
  /// then masked to `count`, checked for NUL and lower-cased eight at a time.
  @inline(always)
  private static func half(_ bytes: UnsafeRawBufferPointer, from start: Int, count: Int)
    -> UInt64?
  {
    guard count > 0 else { return 0 }
    var value: UInt64 = 0
    if start &+ 8 <= bytes.count {
      value = SWAR.word(bytes, at: start)
    } else {
      // The last bytes of the buffer: a whole word would read past it.
      for offset in 0..<count { value |= UInt64(bytes[start &+ offset]) &<< UInt64(offset &* 8) }
    }
    // `count` is 1...8 here, so the shift is 8...64 bits and `keep` has `count` bytes set.
    let keep: UInt64 = count == 8 ? ~0 : (1 &<< UInt64(count &* 8)) &- 1
    value &= keep
    if SWAR.containsZeroByte(value | ~keep) { return nil }
    return SWAR.lowercased(value)
  }

  /// `word` with every byte in `A`-`Z` mapped to `a`-`z` (``SWAR/lowercased(_:)``; the name
  /// the redactor and the evidence builder call it by).
  @inline(always)
  static func lowercased(word: UInt64) -> UInt64 { SWAR.lowercased(word) }

  /// `byte` with ASCII `A`-`Z` mapped to `a`-`z`.
  @inline(always)
  static func lowercased(_ byte: UInt8) -> UInt8 {
    byte &- 65 < 26 ? byte | 0x20 : byte
  }
}
