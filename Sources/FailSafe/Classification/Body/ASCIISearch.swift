/// Case-sensitive byte search in lower-cased ASCII identifiers, without Foundation (whose
/// `contains` goes through `NSString` and costs microseconds).
enum ASCIISearch {
  /// Whether `text` contains `needle`.
  static func contains(_ text: String, _ needle: StaticString) -> Bool {
    var text = text
    return text.withUTF8 { haystack in
      contains(UnsafeRawBufferPointer(haystack), needle)
    }
  }

  /// Whether `haystack` contains `needle`.
  static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: StaticString) -> Bool {
    let pattern = UnsafeRawBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
    guard !pattern.isEmpty, haystack.count >= pattern.count else { return false }
    let first = pattern[0]
    var index = 0
    let last = haystack.count - pattern.count
    while index <= last {
      if haystack[index] == first {
        var offset = 1
        while offset < pattern.count, haystack[index + offset] == pattern[offset] { offset += 1 }
        if offset == pattern.count { return true }
      }
      index += 1
    }
    return false
  }
}
