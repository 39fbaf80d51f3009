/// Finds the text of an HTML page's `<title>`, the one part of a proxy's error page that says
/// what happened ("502 Bad Gateway", "api.example.com | 522: Connection timed out").
enum HTMLTitle {
  /// The longest title kept.
  static let maximumLength = 200

  /// The range of the bytes between `<title>` and `</title>` (case-insensitive), at most
  /// ``maximumLength`` of them, trimmed; `nil` if there is no title or it is blank.
  static func find(in bytes: UnsafeRawBufferPointer) -> Range<Int>? {
    guard
      let open = MarkupSearch.firstIndex(of: "<title", in: bytes, from: 0, caseInsensitive: true)
    else { return nil }
    var start = open + 6
    while start < bytes.count, bytes[start] != UInt8(ascii: ">") { start += 1 }
    start += 1
    guard start < bytes.count else { return nil }
    let end =
      MarkupSearch.firstIndex(of: "</title", in: bytes, from: start, caseInsensitive: true)
      ?? bytes.count
    return MarkupSearch.trimmedText(in: bytes, from: start, to: end, limit: maximumLength)
  }
}
