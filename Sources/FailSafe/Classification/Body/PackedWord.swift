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

  /// Packs `count` bytes of `bytes` starting at `start`, lower-casing ASCII letters.
  /// Returns `nil` if the range is longer than ``maximumLength`` or holds a NUL byte.
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
  /// `nil` if one is NUL.
  @inline(__always)
  private static func half(_ bytes: UnsafeRawBufferPointer, from start: Int, count: Int)
    -> UInt64?
  {
    var value: UInt64 = 0
    var shift: UInt64 = 0
    for offset in 0..<count {
      let byte = bytes[start &+ offset]
      if byte == 0 { return nil }
      value |= UInt64(lowercased(byte)) &<< shift
      shift &+= 8
    }
    return value
  }

  /// `byte` with ASCII `A`-`Z` mapped to `a`-`z`.
  @inline(__always)
  static func lowercased(_ byte: UInt8) -> UInt8 {
    byte &- 65 < 26 ? byte | 0x20 : byte
  }
}
