import FailSafeTesting
import Testing

@testable import FailSafe

@Suite("JSON structural bytes", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct JSONStructuralByteTests {
  @Test func everyByteIsStructuralExactlyWhenTheScannerActsOnIt() {
    let structural = Set(#""-,0123456789[]{}fnt"#.utf8)
    for value in 0...255 {
      let byte = UInt8(value)
      #expect(JSONFieldScanner.isStructural(byte) == structural.contains(byte), "byte \(value)")
    }
  }
}
