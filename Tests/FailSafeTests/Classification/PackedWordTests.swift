import FailSafeTesting
import Testing

@testable import FailSafe

/// Packing words eight bytes at a time must give exactly what packing them byte by byte gave.
@Suite("Packed words", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct PackedWordTests {
  /// The packing one byte at a time, as it was before words were loaded whole.
  func packedByteByByte(_ bytes: ArraySlice<UInt8>) -> UInt128? {
    guard bytes.count <= PackedWord.maximumLength else { return nil }
    var bits: UInt128 = 0
    for (offset, byte) in bytes.enumerated() {
      if byte == 0 { return nil }
      bits |= UInt128(PackedWord.lowercased(byte)) << (8 * offset)
    }
    return bits
  }

  func packed(_ buffer: [UInt8], start: Int, count: Int) -> UInt128? {
    buffer.withUnsafeBytes { PackedWord($0, start: start, count: count)?.bits }
  }

  @Test func everyByteIsLowerCasedInEveryPositionOfAWord() {
    for byte in 0...255 {
      for position in 0..<8 {
        let word = UInt64(byte) << (8 * position) | 0x4142_0000_0000_0000 >> (8 * (7 - position))
        var expected: UInt64 = 0
        for index in 0..<8 {
          let original = UInt8(truncatingIfNeeded: word >> (8 * index))
          expected |= UInt64(PackedWord.lowercased(original)) << (8 * index)
        }
        #expect(PackedWord.lowercased(word: word) == expected, "byte \(byte) at \(position)")
      }
    }
  }

  @Test func wordsOfEveryLengthAndOffsetMatchTheBytewisePacking() {
    // Mixed case, digits, punctuation and non-ASCII bytes, so words straddle the 8-byte
    // halves and end at, before and near the end of the buffer.
    let text: [UInt8] = Array("AbCdEfGhIjKlMnOpQ-rStU_vWxYz09@[`{".utf8) + [0xC3, 0x89, 0xFF, 0x80]
    for start in 0...text.count {
      for count in 0...(text.count - start) {
        let expected = packedByteByByte(text[start..<(start + count)])
        #expect(packed(text, start: start, count: count) == expected, "\(start) \(count)")
      }
    }
  }

  @Test func aNulByteAnywhereInTheWordRejectsIt() {
    for count in 1...16 {
      for position in 0..<count {
        var bytes = [UInt8](repeating: UInt8(ascii: "K"), count: count + 3)
        bytes[position] = 0
        #expect(packed(bytes, start: 0, count: count) == nil, "\(count) \(position)")
        // A NUL just past the word is not part of it.
        bytes[position] = UInt8(ascii: "K")
        bytes[count] = 0
        #expect(packed(bytes, start: 0, count: count) != nil, "\(count)")
      }
    }
  }

  @Test func emptyTooLongAndOutOfBoundsRanges() {
    let bytes = Array("Rate_Limit_Exceeded".utf8)
    #expect(packed(bytes, start: 0, count: 0) == 0)
    #expect(packed([], start: 0, count: 0) == 0)
    #expect(packed(bytes, start: 0, count: 17) == nil)
    #expect(packed(bytes, start: 15, count: 5) == nil)
    #expect(packed(bytes, start: -1, count: 2) == nil)
    #expect(packed(bytes, start: 0, count: -1) == nil)
    #expect(packed(bytes, start: 0, count: 10) == PackedWord("rate_limit")?.bits)
  }
}
