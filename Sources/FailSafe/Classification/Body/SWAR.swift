/// Every word-at-a-time ("SIMD within a register") primitive the classifier's readers use, in
/// one place: eight bytes of text in one `UInt64`, byte `k` in bits `8k..<8k+8` (the text read
/// little-endian), and a result marks byte `k` by setting its bit 7 (bit `8k+7`).
///
/// Two kinds of mark: *exact* marks set bit 7 of exactly the bytes asked for; *borrow* marks
/// (the classic `(w - 0x01…) & ~w & 0x80…` zero-byte test) never miss a byte but may also mark
/// a byte just above a true one, so only their lowest mark is exact. Each function says which.
enum SWAR {
  /// Bit 7 of every byte.
  static let highBits: UInt64 = 0x8080_8080_8080_8080
  /// The low seven bits of every byte: sums on them never carry into the next byte.
  static let lowBits: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
  /// `1` in every byte.
  static let ones: UInt64 = 0x0101_0101_0101_0101

  /// The eight bytes of `bytes` from `offset` (the caller checks `offset + 8 <= count`).
  @inline(always)
  static func word(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
    UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
  }

  /// `byte` in all eight bytes.
  @inline(always)
  static func broadcast(_ byte: UInt8) -> UInt64 { ones &* UInt64(byte) }

  /// The byte index (0 to 7) of the lowest mark of `marks`; 8 when there is none.
  @inline(always)
  static func firstMarked(_ marks: UInt64) -> Int { marks.trailingZeroBitCount &>> 3 }

  /// The byte index (0 to 7) of the highest mark of `marks`, which must not be 0.
  @inline(always)
  static func lastMarked(_ marks: UInt64) -> Int { (63 &- marks.leadingZeroBitCount) &>> 3 }

  /// Borrow marks of the zero bytes of `word`: exact for the lowest one, and never missing one
  /// (a byte above a zero byte may be marked too).
  @inline(always)
  static func zeroByteMarks(_ word: UInt64) -> UInt64 { (word &- ones) & ~word & highBits }

  /// Whether any byte of `word` is zero. Exact: the borrow can only misreport bytes above a
  /// zero byte, which does not change the answer.
  @inline(always)
  static func containsZeroByte(_ word: UInt64) -> Bool { zeroByteMarks(word) != 0 }

  /// Exact marks of the bytes of `word` equal to `byte`.
  ///
  /// On the low seven bits, adding 0x7F sets bit 7 of every byte that is not zero there, and no
  /// sum carries into the next byte; OR-ing the difference itself adds the bytes whose own bit
  /// 7 is set. What is left clear is a zero byte of `word ^ byte`.
  @inline(always)
  static func marks(of byte: UInt8, in word: UInt64) -> UInt64 {
    let difference = word ^ broadcast(byte)
    return ~(((difference & lowBits) &+ lowBits) | difference) & highBits
  }

  /// Borrow marks of the bytes of `word` equal to `"` or `\`: only the lowest is exact.
  @inline(always)
  static func quoteOrBackslashMarks(_ word: UInt64) -> UInt64 {
    zeroByteMarks(word ^ 0x2222_2222_2222_2222) | zeroByteMarks(word ^ 0x5C5C_5C5C_5C5C_5C5C)
  }

  /// `word` with every byte in `A`-`Z` mapped to `a`-`z`; other bytes (non-ASCII included)
  /// are unchanged.
  ///
  /// On the low seven bits, adding 0x3F sets the top bit from `A` (0x41) up and adding 0x25
  /// from `[` (0x5B) up; a byte with its own top bit set is not ASCII. What remains marks
  /// `A`-`Z`; 0x80 >> 2 is the case bit.
  @inline(always)
  static func lowercased(_ word: UInt64) -> UInt64 {
    let low7 = word & lowBits
    let fromA = low7 &+ 0x3F3F_3F3F_3F3F_3F3F
    let pastZ = low7 &+ 0x2525_2525_2525_2525
    let upper = fromA & ~pastZ & ~word & highBits
    return word | (upper &>> 2)
  }

  /// How many bytes of `word`, from byte 0, are `a`-`z`: 0 to 8. Exact per byte, for the same
  /// reason as ``lowercased(_:)``.
  @inline(always)
  static func leadingLowercaseCount(_ word: UInt64) -> Int {
    let low7 = word & lowBits
    let fromA = low7 &+ 0x1F1F_1F1F_1F1F_1F1F  // top bit set from `a` (0x61) up
    let pastZ = low7 &+ 0x0505_0505_0505_0505  // top bit set from `{` (0x7B) up
    let lower = fromA & ~pastZ & ~word & highBits
    return firstMarked(~lower & highBits)
  }

  /// How many bytes of `word`, from byte 0, are spaces: 0 to 8.
  @inline(always)
  static func leadingSpaceCount(_ word: UInt64) -> Int {
    (word ^ 0x2020_2020_2020_2020).trailingZeroBitCount &>> 3
  }

  /// Up to ``capacity`` bytes sought in any ASCII case at once: ``marks(_:)`` is a few
  /// operations per eight bytes whatever the bytes are, so a reader of many needles can skip
  /// the text between their first bytes a word at a time.
  ///
  /// Setting bit 5 of every byte maps `P` and `p` (and no other byte) to `p`, and a byte that
  /// is not a letter to itself or to one other byte: cheaper than lower-casing only the
  /// letters, never missing a sought byte, and any extra mark is checked again by the caller.
  struct FoldedByteSet: Sendable {
    /// The most bytes one set holds; a reader with more first bytes looks at every byte.
    static let capacity = 4

    private let first: UInt64
    private let second: UInt64
    private let third: UInt64
    private let fourth: UInt64

    /// The set of `bytes` (any case), or `nil` if it is empty or more than ``capacity`` bytes.
    init?(_ bytes: [UInt8]) {
      guard !bytes.isEmpty, bytes.count <= Self.capacity else { return nil }
      // Unused places repeat the first byte: the same marks, no branch per word.
      func folded(_ index: Int) -> UInt64 {
        SWAR.broadcast((index < bytes.count ? bytes[index] : bytes[0]) | 0x20)
      }
      first = folded(0)
      second = folded(1)
      third = folded(2)
      fourth = folded(3)
    }

    /// Borrow marks of the bytes of `word` that may be in the set: never missing one.
    @inline(always)
    func marks(_ word: UInt64) -> UInt64 {
      let folded = word | 0x2020_2020_2020_2020
      return SWAR.zeroByteMarks(folded ^ first) | SWAR.zeroByteMarks(folded ^ second)
        | SWAR.zeroByteMarks(folded ^ third) | SWAR.zeroByteMarks(folded ^ fourth)
    }
  }
}
