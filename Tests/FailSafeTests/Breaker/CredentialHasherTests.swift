import FailSafe
import FailSafeTesting
import Testing

@Suite("CredentialHasher", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct CredentialHasherTests {
  let hasher = CredentialHasher(seed: 0x1234_5678_9ABC_DEF0)

  @Test func canonicallyEqualIdsHashAlike() {
    let pairs: [(CredentialID, CredentialID)] = [
      ("caf\u{E9}-key", "cafe\u{301}-key"),  // composed and decomposed é
      ("\u{212A}ey-1", "Key-1"),  // KELVIN SIGN and K
      ("a\u{37E}b", "a;b"),  // GREEK QUESTION MARK and semicolon
      ("x\u{1FEF}", "x`"),  // GREEK VARIA and grave accent
      ("\u{212A}\u{301}", "K\u{301}"),  // both compose to a non-ASCII character
    ]
    for (left, right) in pairs {
      #expect(left == right)
      #expect(hasher.hash(left) == hasher.hash(right), "\(left) and \(right)")
    }
  }

  /// The three scalars the hasher maps to ASCII are exactly those the stdlib's `==` finds equal
  /// to an ASCII character, for the Unicode version of the toolchain that runs the test.
  @Test func everyScalarEqualToAnASCIICharacterHashesLikeIt() {
    var ascii: [String: CredentialID] = [:]
    for value in 0..<0x80 {
      ascii[String(UnicodeScalar(UInt8(value)))] = CredentialID(String(UnicodeScalar(UInt8(value))))
    }
    var equalToASCII: [UInt32] = []
    for value in UInt32(0x80)...0x10FFFF {
      guard let scalar = UnicodeScalar(value), let match = ascii[String(scalar)] else { continue }
      equalToASCII.append(value)
      #expect(hasher.hash(CredentialID(String(scalar))) == hasher.hash(match))
    }
    #expect(equalToASCII == [0x037E, 0x1FEF, 0x212A])
  }

  @Test func everyLengthHashesEveryByte() {
    // Ids of 0 to 40 bytes, each differing from its neighbour in one byte at every position.
    var seen = Set<UInt64>()
    var total = 0
    for length in 0...40 {
      let base = String(repeating: "a", count: length)
      seen.insert(hasher.hash(CredentialID(base)))
      total += 1
      for position in 0..<length {
        var bytes = Array(base.utf8)
        bytes[position] = UInt8(ascii: "b")
        seen.insert(hasher.hash(CredentialID(String(decoding: bytes, as: UTF8.self))))
        total += 1
      }
    }
    #expect(seen.count == total)
  }

  @Test func manyIdsGetDistinctHashesAndTheSeedMatters() {
    let ids = (0..<100_000).map { CredentialID("openai-prod-key-\($0)") }
    #expect(Set(ids.map(hasher.hash)).count == ids.count)
    let other = CredentialHasher(seed: 1)
    #expect(ids.prefix(100).filter { hasher.hash($0) == other.hash($0) }.isEmpty)
    // The top bits pick the slot: 100,000 ids over 1,024 buckets stay near 98 per bucket.
    var buckets = [Int](repeating: 0, count: 1_024)
    for id in ids { buckets[Int(hasher.hash(id) >> 54)] += 1 }
    #expect(buckets.max()! < 160 && buckets.min()! > 50)
  }
}
