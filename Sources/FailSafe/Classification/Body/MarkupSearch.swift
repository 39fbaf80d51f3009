/// The two byte steps the markup readers share (``HTMLTitle``, ``XMLErrorElements``): finding
/// a tag's bytes and trimming the text between two tags.
enum MarkupSearch {
  /// The first index at or after `start` where `pattern` occurs in `bytes`: exactly, or with
  /// ASCII letters of `bytes` lower-cased first when `caseInsensitive` (the pattern is then
  /// written in lower case); `nil` if it does not occur.
  static func firstIndex(
    of pattern: [UInt8], in bytes: UnsafeRawBufferPointer, from start: Int,
    caseInsensitive: Bool = false
  ) -> Int? {
    guard !pattern.isEmpty, start >= 0, bytes.count >= pattern.count,
      start <= bytes.count - pattern.count
    else { return nil }
    var index = start
    while index <= bytes.count - pattern.count {
      var offset = 0
      while offset < pattern.count {
        let byte = bytes[index + offset]
        guard (caseInsensitive ? PackedWord.lowercased(byte) : byte) == pattern[offset] else {
          break
        }
        offset += 1
      }
      if offset == pattern.count { return index }
      index += 1
    }
    return nil
  }

  /// ``firstIndex(of:in:from:caseInsensitive:)`` for a literal pattern.
  static func firstIndex(
    of pattern: StaticString, in bytes: UnsafeRawBufferPointer, from start: Int,
    caseInsensitive: Bool = false
  ) -> Int? {
    let literal = UnsafeBufferPointer(start: pattern.utf8Start, count: pattern.utf8CodeUnitCount)
    return firstIndex(
      of: Array(literal), in: bytes, from: start, caseInsensitive: caseInsensitive)
  }

  /// The text from `start` up to `end` (the closing tag, or the end of the body) and at most
  /// `limit` bytes, without the whitespace and control bytes at either end; `nil` if blank.
  static func trimmedText(
    in bytes: UnsafeRawBufferPointer, from start: Int, to end: Int, limit: Int
  ) -> Range<Int>? {
    var first = start
    var last = min(end, start + max(limit, 0), bytes.count)
    while first < last, bytes[first] <= 0x20 { first += 1 }
    while last > first, bytes[last - 1] <= 0x20 { last -= 1 }
    return first < last ? first..<last : nil
  }
}
