import FailSafeTesting
import Testing

@testable import FailSafe

@Suite("Byte marks", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct ByteMarksTests {
  @Test func marksExactlyTheBytesEqualToTheOneSought() {
    var generator = SeededGenerator(state: 0xB17E)
    // Bytes next to the sought ones, zero and high bytes: where a borrow would misreport.
    let alphabet: [UInt8] = [
      0x00, 0x01, 0x22, 0x23, 0x24, 0x39, 0x3A, 0x3B, 0x7F, 0x80, 0xA3, 0xBA, 0xFF,
    ]
    for _ in 0..<20_000 {
      var word: UInt64 = 0
      for byte in 0..<8 {
        word |= UInt64(alphabet.randomElement(using: &generator)!) << UInt64(byte * 8)
      }
      for sought in [UInt8(ascii: "#"), UInt8(ascii: ":"), 0x00, 0x80] {
        var expected: UInt64 = 0
        for byte in 0..<8 where UInt8(truncatingIfNeeded: word >> UInt64(byte * 8)) == sought {
          expected |= 0x80 << UInt64(byte * 8)
        }
        #expect(ByteMarks.of(sought, in: word) == expected, "word \(word) byte \(sought)")
      }
    }
  }
}
