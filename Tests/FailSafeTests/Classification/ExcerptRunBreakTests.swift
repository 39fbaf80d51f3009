import FailSafeTesting
import Testing

@testable import FailSafe

@Suite("Excerpt run breaks", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct ExcerptRunBreakTests {
  /// The marks by the definition, byte by byte.
  private static func reference(_ bytes: [UInt8]) -> UInt64 {
    func ends(_ byte: UInt8) -> Bool { byte <= 0x20 || byte == 0x7F }
    var marks: UInt64 = 0
    for k in 0..<8 where ends(bytes[k]) {
      let lone = bytes[k] == 0x20 && k < 7 && !ends(bytes[k + 1])
      if !lone { marks |= 0x80 << UInt64(k * 8) }
    }
    return marks
  }

  private static func word(_ bytes: [UInt8]) -> UInt64 {
    bytes.enumerated().reduce(0) { $0 | UInt64($1.element) << UInt64($1.offset * 8) }
  }

  @Test func everyPairOfBytesAtTheStartMiddleAndEnd() {
    var mismatches = 0
    for position in [0, 3, 6] {
      for first in 0...255 {
        for second in 0...255 {
          var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 8)
          bytes[position] = UInt8(first)
          bytes[position + 1] = UInt8(second)
          if Self.runBreaks(bytes) != Self.reference(bytes) { mismatches += 1 }
        }
      }
    }
    #expect(mismatches == 0)
  }

  @Test func examples() {
    #expect(Self.runBreaks(Array("abc defg".utf8)) == 0)
    #expect(Self.runBreaks(Array("abcdefg ".utf8)) == 0x80 << 56)
    #expect(Self.runBreaks(Array("ab  cdef".utf8)).trailingZeroBitCount >> 3 == 2)
    #expect(Self.runBreaks(Array("ab \ncdef".utf8)).trailingZeroBitCount >> 3 == 2)
    #expect(Self.runBreaks(Array("ab\u{7F}cdefg".utf8)).trailingZeroBitCount >> 3 == 2)
    #expect(Self.runBreaks(Array("caf\u{E9} d\u{E9}".utf8)) == 0)
    #expect(Self.runBreaks([0xFF, 0xA0, 0xDF, 0xFF, 0xFF, 0x20, 0xFF, 0xFF]) == 0)
  }

  @Test func randomWordsOfLikelyBytes() {
    var generator = SeededGenerator(state: 7)
    let likely: [UInt8] = [
      0x00, 0x09, 0x0A, 0x1F, 0x20, 0x20, 0x21, 0x41, 0x61, 0x7E, 0x7F, 0x80, 0xA0, 0xFF,
    ]
    var mismatches = 0
    for _ in 0..<50_000 {
      let bytes = (0..<8).map { _ in likely[Int(generator.next() % UInt64(likely.count))] }
      if Self.runBreaks(bytes) != Self.reference(bytes) { mismatches += 1 }
    }
    #expect(mismatches == 0)
  }

  private static func runBreaks(_ bytes: [UInt8]) -> UInt64 { Evidence.runBreaks(word(bytes)) }
}
