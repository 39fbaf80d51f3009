import FailSafeTesting
import Testing

@testable import FailSafe

@Suite("JSON string ends", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct JSONStringEndTests {
  /// The closing quote and escape flag by the definition: walk back over the backslashes
  /// before each quote and count them.
  private static func reference(_ bytes: [UInt8], from start: Int) -> (Int, Bool) {
    guard start < bytes.count else { return (bytes.count, false) }
    for quote in start..<bytes.count where bytes[quote] == UInt8(ascii: "\"") {
      var backslashes = 0
      while quote - backslashes - 1 >= start, bytes[quote - backslashes - 1] == UInt8(ascii: "\\") {
        backslashes += 1
      }
      if backslashes % 2 == 0 {
        return (quote, bytes[start..<quote].contains(UInt8(ascii: "\\")))
      }
    }
    return (bytes.count, bytes[start...].contains(UInt8(ascii: "\\")))
  }

  private static func stringEnd(_ text: [UInt8], from start: Int) -> (Int, Bool) {
    text.withUnsafeBytes { JSONFieldScanner.stringEnd($0, from: start) }
  }

  @Test func findsTheClosingQuoteAndEscapes() {
    let cases: [(String, Int, Bool)] = [
      (#"abc""#, 3, false),
      (#"""#, 0, false),
      (#"a\"b""#, 4, true),
      (#"a\\"b"#, 3, true),
      (#"a\\\"b""#, 6, true),
      (#"0123456789abcdef\"0123456789""#, 28, true),
      (#"0123456789abcdef0123"x"#, 20, false),
      ("unterminated text, no quote", 27, false),
      (#"unterminated \"escaped"#, 22, true),
      (#"ends in a backslash\"#, 20, true),
      ("caf\u{E9} \u{1F600}\"", 10, false),
    ]
    for (text, end, escaped) in cases {
      let result = Self.stringEnd(Array(text.utf8), from: 0)
      #expect(result.0 == end && result.1 == escaped, "\(text)")
    }
  }

  @Test func startAtOrPastTheEndIsAnEmptyUnterminatedString() {
    #expect(Self.stringEnd([], from: 0) == (0, false))
    #expect(Self.stringEnd(Array("ab".utf8), from: 2) == (2, false))
    #expect(Self.stringEnd(Array("ab".utf8), from: 5) == (2, false))
  }

  @Test func backslashesBeforeTheStartDoNotEscape() {
    // The scan starts after the opening quote; what precedes it is not part of the string.
    #expect(Self.stringEnd(Array(#"\\"x"#.utf8), from: 2) == (2, false))
  }

  @Test func agreesWithTheDefinitionAtEveryOffsetAndLength() {
    // Every string of quotes, backslashes and letters up to six bytes (5,461 of them), placed at every
    // offset of a 20-byte buffer, so the eight-byte and byte-by-byte paths both meet them.
    let alphabet: [UInt8] = [UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "a"), 0xC3]
    var pieces: [[UInt8]] = [[]]
    var longest: [[UInt8]] = [[]]
    for _ in 0..<6 {
      longest = longest.flatMap { piece in alphabet.map { piece + [$0] } }
      pieces += longest
    }
    for piece in pieces {
      for offset in 0..<(20 - piece.count) {
        var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: offset) + piece
        bytes += [UInt8](repeating: UInt8(ascii: "y"), count: 20 - bytes.count)
        for start in [0, offset] {
          let result = Self.stringEnd(bytes, from: start)
          #expect(result == Self.reference(bytes, from: start), "\(bytes) from \(start)")
        }
      }
    }
  }

  @Test func marksEveryQuoteOrBackslashLowestFirst() {
    for position in 0..<8 {
      for byte in [UInt8(ascii: "\""), UInt8(ascii: "\\")] {
        var word: UInt64 = 0x6161_6161_6161_6161
        word &= ~(0xFF << UInt64(position * 8))
        word |= UInt64(byte) << UInt64(position * 8)
        #expect(JSONFieldScanner.quoteOrBackslashMarks(word).trailingZeroBitCount >> 3 == position)
      }
    }
    // No other byte value is marked.
    for value in 0...255 where value != 0x22 && value != 0x5C {
      let word = UInt64(value) &* 0x0101_0101_0101_0101
      #expect(JSONFieldScanner.quoteOrBackslashMarks(word) == 0, "byte \(value)")
    }
  }
}
