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

  /// Scans the first ``inspectedPrefixLength`` bytes of `body`.
  static func scan(_ body: Data) -> BodySignals {
    body.withUnsafeBytes { raw in
      let bounded = UnsafeRawBufferPointer(rebasing: raw.prefix(inspectedPrefixLength))
      return scan(bounded)
    }
  }

  /// Scans `bytes` (already bounded).
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
      var scanner = JSONFieldScanner(signals: signals)
      scanner.scan(content, nesting: 0)
      signals = scanner.signals
    case UInt8(ascii: "<"):
      signals.shape = .html
      if let title = HTMLTitle.find(in: content) { signals.addMessage(title) }
    default:
      signals.shape = .text
      signals.addMessage(content.prefix(textMessageLength))
    }
    return signals
  }

  /// JSON whitespace (space, tab, CR, LF).
  @inline(__always)
  static func isWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
  }
}
