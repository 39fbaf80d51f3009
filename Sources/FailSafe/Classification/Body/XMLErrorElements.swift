/// Finds the `<Code>` and `<Message>` of an AWS-style XML error document: `<Error><Code>…`
/// (S3, STS, IAM, SQS, SNS and the other query APIs) and
/// `<Response><Errors><Error><Code>…` (EC2).
///
/// Element names are matched exactly as AWS spells them (`<Error>`, `<Code>`, `<Message>`), so
/// an HTML page's `<code>` formatting is never read as an identifier; nothing is parsed beyond
/// the first element of each name.
enum XMLErrorElements {
  /// The longest message kept, in bytes.
  static let maximumMessageLength = 512

  /// The ranges of the text of the first `<Code>` and of the first `<Message>` inside an
  /// `<Error>` element of `bytes`, trimmed; `nil` for each one that is absent or blank, and both
  /// `nil` when `bytes` holds no `<Error>` element.
  static func find(in bytes: UnsafeRawBufferPointer) -> (code: Range<Int>?, message: Range<Int>?) {
    guard let error = errorElement(in: bytes) else { return (nil, nil) }
    let code = elementText(
      "Code", in: bytes, from: error, limit: JSONFieldScanner.maximumCodeLength)
    let message = elementText("Message", in: bytes, from: error, limit: maximumMessageLength)
    return (code, message)
  }

  /// Where the first `<Error>` element (with or without attributes: `<Error xmlns="...">`,
  /// never `<ErrorResponse>`) starts, if any.
  private static func errorElement(in bytes: UnsafeRawBufferPointer) -> Int? {
    var start = 0
    while let found = MarkupSearch.firstIndex(of: "<Error", in: bytes, from: start) {
      let next = found + 6
      guard next < bytes.count else { return nil }
      if bytes[next] == UInt8(ascii: ">") || bytes[next] == 0x20 { return found }
      start = next
    }
    return nil
  }

  /// The trimmed text between `<name>` and `</name>` after `start`, at most `limit` bytes.
  private static func elementText(
    _ name: StaticString, in bytes: UnsafeRawBufferPointer, from start: Int, limit: Int
  ) -> Range<Int>? {
    let nameBytes = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
    let open = [UInt8(ascii: "<")] + Array(nameBytes) + [UInt8(ascii: ">")]
    let close = [UInt8(ascii: "<"), UInt8(ascii: "/")] + Array(nameBytes)
    guard let found = MarkupSearch.firstIndex(of: open, in: bytes, from: start) else {
      return nil
    }
    let textStart = found + open.count
    let end = MarkupSearch.firstIndex(of: close, in: bytes, from: textStart) ?? bytes.count
    return MarkupSearch.trimmedText(in: bytes, from: textStart, to: end, limit: limit)
  }
}
