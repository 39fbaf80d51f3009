import FailSafeTesting
import Testing

@testable import FailSafe

/// The helpers that let the classifier keep body text as ranges of the body instead of copies.
@Suite("Body ranges", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct BodyRangeTests {
  func withBytes<Result>(_ text: String, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
    Array(text.utf8).withUnsafeBytes(body)
  }

  func withBytes<Result>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
    bytes.withUnsafeBytes(body)
  }

  @Test(arguments: [
    ("com.amazon.coral.service#UnrecognizedClientException", "UnrecognizedClientException"),
    ("ThrottlingException:http://internal.amazon.com/coral", "ThrottlingException"),
    ("a#b#c:d:e", "c"), ("abc#", ""), (":abc", ""), ("#", ""), ("plain_code", "plain_code"),
    ("", ""),
  ])
  func nameRangeKeepsWhatNormalizeKeeps(code: String, name: String) {
    let range = withBytes(code) { ErrorCode.nameRange(in: $0) }
    let kept = String(decoding: Array(code.utf8)[range], as: UTF8.self)
    #expect(kept == name)
    #expect(kept == ErrorCode.normalize(code))
  }

  @Test func identifierTableFindsNamesIgnoringASCIICase() {
    let table = IdentifierTable([("invalid_api_key", 1), ("rate_limit", 2), ("x", 3)])
    #expect(withBytes("INVALID_API_KEY") { table.entry(for: $0) }?.value == 1)
    #expect(withBytes("Rate_Limit") { table.entry(for: $0) }?.name == "rate_limit")
    #expect(withBytes("X") { table.entry(for: $0) }?.value == 3)
    #expect(withBytes("rate_limit_") { table.entry(for: $0) } == nil)
    #expect(withBytes("rate_limi") { table.entry(for: $0) } == nil)
    #expect(withBytes("") { table.entry(for: $0) } == nil)
  }

  @Test func identifierTableNeverMatchesNonASCII() {
    let table = IdentifierTable([("key_revoked", 1)])
    // Kelvin sign (U+212A) instead of `k`; `é` instead of `e`; an invalid byte.
    #expect(withBytes("\u{212A}ey_revoked") { table.entry(for: $0) } == nil)
    #expect(withBytes("key_r\u{E9}voked") { table.entry(for: $0) } == nil)
    #expect(withBytes(Array("key_revoke".utf8) + [0xC4]) { table.entry(for: $0) } == nil)
  }

  @Test func identifierTableKeepsTheLastOfTwoEntriesAndFindsEveryName() {
    let names = (0..<300).map { "code_\($0)" }
    let table = IdentifierTable(names.enumerated().map { ($1, $0) } + [("code_7", -7)])
    for (index, name) in names.enumerated() {
      let expected = index == 7 ? -7 : index
      #expect(withBytes(name.uppercased()) { table.entry(for: $0) }?.value == expected)
    }
    #expect(withBytes("code_300") { table.entry(for: $0) } == nil)
  }

  @Test func spansAreClampedToTheInspectedBytes() {
    let read = { (text: BodyText) in
      withBytes("abcdef") { bytes in text.withBytes(in: bytes) { Array($0) } }
    }
    #expect(read(.span(1..<4)) == Array("bcd".utf8))
    #expect(read(.span(4..<100)) == Array("ef".utf8))
    #expect(read(.span(50..<60)) == [])
    #expect(read(.span(0..<0)) == [])
    #expect(read(.decoded([0xFF, 0x41])) == [0xFF, 0x41])
    let lowered = withBytes("aBc\u{E9}") { BodyText.span(0..<5).lowercasedString(in: $0) }
    #expect(lowered == "abc\u{E9}")
  }

  @Test(arguments: [
    ("<html><TITLE> 502 Bad Gateway\n</title>", "502 Bad Gateway"),
    ("<title lang=en>x</TITLE>", "x"), ("<title>   </title>", nil), ("<title>", nil),
    ("<title>unterminated  ", "unterminated"), ("<p>no title</p>", nil), ("", nil),
  ])
  func htmlTitleIsARangeOfTheBytes(page: String, title: String?) {
    let found = withBytes(page) { bytes in
      HTMLTitle.find(in: bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
    }
    #expect(found == title)
  }
}
