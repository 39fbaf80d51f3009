import FailSafeTesting
import Testing

@testable import FailSafe

@Suite("Quota windows", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct QuotaWindowTests {
  @Test func startMarksNeverMissAWindowLetter() {
    var generator = SeededGenerator(state: 0x5EED)
    let alphabet = Array("pPdDmMqQoO_-0\u{0}".utf8) + [0x80, 0xF0, 0xFF, 0x50 | 0x80]
    for _ in 0..<20_000 {
      var word: UInt64 = 0
      for byte in 0..<8 {
        let value = alphabet.randomElement(using: &generator)!
        word |= UInt64(value) << UInt64(byte * 8)
      }
      let marks = QuotaWindow.startMarks(word)
      for byte in 0..<8 {
        let value = PackedWord.lowercased(UInt8(truncatingIfNeeded: word >> UInt64(byte * 8)))
        if value == UInt8(ascii: "p") || value == UInt8(ascii: "d") || value == UInt8(ascii: "m") {
          #expect(marks & (0x80 << UInt64(byte * 8)) != 0, "word \(word) byte \(byte)")
        }
      }
    }
    #expect(QuotaWindow.startMarks(0x7171_7171_7171_7171) == 0)
    #expect(QuotaWindow.startMarks(0) == 0)
  }

  static func quotaBody(_ identifier: String) -> String {
    #"{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[{"quotaId":"\#(identifier)"}]}}"#
  }

  @Test(arguments: ["PerDay", "per_MONTH", "Daily", "monthly", "PERDAY"])
  func aLongWindowIsFoundAtEveryOffset(needle: String) {
    for padding in 0...17 {
      for trailer in ["", "X", "PerProject"] {
        let identifier = String(repeating: "x", count: padding) + needle + trailer
        let result = classify(429, Self.quotaBody(identifier))
        #expect(result.disposition == .quotaExhausted, "\(identifier)")
        #expect(result.reason == .quotaExhausted, "\(identifier)")
      }
    }
  }

  @Test func nearMissesAtEveryOffsetAreNoWindow() {
    let none = classify(429, Self.quotaBody("x"))
    for padding in 0...17 {
      for needle in ["PerDa", "Pxrday", "dail", "monthl", "p", "Per_", "pe"] {
        let identifier = String(repeating: "q", count: padding) + needle
        let result = classify(429, Self.quotaBody(identifier))
        #expect(result.disposition == none.disposition, "\(identifier)")
        #expect(result.reason == none.reason, "\(identifier)")
      }
    }
  }
}
