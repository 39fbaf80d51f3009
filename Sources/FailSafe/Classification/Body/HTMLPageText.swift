/// The visible text of an HTML error page, for the wait it may state ("Please retry after
/// 30 seconds", "try again in 24 hours"): tags, `<script>` and `<style>` contents dropped,
/// whitespace runs collapsed to one space, `&nbsp;` read as a space.
enum HTMLPageText {
  /// The most bytes of page text kept.
  static let maximumLength = 2_048

  /// The page text of `bytes`, at most ``maximumLength`` bytes; empty if there is none.
  static func extract(from bytes: UnsafeRawBufferPointer) -> [UInt8] {
    var text: [UInt8] = []
    var index = 0
    let count = bytes.count
    var lastWasSpace = true
    func appendSpace() {
      if !lastWasSpace {
        text.append(0x20)
        lastWasSpace = true
      }
    }
    while index < count, text.count < maximumLength {
      let byte = bytes[index]
      if byte == UInt8(ascii: "<") {
        let skipped = skipsContent(bytes, at: index)
        index = tagEnd(bytes, from: index)
        if let skipped { index = closingTagEnd(bytes, named: skipped, from: index) }
        appendSpace()
      } else if byte == UInt8(ascii: "&"), startsWith(bytes, at: index, "&nbsp;") {
        index += 6
        appendSpace()
      } else if byte <= 0x20 {
        index += 1
        appendSpace()
      } else {
        text.append(byte)
        lastWasSpace = false
        index += 1
      }
    }
    while text.last == 0x20 { text.removeLast() }
    return text
  }

  /// `script` or `style` when the tag at `index` opens one (its content is not page text).
  private static func skipsContent(_ bytes: UnsafeRawBufferPointer, at index: Int) -> StaticString?
  {
    if startsWith(bytes, at: index, "<script") { return "</script" }
    if startsWith(bytes, at: index, "<style") { return "</style" }
    return nil
  }

  /// The index after the `>` that ends the tag starting at `index`, or the end of the bytes.
  private static func tagEnd(_ bytes: UnsafeRawBufferPointer, from index: Int) -> Int {
    var index = index + 1
    while index < bytes.count, bytes[index] != UInt8(ascii: ">") { index += 1 }
    return min(index + 1, bytes.count)
  }

  /// The index after the closing tag `closing` at or after `index`, or the end of the bytes.
  private static func closingTagEnd(
    _ bytes: UnsafeRawBufferPointer, named closing: StaticString, from index: Int
  ) -> Int {
    var index = index
    while index < bytes.count {
      if bytes[index] == UInt8(ascii: "<"), startsWith(bytes, at: index, closing) {
        return tagEnd(bytes, from: index)
      }
      index += 1
    }
    return bytes.count
  }

  /// Whether `bytes` holds `prefix` (lower case) at `index`, ignoring ASCII case.
  private static func startsWith(
    _ bytes: UnsafeRawBufferPointer, at index: Int, _ prefix: StaticString
  ) -> Bool {
    let pattern = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
    guard index + pattern.count <= bytes.count else { return false }
    for offset in 0..<pattern.count
    where PackedWord.lowercased(bytes[index + offset]) != pattern[offset] {
      return false
    }
    return true
  }
}
