import FailSafeTesting
import Foundation
import Testing

@testable import FailSafe

/// Every provider table is data; these tests fail on any mistake in one: an entry the real
/// lookup cannot find in every case, a duplicate, a word past the bits that hold words, a
/// word or rule that nothing can reach.
@Suite("Knowledge tables", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct KnowledgeTableTests {
  /// `text` lower-cased, upper-cased and in alternating case (ASCII letters only: the
  /// classifier folds nothing else).
  static func spellings(of text: String) -> [String] {
    let bytes = Array(text.utf8)
    func mapped(_ transform: (Int, UInt8) -> UInt8) -> String {
      String(decoding: bytes.enumerated().map(transform), as: UTF8.self)
    }
    let lower = mapped { _, byte in byte &- 65 < 26 ? byte | 0x20 : byte }
    let upper = mapped { _, byte in byte &- 97 < 26 ? byte & ~0x20 : byte }
    let mixed = mapped { index, byte in
      guard (byte | 0x20) &- 97 < 26 else { return byte }
      return index % 2 == 0 ? byte & ~0x20 : byte | 0x20
    }
    return [text, lower, upper, mixed]
  }

  /// The duplicates of `texts`, ignoring ASCII case.
  static func duplicates(_ texts: [String]) -> [String] {
    var seen = Set<String>()
    return texts.filter { !seen.insert(spellings(of: $0)[1]).inserted }
  }

  // MARK: Error codes

  @Test func everyErrorCodeIsFoundInAnyCaseThroughTheBodyReader() {
    for meaning in ErrorCode.meanings {
      for code in meaning.codes {
        for spelling in Self.spellings(of: code) {
          // As a body carries it: read by the scanner, kept as a name, looked up.
          let body = Array(#"{"error":{"code":"\#(spelling)"}}"#.utf8)
          let verdicts = body.withUnsafeBytes { inspected in
            let signals = BodyScanner.scan(inspected)
            return signals.fields.filter { $0.kind == .code }.map { field in
              field.text.withBytes(in: inspected) { ErrorCode.verdict(for: $0, status: 400) }
            }
          }
          let found = verdicts.compactMap { $0 }.first
          #expect(found?.source == Self.spellings(of: code)[1], "\(spelling) is not found")
          #expect(found?.strength == meaning.verdict.strength, "\(spelling)")
        }
      }
    }
  }

  @Test func everyErrorCodeDecidesForSomeStatus() {
    // A row is reachable if some status lets its verdict through: broad categories that are
    // not retryable only decide client errors, so 400 and 503 between them reach every row.
    for meaning in ErrorCode.meanings {
      for code in meaning.codes {
        let reached = [400, 503].contains { status in
          Array(code.utf8).withUnsafeBytes { ErrorCode.verdict(for: $0, status: status) } != nil
        }
        #expect(reached, "\(code) never decides")
      }
    }
  }

  @Test func errorCodesAreUniqueAndNotShadowedByARule() {
    let codes = ErrorCode.meanings.flatMap(\.codes)
    #expect(Self.duplicates(codes).isEmpty, "duplicates: \(Self.duplicates(codes))")
    // The status-dependent rule is checked first: a row for its code would never be read.
    #expect(!codes.contains { Self.spellings(of: $0)[1] == ErrorCode.idempotencyErrorCode })
  }

  // MARK: Message words

  /// The words `message` holds, read as the classifier reads a message.
  static func words(in message: String) -> Set<MessageWord> {
    var facts = MessageFacts()
    Array(message.utf8).withUnsafeBytes { facts.read($0) }
    return Set(MessageWord.allCases.filter { facts.has($0) })
  }

  @Test func everySpellingIsReadAsItsWordInAnyCase() {
    for (spelling, word) in MessageWord.spellings {
      for variant in Self.spellings(of: spelling) {
        // Alone and inside a sentence: a spelling holding a byte that ends a word (a space,
        // a dot) can never be read whole, and fails here.
        #expect(Self.words(in: variant).contains(word), "\(variant) is not \(word)")
        #expect(Self.words(in: "x \(variant), y").contains(word), "\(variant) in a sentence")
        #expect(MessageWord.table.value(variant) == word, "\(variant) lookup")
      }
    }
  }

  @Test func everyNeedleIsReadInsideALongIdentifierInAnyCase() {
    for (needle, word) in MessageWord.needles {
      for variant in Self.spellings(of: needle) {
        // Padded past the packed length, so only the needle search can read it.
        let identifier = "zzzzzzzzzzzzzzzzz_" + variant + "_zz"
        #expect(Self.words(in: identifier).contains(word), "\(variant) is not \(word)")
      }
    }
  }

  @Test func needlesRankInTableOrder() {
    // A later needle that always holds an earlier one would never win, so it must not.
    let needles = MessageWord.needles
    for (later, (needle, word)) in needles.enumerated() {
      for (earlier, (other, otherWord)) in needles.enumerated()
      where earlier < later && otherWord != word {
        #expect(!needle.lowercased().contains(other.lowercased()), "\(needle) is shadowed")
      }
    }
  }

  @Test func messageWordSpellingsAreUnique() {
    let spellings = MessageWord.spellings.map(\.0)
    #expect(Self.duplicates(spellings).isEmpty, "duplicates: \(Self.duplicates(spellings))")
    let needles = MessageWord.needles.map(\.0)
    #expect(Self.duplicates(needles).isEmpty, "duplicates: \(Self.duplicates(needles))")
    #expect(!spellings.contains(""))
    #expect(!needles.contains(""))
  }

  @Test func everyWordAndPairFitsTheBitsThatHoldThem() {
    #expect(
      MessageWord.allCases.count <= MessageFacts.wordCapacity,
      "\(MessageWord.allCases.count) words, room for \(MessageFacts.wordCapacity)")
    #expect(MessageWord.allCases.allSatisfy { Int($0.rawValue) < MessageFacts.wordCapacity })
    #expect(MessageFacts.Pair.allCases.count <= MessageFacts.pairCapacity)
  }

  @Test func everyWordIsReachable() {
    // A word no spelling or needle yields can never make a rule apply.
    let reachable = Set(MessageWord.spellings.map(\.1) + MessageWord.needles.map(\.1))
    for word in MessageWord.allCases {
      #expect(reachable.contains(word), "\(word) has no spelling")
    }
  }

  // MARK: Quota windows

  @Test func everyWindowSpellingDecidesInAnyCaseAtAnyOffset() {
    for (spelling, length) in QuotaWindow.spellings {
      for variant in Self.spellings(of: spelling) {
        for padding in [0, 3, 9, 17] {
          let identifier = String(repeating: "x", count: padding) + variant + "PerProject"
          let result = classify(429, QuotaWindowTests.quotaBody(identifier))
          switch length {
          case .long: #expect(result.disposition == .quotaExhausted, "\(identifier)")
          case .short:
            #expect(result.disposition == .retryable, "\(identifier)")
            #expect(result.reason == .rateLimited, "\(identifier)")
          }
        }
      }
    }
  }

  @Test func windowSpellingsAreUniqueAndStartWithFewBytes() {
    let spellings = QuotaWindow.spellings.map(\.0)
    #expect(Self.duplicates(spellings).isEmpty, "duplicates: \(Self.duplicates(spellings))")
    #expect(!spellings.contains(""))
    // More first bytes still match, one byte at a time; this keeps the word-at-a-time skip.
    let firsts = Set(spellings.compactMap { $0.lowercased().utf8.first })
    #expect(firsts.count <= SWAR.FoldedByteSet.capacity)
  }

  // MARK: JSON keys

  @Test func everyKeyIsFoundInAnyCase() {
    for (key, role) in JSONFieldRole.keys {
      // A key holding `"` or `\` is escaped in a body, and escaped keys are never read.
      #expect(!key.utf8.contains { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") })
      for variant in Self.spellings(of: key) {
        #expect(JSONFieldRole.table.value(variant) == role, "\(variant)")
      }
    }
    let keys = JSONFieldRole.keys.map(\.0)
    #expect(Self.duplicates(keys).isEmpty, "duplicates: \(Self.duplicates(keys))")
  }

  // MARK: The lookup structures themselves

  @Test func spellingTablesFindMixedCaseAndLongSpellings() {
    let table = SpellingTable([
      ("MixedCase", 1), ("a_spelling_longer_than_sixteen_bytes", 2), ("short", 3),
    ])
    #expect(table.value("mixedcase") == 1)
    #expect(table.value("MIXEDCASE") == 1)
    #expect(table.value("A_Spelling_Longer_Than_Sixteen_Bytes") == 2)
    #expect(table.value("a_spelling_longer_than_sixteen_byte") == nil)
    #expect(table.value("shorts") == nil)
    #expect(table.value("") == nil)
  }

  @Test func needleTablesFindEveryOccurrenceWithManyFirstBytes() {
    // Six first bytes: past the word-at-a-time set, every byte is looked at.
    let table = NeedleTable([
      ("Alpha", 0), ("beta", 1), ("gamma", 2), ("delta", 3), ("epsilon", 4), ("zeta", 5),
      ("a_needle_longer_than_sixteen_bytes", 6),
    ])
    let text = "xxBETAxxZetaxxDELTA_alphaxxx-A_NEEDLE_LONGER_THAN_SIXTEEN_BYTES-"
    var found: [Int] = []
    Array(text.utf8).withUnsafeBytes { bytes in
      table.forEachMatch(in: bytes) { entry, _ in found.append(entry) }
    }
    #expect(found == [1, 5, 3, 0, 6])
  }
}
