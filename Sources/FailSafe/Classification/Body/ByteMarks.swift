/// Finding one byte value eight bytes at a time, in a 64-bit word.
enum ByteMarks {
  /// Bit 7 of byte `k` of the result set exactly when byte `k` of `word` (byte `k` in bits
  /// `8k..<8k+8`) is `byte`.
  ///
  /// Exact per byte, unlike the borrow test: on the low seven bits, adding 0x7F sets bit 7 of
  /// every byte that is not zero there, and no sum carries into the next byte; OR-ing the
  /// word itself adds the bytes whose own bit 7 is set. What is left clear is a zero byte of
  /// `word ^ byte`.
  @inline(always)
  static func of(_ byte: UInt8, in word: UInt64) -> UInt64 {
    let difference = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
    let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    return ~(((difference & low7) &+ low7) | difference) & 0x8080_8080_8080_8080
  }
}
