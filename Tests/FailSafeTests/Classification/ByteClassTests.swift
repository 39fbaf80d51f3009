import FailSafeTesting
import Testing

@testable import FailSafe

@Suite("Byte classes", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct ByteClassTests {
  /// The classes spelled out one by one, against which the packed table is checked.
  static func expectedClass(_ byte: UInt8) -> UInt8 {
    let letterOrDigit = ByteClass.token | ByteClass.word
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): return letterOrDigit | ByteClass.upper
    case UInt8(ascii: "a")...UInt8(ascii: "z"): return letterOrDigit | ByteClass.lower
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return letterOrDigit | ByteClass.digit
    case UInt8(ascii: "-"), UInt8(ascii: "_"): return ByteClass.token | ByteClass.word
    case UInt8(ascii: "*"): return ByteClass.token | ByteClass.star
    case UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "~"):
      return ByteClass.token
    default: return 0
    }
  }

  @Test func everyByteHasItsClasses() {
    for value in 0...255 {
      let byte = UInt8(value)
      #expect(ByteClass.of(byte) == Self.expectedClass(byte), "byte \(value)")
    }
  }

  static func expectedLeadingLowercase(_ word: UInt64) -> Int {
    var count = 0
    while count < 8, (word >> UInt64(count * 8)) & 0xFF &- 0x61 < 26 { count += 1 }
    return count
  }

  @Test func leadingLowercaseCountEveryByteInEveryPosition() {
    for position in 0..<8 {
      for value in 0...255 {
        // Letters before `position`, the byte under test there, letters after it.
        var word: UInt64 = 0x6161_6161_6161_6161
        word &= ~(0xFF << UInt64(position * 8))
        word |= UInt64(value) << UInt64(position * 8)
        #expect(
          ByteClass.leadingLowercaseCount(word) == Self.expectedLeadingLowercase(word),
          "byte \(value) at \(position)")
      }
    }
  }

  @Test func leadingLowercaseCountOfRandomWords() {
    var generator = SeededGenerator(state: 0x1C)
    let alphabet = Array("az`{AZ@[ -_".utf8) + [0x00, 0x7F, 0x80, 0xE1, 0xFA, 0xFF]
    for _ in 0..<20_000 {
      var word: UInt64 = 0
      for byte in 0..<8 {
        word |= UInt64(alphabet.randomElement(using: &generator)!) << UInt64(byte * 8)
      }
      #expect(ByteClass.leadingLowercaseCount(word) == Self.expectedLeadingLowercase(word))
    }
  }
}
