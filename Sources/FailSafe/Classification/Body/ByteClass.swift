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

  /// How many of the bytes of `word`, from byte 0, are `a`-`z`: 0 to 8
  /// (``SWAR/leadingLowercaseCount(_:)``; the name the redactor calls it by).
  @inline(always)
  static func leadingLowercaseCount(_ word: UInt64) -> Int { SWAR.leadingLowercaseCount(word) }
}
