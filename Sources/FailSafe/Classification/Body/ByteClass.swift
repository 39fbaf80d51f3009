/// What kind of ASCII byte a byte is, as bits, read from one table: the redactor's token
/// bytes and kinds of letters, and the message reader's word bytes, without a comparison chain
/// or a bitmap `switch` per byte.
enum ByteClass {
  /// Letters, digits and the punctuation secrets are made of (`-_.*+/~`): a redactor token.
  static let token: UInt8 = 1
  /// `A`-`Z`.
  static let upper: UInt8 = 2
  /// `a`-`z`.
  static let lower: UInt8 = 4
  /// `0`-`9`.
  static let digit: UInt8 = 8
  /// `*`.
  static let star: UInt8 = 16
  /// Letters, digits, `_` and `-`: a message word (`x-api-key`, `rate_limit`).
  static let word: UInt8 = 32

  /// The bits of `byte`: `0` for a byte in none of the classes (every byte from 0x80 up).
  ///
  /// One load from a 128-byte table kept as text in the binary (no lazy initialisation):
  /// each character is `@` (0x40) plus the bits, so `@` is none, `A` other token punctuation,
  /// `a` `_` and `-`, `c` upper case, `e` lower case, `i` a digit and `Q` a star.
  @inline(always)
  static func of(_ byte: UInt8) -> UInt8 {
    guard byte < 0x80 else { return 0 }
    let table: StaticString = """
      @@@@@@@@@@@@@@@@\
      @@@@@@@@@@@@@@@@\
      @@@@@@@@@@QA@aAA\
      iiiiiiiiii@@@@@@\
      @ccccccccccccccc\
      ccccccccccc@@@@a\
      @eeeeeeeeeeeeeee\
      eeeeeeeeeee@@@A@
      """
    return table.utf8Start[Int(byte)] & 0x3F
  }

  /// How many of the bytes of `word` (byte `k` in bits `8k..<8k+8`), from byte 0, are `a`-`z`:
  /// 0 to 8. Exact per byte: on the low seven bits no addition carries into the next byte, and
  /// a byte with its top bit set is never a letter.
  @inline(always)
  static func leadingLowercaseCount(_ word: UInt64) -> Int {
    let low7 = word & 0x7F7F_7F7F_7F7F_7F7F
    let fromA = low7 &+ 0x1F1F_1F1F_1F1F_1F1F  // top bit set from `a` (0x61) up
    let pastZ = low7 &+ 0x0505_0505_0505_0505  // top bit set from `{` (0x7B) up
    let lower = fromA & ~pastZ & ~word & 0x8080_8080_8080_8080
    return (~lower & 0x8080_8080_8080_8080).trailingZeroBitCount &>> 3
  }
}
