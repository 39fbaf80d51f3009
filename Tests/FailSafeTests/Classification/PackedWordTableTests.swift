import FailSafeTesting
import Testing

@testable import FailSafe

@Suite("Packed word tables", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct PackedWordTableTests {
  static let keys = ["a", "key", "KeyS", "x-api-key", "_type", "sixteen_bytes_ok", "@at", "z9"]
  static let table = PackedWordTable(keys.compactMap { key in PackedWord(key).map { ($0, key) } })

  @Test func theFilterNeverRejectsAKeyInAnyCase() {
    for key in Self.keys {
      for spelling in [key, key.uppercased(), key.lowercased()] {
        let bytes = Array(spelling.utf8)
        #expect(Self.table.mayHold(first: bytes[0], count: bytes.count), "\(spelling)")
        let found = bytes.withUnsafeBytes { raw in
          PackedWord(raw, start: 0, count: raw.count).flatMap { Self.table[$0] }
        }
        #expect(found == key, "\(spelling)")
      }
    }
  }

  @Test func theFilterRejectsOtherFirstBytesAndLengths() {
    #expect(!Self.table.mayHold(first: UInt8(ascii: "b"), count: 3))
    #expect(!Self.table.mayHold(first: UInt8(ascii: "k"), count: 5))
    #expect(!Self.table.mayHold(first: UInt8(ascii: "K"), count: 2))
    #expect(!Self.table.mayHold(first: UInt8(ascii: "s"), count: 15))
    #expect(Self.table.mayHold(first: UInt8(ascii: "S"), count: 16))
    // Counts past the longest key never trap (they wrap into the 32 bits of a row).
    _ = Self.table.mayHold(first: 0xFF, count: Int.max)
    _ = Self.table.mayHold(first: 0, count: -1)
  }

  @Test func theShippedTablesHoldEverySpellingAndKey() {
    for word in ["quota", "Requests", "RATE_LIMIT", "in", "x-goog-api-key"] {
      let bytes = Array(word.utf8)
      let found = bytes.withUnsafeBytes { raw in
        MessageWord.lookup(raw, start: 0, count: raw.count, in: MessageWord.table)
      }
      #expect(found != nil, "\(word)")
    }
    for key in ["message", "quotaId", "RETRY_AFTER_MS", "__type", "error_description", "raw"] {
      let bytes = Array(key.utf8)
      let role = bytes.withUnsafeBytes { raw in
        JSONFieldRole.of(raw, start: 0, count: raw.count, in: JSONFieldRole.table)
      }
      #expect(role != nil, "\(key)")
    }
    for other in ["details", "model", "quotaValue", "stackEntries", "@type", "", "x\u{0}y"] {
      let bytes = Array(other.utf8)
      let role = bytes.withUnsafeBytes { raw in
        JSONFieldRole.of(raw, start: 0, count: raw.count, in: JSONFieldRole.table)
      }
      #expect(role == nil, "\(other)")
    }
  }
}
