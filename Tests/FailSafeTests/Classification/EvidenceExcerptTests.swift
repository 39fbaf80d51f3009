import FailSafeTesting
import Testing

@testable import FailSafe

@Suite("Evidence excerpts", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct EvidenceExcerptTests {
  /// The excerpt built one byte at a time: whitespace runs collapse to one space, at most
  /// `limit` bytes, a word cut at the limit is finished (or dropped if it runs on), `...` if cut.
  static func reference(_ message: [UInt8], limit: Int) -> String {
    var out: [UInt8] = []
    var written = 0
    var lastWasSpace = true
    var index = 0
    while index < message.count, written < limit {
      let byte = message[index]
      index += 1
      if byte <= 0x20 || byte == 0x7F {
        if !lastWasSpace {
          out.append(0x20)
          written += 1
        }
        lastWasSpace = true
      } else {
        out.append(byte)
        written += 1
        lastWasSpace = false
      }
    }
    if index < message.count {
      var extra = 0
      while index < message.count, message[index] > 0x20, extra < Evidence.maximumWordExtension {
        out.append(message[index])
        index += 1
        extra += 1
      }
      if index < message.count, message[index] > 0x20 {
        while let last = out.last, last > 0x20 { out.removeLast() }
      }
      while let last = out.last, last & 0xC0 == 0x80 { out.removeLast() }
      if let last = out.last, last >= 0xC0 { out.removeLast() }
      out += Array("...".utf8)
    }
    while out.last == 0x20 { out.removeLast() }
    return String(decoding: out, as: UTF8.self)
  }

  static func excerpt(_ message: [UInt8], limit: Int) -> String {
    message.withUnsafeBytes { Evidence.make(status: nil, source: "", message: $0, limit: limit) }
  }

  @Test func bodyIdentifiersOfEveryLengthAreLowerCasedWhole() {
    // Words of eight, then the last few bytes as one overlapping word: every length, and
    // identifiers longer than the 64 bytes kept.
    let identifier = Array(
      "GenerateRequestsPerMinutePerProjectPerModel-FreeTier_QUOTA.Metric/X9".utf8)
    for length in 0...identifier.count {
      let source = Array(identifier[..<length])
      let evidence = source.withUnsafeBytes {
        Evidence.make(status: 429, source: "", bodySource: $0, message: nil, limit: 120)
      }
      let kept = String(decoding: source.prefix(64).map(PackedWord.lowercased), as: UTF8.self)
      #expect(evidence == (length == 0 ? "429" : "429 \(kept)"), "length \(length)")
    }
  }

  @Test func spacesAtTheLimitAndRunsOfWhitespace() {
    let cases = [
      "ab cd", "ab  cd", "ab \tcd", " ab cd ", "a b c d e f", "ab\u{7F}cd", "ab \u{7F}cd",
      "ab cd\n", "\n\nab", "a ", " a", "abc def ghi jkl",
    ]
    for text in cases {
      for limit in 0...12 {
        let message = Array(text.utf8)
        #expect(Self.excerpt(message, limit: limit) == Self.reference(message, limit: limit))
      }
    }
    #expect(Self.excerpt(Array("ab cd ef".utf8), limit: 2) == "ab...")
    #expect(Self.excerpt(Array("ab cd ef".utf8), limit: 4) == "ab cd...")
  }

  @Test func randomMessagesMatchTheByteByByteExcerpt() {
    var generator = SeededGenerator(state: 0xE8C)
    let alphabet = Array("ab  \t\n\u{7F}".utf8) + [0xC3, 0xA9, 0x80, 0x00, 0x1F, 0x21]
    for _ in 0..<3_000 {
      let message = (0..<Int.random(in: 0...40, using: &generator)).map { _ in
        alphabet.randomElement(using: &generator)!
      }
      let limit = Int.random(in: 0...45, using: &generator)
      #expect(Self.excerpt(message, limit: limit) == Self.reference(message, limit: limit))
    }
  }
}
