import Foundation

/// Reads the bounded prefix of a response body into ``BodySignals``.
///
/// Only the first ``inspectedPrefixLength`` bytes are looked at, in place (the body is never
/// copied), so a 10 MB body costs the same as a 64 KiB one.
enum BodyScanner {
  /// How many leading bytes of a body are inspected.
  static let inspectedPrefixLength = 65_536
  /// How many bytes of a plain-text or HTML body are kept as its message.
  static let textMessageLength = 512

  /// Calls `read` with the first ``inspectedPrefixLength`` bytes of `body`, in place.
  static func withInspectedBytes<Result>(
    of body: Data, _ read: (UnsafeRawBufferPointer) -> Result
  ) -> Result {
    body.withUnsafeBytes { raw in
      read(UnsafeRawBufferPointer(rebasing: raw.prefix(inspectedPrefixLength)))
    }
  }

  /// Scans `bytes` (already bounded). The spans of the result are ranges of `bytes`.
  static func scan(_ bytes: UnsafeRawBufferPointer) -> BodySignals {
    var signals = BodySignals()
    var start = 0
    if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
    while start < bytes.count, isWhitespace(bytes[start]) { start += 1 }
    guard start < bytes.count else { return signals }
    let content = UnsafeRawBufferPointer(rebasing: bytes[start...])
    switch content[0] {
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      signals.shape = .json
      var scanner = JSONFieldScanner(signals: signals, origin: start)
      scanner.scan(content, nesting: 0)
      signals = scanner.signals
    case UInt8(ascii: "<"):
      func span(_ range: Range<Int>) -> BodyText {
        .span((start + range.lowerBound)..<(start + range.upperBound))
      }
      let error = XMLErrorElements.find(in: content)
      if let code = error.code {
        // An AWS XML error: its code and message are read as a JSON body's would be.
        signals.shape = .xml
        let name = ErrorCode.nameRange(
          in: UnsafeRawBufferPointer(rebasing: content[code]))
        signals.addCode(
          span((code.lowerBound + name.lowerBound)..<(code.lowerBound + name.upperBound)))
        if let message = error.message { signals.addMessage(span(message)) }
        return signals
      }
      signals.shape = .html
      if let title = HTMLTitle.find(in: content) { signals.addMessage(span(title)) }
      signals.pageStart = start
    default:
      signals.shape = .text
      signals.addMessage(.span(start..<(start + min(content.count, textMessageLength))))
    }
    return signals
  }

  /// JSON whitespace (space, tab, CR, LF).
  @inline(always)
  static func isWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
  }
}
