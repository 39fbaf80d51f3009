/// A flat, non-recursive pass over JSON bytes that records the values of interesting keys.
///
/// It never builds a tree and keeps no stack: a string followed by `:` is a key, and the value
/// after it is recorded if the key has a ``JSONFieldRole``. Nesting depth therefore costs
/// nothing (100,000 `[` are just bytes), truncated or invalid JSON yields whatever pairs were
/// readable, and the work is one pass over the bounded prefix. A string value that itself holds
/// JSON (a double-encoded `message`, OpenRouter's `metadata.raw`) is decoded and scanned again,
/// at most ``maximumNesting`` levels deep.
struct JSONFieldScanner {
  /// How many levels of JSON-inside-a-string are followed.
  static let maximumNesting = 2
  /// The longest string accepted as an identifier.
  static let maximumCodeLength = 96

  /// What was found so far.
  var signals: BodySignals

  /// Scans `bytes`, a JSON document or a fragment of one.
  mutating func scan(_ bytes: UnsafeRawBufferPointer, nesting: Int) {
    let count = bytes.count
    var index = 0
    var pending: JSONFieldRole?
    var awaitingValue = false
    while index < count {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "\""):
        let start = index + 1
        let (end, escaped) = Self.stringEnd(bytes, from: start)
        index = end + 1
        var next = index
        while next < count, BodyScanner.isWhitespace(bytes[next]) { next += 1 }
        if next < count, bytes[next] == UInt8(ascii: ":") {
          pending = escaped ? nil : JSONFieldRole.of(bytes, start: start, count: end - start)
          awaitingValue = true
          index = next + 1
        } else {
          if awaitingValue, let role = pending {
            record(role, bytes, start: start, end: end, escaped: escaped, nesting: nesting)
          }
          pending = nil
          awaitingValue = false
        }
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        let start = index
        while index < count, Self.isNumberByte(bytes[index]) { index += 1 }
        if awaitingValue, let role = pending {
          recordNumber(role, bytes, start: start, end: index)
        }
        pending = nil
        awaitingValue = false
      case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
        if awaitingValue, pending == .retryable, byte != UInt8(ascii: "n") {
          signals.retryableFlag = byte == UInt8(ascii: "t")
        }
        while index < count, bytes[index] &- 97 < 26 { index += 1 }
        pending = nil
        awaitingValue = false
      case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "}"), UInt8(ascii: "]"),
        UInt8(ascii: ","):
        pending = nil
        awaitingValue = false
        index += 1
      default:
        index += 1
      }
    }
  }

  private mutating func record(
    _ role: JSONFieldRole, _ bytes: UnsafeRawBufferPointer, start: Int, end: Int,
    escaped: Bool, nesting: Int
  ) {
    let value: [UInt8] =
      escaped
      ? JSONStringDecoder.decode(bytes, start: start, end: end)
      : Array(bytes[start..<end])
    switch role {
    case .code:
      addCode(value)
    case .quota:
      if value.count <= Self.maximumCodeLength {
        signals.quotaIdentifiers.append(Self.lowercasedString(value))
      }
    case .message, .raw:
      if !scanEmbeddedJSON(value, nesting: nesting) { signals.addMessage(value) }
    case .error:
      if Self.looksLikeIdentifier(value) {
        addCode(value)
      } else if !scanEmbeddedJSON(value, nesting: nesting) {
        signals.addMessage(value)
      }
    case .wait:
      if signals.waitSeconds == nil { signals.waitSeconds = DurationText.seconds(value[...]) }
    case .waitMilliseconds:
      if signals.waitSeconds == nil, let milliseconds = DurationText.seconds(value[...]) {
        signals.waitSeconds = milliseconds / 1_000
      }
    case .retryable:
      break
    }
  }

  private mutating func recordNumber(
    _ role: JSONFieldRole, _ bytes: UnsafeRawBufferPointer, start: Int, end: Int
  ) {
    guard signals.waitSeconds == nil else { return }
    let number = DurationText.decimal(bytes[start..<end])
    switch role {
    case .wait: signals.waitSeconds = number
    case .waitMilliseconds: signals.waitSeconds = number.map { $0 / 1_000 }
    default: break
    }
  }

  private mutating func addCode(_ value: [UInt8]) {
    guard !value.isEmpty, value.count <= Self.maximumCodeLength else { return }
    // Numeric codes ("401", "1000") only repeat the status or are opaque.
    if value.allSatisfy({ $0 &- 48 < 10 }) { return }
    signals.addCode(ErrorCode.normalize(Self.lowercasedString(value)))
  }

  /// Scans `value` as JSON if it looks like JSON; returns whether it did.
  private mutating func scanEmbeddedJSON(_ value: [UInt8], nesting: Int) -> Bool {
    guard nesting < Self.maximumNesting else { return false }
    var first = 0
    while first < value.count, BodyScanner.isWhitespace(value[first]) { first += 1 }
    guard first < value.count,
      value[first] == UInt8(ascii: "{") || value[first] == UInt8(ascii: "[")
    else { return false }
    value.withUnsafeBytes { scan($0, nesting: nesting + 1) }
    return true
  }

  /// The index of the closing quote of the string starting at `start` (or the end of the
  /// bytes if it is unterminated), and whether the string contains escapes.
  static func stringEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> (Int, Bool) {
    var index = start
    var escaped = false
    let count = bytes.count
    while index < count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") { return (index, escaped) }
      if byte == UInt8(ascii: "\\") {
        escaped = true
        index += 2
      } else {
        index += 1
      }
    }
    return (count, escaped)
  }

  private static func isNumberByte(_ byte: UInt8) -> Bool {
    byte &- 48 < 10 || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
      || byte == UInt8(ascii: "+") || byte | 0x20 == UInt8(ascii: "e")
  }

  private static func looksLikeIdentifier(_ value: [UInt8]) -> Bool {
    value.count <= 64 && !value.contains(UInt8(ascii: " "))
  }

  private static func lowercasedString(_ value: [UInt8]) -> String {
    String(decoding: value.map(PackedWord.lowercased), as: UTF8.self)
  }
}
