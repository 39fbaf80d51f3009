import FailSafeTesting
import Testing

@testable import FailSafe

@Suite("Identifier table", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct IdentifierTableTests {
  private static let table = IdentifierTable([
    ("key", 1), ("`quoted", 2), ("exactly8", 3), ("nine_byte", 4), ("invalid_api_key_x", 5),
    ("resource_exhausted", 6), ("sixteen_bytes_ab", 7),
  ])

  private static func value(_ text: String) -> Int? {
    Array(text.utf8).withUnsafeBytes { table.entry(for: $0)?.value }
  }

  private static func value(_ bytes: [UInt8]) -> Int? {
    bytes.withUnsafeBytes { table.entry(for: $0)?.value }
  }

  @Test func findsEveryNameInAnyCase() {
    #expect(Self.value("key") == 1)
    #expect(Self.value("KEY") == 1)
    #expect(Self.value("`QUOTED") == 2)
    #expect(Self.value("Exactly8") == 3)
    #expect(Self.value("NINE_BYTE") == 4)
    #expect(Self.value("Invalid_API_Key_X") == 5)
    #expect(Self.value("RESOURCE_EXHAUSTED") == 6)
    #expect(Self.value("SIXTEEN_bytes_AB") == 7)
  }

  @Test func aDifferenceAnywhereIsNoMatch() {
    // In the first eight bytes, in the last ones, and in length.
    #expect(Self.value("RESOURCE-EXHAUSTED") == nil)
    #expect(Self.value("RESOURCE_EXHAUSTEE") == nil)
    #expect(Self.value("XESOURCE_EXHAUSTED") == nil)
    #expect(Self.value("RESOURCE_EXHAUSTE") == nil)
    #expect(Self.value("exactly9") == nil)
    #expect(Self.value("sixteen_bytes_ac") == nil)
    // `@` is not the upper case of the backquote: only `A`-`Z` are lower-cased.
    #expect(Self.value("@quoted") == nil)
    #expect(Self.value("@QUOTED") == nil)
    #expect(Self.value("") == nil)
  }

  @Test func nonASCIIBytesNeverMatch() {
    // A byte with the top bit set is never lower-cased onto an ASCII letter.
    var bytes = Array("resource_exhausted".utf8)
    for position in [0, 7, 8, 17] {
      for high: UInt8 in [0xC5, 0xE5, 0xF2, 0x80, 0xFF] {
        var changed = bytes
        changed[position] = high
        #expect(Self.value(changed) == nil, "\(high) at \(position)")
      }
    }
    bytes[3] = 0x4F  // `O`: still the same name
    #expect(Self.value(bytes) == 6)
  }
}
