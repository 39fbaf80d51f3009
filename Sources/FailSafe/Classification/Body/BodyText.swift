/// Text the classifier found in a body: a range of the inspected bytes (nothing copied), or
/// the bytes of a JSON string decoded from its escapes.
enum BodyText {
  /// `inspected[range]`: the text as it stands in the inspected body.
  case span(Range<Int>)
  /// Bytes decoded from a JSON string with escapes (or found inside such a string).
  case decoded([UInt8])

  /// Calls `read` with the text's bytes. A span is read from `inspected`, the bytes the
  /// scanner saw, clamped to them: a range that does not fit can never read outside.
  @inline(always)
  func withBytes<Result>(
    in inspected: UnsafeRawBufferPointer, _ read: (UnsafeRawBufferPointer) -> Result
  ) -> Result {
    switch self {
    case .span(let range):
      let bounded = range.clamped(to: 0..<inspected.count)
      return read(UnsafeRawBufferPointer(rebasing: inspected[bounded]))
    case .decoded(let bytes):
      return bytes.withUnsafeBytes(read)
    }
  }

  /// The text as a lower-cased `String` (ASCII letters only; invalid UTF-8 repaired), as the
  /// classifier's identifiers were compared before they were kept as ranges.
  func lowercasedString(in inspected: UnsafeRawBufferPointer) -> String {
    withBytes(in: inspected) { bytes in
      String(decoding: bytes.lazy.map(PackedWord.lowercased), as: UTF8.self)
    }
  }
}

extension Optional where Wrapped == BodyText {
  /// Calls `read` with the text's bytes, or with `nil` when there is no text.
  @inline(always)
  func withBytes<Result>(
    in inspected: UnsafeRawBufferPointer, _ read: (UnsafeRawBufferPointer?) -> Result
  ) -> Result {
    switch self {
    case .some(let text): return text.withBytes(in: inspected) { read($0) }
    case .none: return read(nil)
    }
  }
}
