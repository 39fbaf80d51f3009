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
  /// Where the bytes being scanned start in the inspected body, or `nil` while scanning
  /// decoded bytes (JSON inside an escaped string), whose text is copied when kept.
  var origin: Int?

  /// Scans `bytes`, a JSON document or a fragment of one.
  mutating func scan(_ bytes: UnsafeRawBufferPointer, nesting: Int) {
    let count = bytes.count
    var index = 0
    var pending: JSONFieldRole?
    var awaitingValue = false
    let roles = JSONFieldRole.table
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
          pending =
            escaped ? nil : JSONFieldRole.of(bytes, start: start, count: end - start, in: roles)
          awaitingValue = true
          index = next + 1
          // The usual space after the colon, without a pass through the whitespace case.
          if index < count, bytes[index] == UInt8(ascii: " ") { index += 1 }
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
        // A line break and indentation usually follow: passed here, not by another trip
        // through the `switch` (the bytes passed change nothing, see `skipRun`).
        if index < count, !Self.isStructural(bytes[index]) {
          index = Self.skipRun(bytes, after: index)
        }
      default:
        index = Self.skipRun(bytes, after: index)
      }
    }
  }

  /// The index of the first structural byte (``isStructural(_:)``) after `index`, whose byte
  /// is not one, or `bytes.count`. The scanner does nothing with whitespace, `:` and stray
  /// bytes but pass them, so it may pass such a run wherever it meets one.
  ///
  /// The run is passed at once: indentation (spaces) eight bytes at a time, then the spaces
  /// that start the next eight in one step, then byte by byte.
  @inline(always)
  static func skipRun(_ bytes: UnsafeRawBufferPointer, after index: Int) -> Int {
    let count = bytes.count
    var index = index + 1
    while index &+ 8 <= count {
      let spaces = SWAR.leadingSpaceCount(SWAR.word(bytes, at: index))
      index &+= spaces
      if spaces < 8 { break }
    }
    while index < count, !isStructural(bytes[index]) { index += 1 }
    return index
  }

  /// Whether `byte` can start something the scanner acts on: `"`, a number, a literal,
  /// a bracket or a comma. One load from a 128-byte table kept as text in the binary (`A`
  /// for those bytes, `@` for the others), cheaper than the `switch` for runs of other bytes.
  @inline(always)
  static func isStructural(_ byte: UInt8) -> Bool {
    guard byte < 0x80 else { return false }
    let table: StaticString = """
      @@@@@@@@@@@@@@@@\
      @@@@@@@@@@@@@@@@\
      @@A@@@@@@@@@AA@@\
      AAAAAAAAAA@@@@@@\
      @@@@@@@@@@@@@@@@\
      @@@@@@@@@@@A@A@@\
      @@@@@@A@@@@@@@A@\
      @@@@A@@@@@@A@A@@
      """
    return table.utf8Start[Int(byte)] & 1 != 0
  }

  /// Kept out of line: only interesting keys' values get here, and the scanning loop stays
  /// small (its registers are not spent on the recording paths).
  @inline(never)
  private mutating func record(
    _ role: JSONFieldRole, _ bytes: UnsafeRawBufferPointer, start: Int, end: Int,
    escaped: Bool, nesting: Int
  ) {
    // Only a string that may hold JSON is decoded whole; anything else is read up to the
    // longest length it can be kept at, so a 10 MB message costs no more than a short one.
    let mayHoldJSON: Bool
    switch role {
    case .message, .raw, .error: mayHoldJSON = Self.startsLikeJSON(bytes, start: start, end: end)
    default: mayHoldJSON = false
    }
    let limit = mayHoldJSON ? end - start : BodySignals.maximumMessageLength
    if escaped {
      let decoded = JSONStringDecoder.decode(bytes, start: start, end: end, limit: limit)
      decoded.withUnsafeBytes { value in
        record(role, value: value, at: nil, mayHoldJSON: mayHoldJSON, nesting: nesting)
      }
    } else {
      let value = UnsafeRawBufferPointer(rebasing: bytes[start..<min(end, start + limit)])
      record(
        role, value: value, at: origin.map { $0 + start }, mayHoldJSON: mayHoldJSON,
        nesting: nesting)
    }
  }

  /// Records `value`, the (decoded) string value of a key with `role`. `valueOrigin` is where
  /// `value` starts in the inspected body, or `nil` if it is not part of it (decoded bytes):
  /// text kept from it is then copied.
  private mutating func record(
    _ role: JSONFieldRole, value: UnsafeRawBufferPointer, at valueOrigin: Int?,
    mayHoldJSON: Bool, nesting: Int
  ) {
    func text(_ range: Range<Int>) -> BodyText {
      if let valueOrigin {
        return .span((valueOrigin + range.lowerBound)..<(valueOrigin + range.upperBound))
      }
      return .decoded(Array(value[range]))
    }
    let messageRange = 0..<min(value.count, BodySignals.maximumMessageLength)
    switch role {
    case .code:
      if let name = Self.codeName(value) { signals.addCode(text(name)) }
    case .quota:
      if value.count <= Self.maximumCodeLength { signals.addQuotaIdentifier(text(0..<value.count)) }
    case .message, .raw:
      if !(mayHoldJSON && scanEmbeddedJSON(value, at: valueOrigin, nesting: nesting)) {
        signals.addMessage(text(messageRange))
      }
    case .error:
      if Self.looksLikeIdentifier(value) {
        if let name = Self.codeName(value) { signals.addCode(text(name)) }
      } else if !(mayHoldJSON && scanEmbeddedJSON(value, at: valueOrigin, nesting: nesting)) {
        signals.addMessage(text(messageRange))
      }
    case .wait:
      guard signals.waitSeconds == nil else { break }
      signals.waitSeconds = DurationText.seconds(value)
      if signals.waitSeconds == nil, signals.waitUntil == nil {
        // `"retry_after": "2026-03-03T10:05:00Z"` is a time, never a number of seconds.
        signals.waitUntil = Self.time(value)
      }
    case .waitUntil:
      if signals.waitUntil == nil { signals.waitUntil = Self.time(value) }
    case .waitMilliseconds:
      if signals.waitSeconds == nil, let milliseconds = DurationText.seconds(value) {
        signals.waitSeconds = milliseconds / 1_000
      }
    case .retryable:
      break
    }
  }

  /// Whether the string value in `bytes[start..<end]`, decoded, starts (after whitespace) with
  /// `{` or `[`. Escapes are read by ``JSONStringDecoder/escape(_:at:end:)``, the decoder's own
  /// step, so this agrees with what ``scanEmbeddedJSON(_:at:nesting:)`` sees once decoded.
  private static func startsLikeJSON(_ bytes: UnsafeRawBufferPointer, start: Int, end: Int) -> Bool
  {
    var index = start
    while index < end {
      var byte = bytes[index]
      var next = index + 1
      if byte == UInt8(ascii: "\\"), index + 1 < end {
        let (decoded, after) = JSONStringDecoder.escape(bytes, at: index, end: end)
        guard case .byte(let escaped) = decoded else { return false }
        (byte, next) = (escaped, after)
      }
      if !BodyScanner.isWhitespace(byte) {
        return byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[")
      }
      index = next
    }
    return false
  }

  @inline(never)
  private mutating func recordNumber(
    _ role: JSONFieldRole, _ bytes: UnsafeRawBufferPointer, start: Int, end: Int
  ) {
    // Only waits are numbers the classifier keeps: other numbers ("code": 429) are not parsed.
    if role == .waitUntil, signals.waitUntil == nil {
      signals.waitUntil = DurationText.decimal(bytes[start..<end]).flatMap(TimestampText.epoch)
      return
    }
    guard signals.waitSeconds == nil, role == .wait || role == .waitMilliseconds else { return }
    let number = DurationText.decimal(bytes[start..<end])
    switch role {
    case .wait: signals.waitSeconds = number
    case .waitMilliseconds: signals.waitSeconds = number.map { $0 / 1_000 }
    default: break
    }
  }

  /// The range of `value` kept as an identifier (its name, see ``ErrorCode/nameRange(in:)``),
  /// or `nil` if it is empty, too long, or only digits ("401", "1000" only repeat the status
  /// or are opaque).
  private static func codeName(_ value: UnsafeRawBufferPointer) -> Range<Int>? {
    guard !value.isEmpty, value.count <= Self.maximumCodeLength else { return nil }
    if value.allSatisfy({ $0 &- 48 < 10 }) { return nil }
    return ErrorCode.nameRange(in: value)
  }

  /// Scans `value` as JSON if it looks like JSON; returns whether it did. `valueOrigin` is
  /// where `value` starts in the inspected body (`nil` for decoded bytes).
  private mutating func scanEmbeddedJSON(
    _ value: UnsafeRawBufferPointer, at valueOrigin: Int?, nesting: Int
  ) -> Bool {
    guard nesting < Self.maximumNesting else { return false }
    var first = 0
    while first < value.count, BodyScanner.isWhitespace(value[first]) { first += 1 }
    guard first < value.count,
      value[first] == UInt8(ascii: "{") || value[first] == UInt8(ascii: "[")
    else { return false }
    if value[first] == UInt8(ascii: "[") {
      // "[API] Invalid API key" (Shopify) is a message, not an array: an array's first value
      // starts with a bracket, a quote, a digit, a sign or a literal, or it is empty.
      var next = first + 1
      while next < value.count, BodyScanner.isWhitespace(value[next]) { next += 1 }
      guard next < value.count, Self.startsJSONArrayElement(value[next]) else { return false }
    }
    let outerOrigin = origin
    origin = valueOrigin
    scan(value, nesting: nesting + 1)
    origin = outerOrigin
    return true
  }

  /// The time in a string value: an ISO 8601 time (``TimestampText/leadingTimestamp(_:from:)``,
  /// the whole value) or an all-digit Unix epoch; `nil` for anything else.
  private static func time(_ value: UnsafeRawBufferPointer) -> Double? {
    if value.count >= 10, value.count <= 40, value.allSatisfy({ $0 &- 48 < 10 }) {
      return DurationText.decimal(value).flatMap(TimestampText.epoch)
    }
    return TimestampText.leadingTimestamp(value, from: 0)
  }

  /// Whether `byte` may follow the `[` of a JSON array: a value's first byte or `]`.
  private static func startsJSONArrayElement(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "\""),
      UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "t"),
      UInt8(ascii: "f"), UInt8(ascii: "n"):
      return true
    default:
      return false
    }
  }

  /// The index of the closing quote of the string starting at `start` (or the end of the
  /// bytes if it is unterminated), and whether the string contains escapes (a backslash
  /// before its end).
  ///
  /// One forward pass finds both: it stops only at `"` and `\`, eight bytes at a time
  /// where eight are readable (``SWAR/quoteOrBackslashMarks(_:)``), and a backslash makes it step
  /// over the byte after it, so a quote preceded by an odd run of backslashes is passed over.
  static func stringEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> (Int, Bool) {
    let count = bytes.count
    guard start >= 0, start < count else { return (count, false) }
    var index = start
    var escaped = false
    while index < count {
      // Skip to the next `"` or `\`: whole words while eight bytes are readable.
      while index &+ 8 <= count {
        let marks = SWAR.quoteOrBackslashMarks(SWAR.word(bytes, at: index))
        if marks != 0 {
          index &+= SWAR.firstMarked(marks)
          break
        }
        index &+= 8
      }
      while index < count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
        index += 1
      }
      guard index < count else { break }
      if bytes[index] == UInt8(ascii: "\"") { return (index, escaped) }
      escaped = true
      index += 2
    }
    return (count, escaped)
  }

  /// The bytes of `word` that are `"` or `\` (``SWAR/quoteOrBackslashMarks(_:)``: only the
  /// lowest mark is exact, which is the one used).
  @inline(always)
  static func quoteOrBackslashMarks(_ word: UInt64) -> UInt64 { SWAR.quoteOrBackslashMarks(word) }

  private static func isNumberByte(_ byte: UInt8) -> Bool {
    byte &- 48 < 10 || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
      || byte == UInt8(ascii: "+") || byte | 0x20 == UInt8(ascii: "e")
  }

  private static func looksLikeIdentifier(_ value: UnsafeRawBufferPointer) -> Bool {
    value.count <= 64 && !value.contains(UInt8(ascii: " "))
  }
}
