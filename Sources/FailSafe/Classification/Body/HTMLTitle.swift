/// Finds the text of an HTML page's `<title>`, the one part of a proxy's error page that says
/// what happened ("502 Bad Gateway", "api.example.com | 522: Connection timed out").
enum HTMLTitle {
  /// The longest title kept.
  static let maximumLength = 200

  /// The range of the bytes between `<title>` and `</title>` (case-insensitive), at most
  /// ``maximumLength`` of them, trimmed; `nil` if there is no title or it is blank.
  static func find(in bytes: UnsafeRawBufferPointer) -> Range<Int>? {
    guard let open = firstIndex(of: "<title", in: bytes, from: 0) else { return nil }
    var start = open + 6
    while start < bytes.count, bytes[start] != UInt8(ascii: ">") { start += 1 }
    start += 1
    guard start < bytes.count else { return nil }
    let end = firstIndex(of: "</title", in: bytes, from: start) ?? bytes.count
    var first = start
    var last = min(end, start + maximumLength)
    while first < last, bytes[first] <= 0x20 { first += 1 }
    while last > first, bytes[last - 1] <= 0x20 { last -= 1 }
    return first < last ? first..<last : nil
  }

  private static func firstIndex(
    of needle: StaticString, in bytes: UnsafeRawBufferPointer, from start: Int
  ) -> Int? {
    let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
    guard bytes.count >= pattern.count, start <= bytes.count - pattern.count else { return nil }
    var index = start
    while index <= bytes.count - pattern.count {
      var offset = 0
      while offset < pattern.count, PackedWord.lowercased(bytes[index + offset]) == pattern[offset]
      {
        offset += 1
      }
      if offset == pattern.count { return index }
      index += 1
    }
    return nil
  }
}
