import Testing

@testable import FailSafe

@Suite("Byte classes", .timeLimit(.minutes(1)))
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
}
