/// Parses the many ways providers write a length of time, in seconds.
///
/// Accepted: plain numbers (`"30"`, `"1.5"`), Go and protobuf durations (`"6m0s"`, `"120ms"`,
/// `"2.463586755s"`, `"1h2m3s"`, `"5us"`), and spoken forms (`"6 seconds"`, `"2 minutes"`).
/// Results are finite and non-negative; anything else is `nil`. Callers cap the value.
enum DurationText {
  /// The seconds in `text` (a header value or a JSON string), or `nil` if it is not a duration.
  static func seconds(_ text: ArraySlice<UInt8>) -> Double? {
    var start = text.startIndex
    var end = text.endIndex
    while start < end, isSpace(text[start]) { start += 1 }
    while end > start, isSpace(text[end - 1]) { end -= 1 }
    guard start < end else { return nil }
    guard let (value, next) = components(text, from: start, end: end, spoken: true), next == end
    else { return nil }
    return value
  }

  /// The duration that starts at `start` in running text ("try again in 9m38.016s."), ignoring
  /// whatever follows it; `nil` if no duration starts there.
  static func leadingSeconds(_ text: UnsafeRawBufferPointer, from start: Int) -> Double? {
    var index = start
    while index < text.count, isSpace(text[index]) { index += 1 }
    let slice = Array(text[index..<min(text.count, index + 48)])[...]
    return components(slice, from: slice.startIndex, end: slice.endIndex, spoken: true)?.0
  }

  /// A plain decimal number such as `"120"`, `"-3"` or `"38.5"`, or `nil`.
  static func decimal<C: Collection<UInt8>>(_ text: C) -> Double? {
    guard !text.isEmpty, text.count <= 64 else { return nil }
    let value = Double(String(decoding: text, as: UTF8.self))
    guard let value, value.isFinite else { return nil }
    return value
  }

  /// Reads `number unit` pairs from `start`; returns the total and where reading stopped.
  private static func components(
    _ text: ArraySlice<UInt8>, from start: Int, end: Int, spoken: Bool
  ) -> (Double, Int)? {
    var index = start
    var total = 0.0
    var parsedAny = false
    while index < end {
      let numberStart = index
      while index < end, text[index] &- 48 < 10 || text[index] == UInt8(ascii: ".") { index += 1 }
      guard index > numberStart, let number = decimal(text[numberStart..<index]) else { break }
      var unitStart = index
      if spoken { while unitStart < end, text[unitStart] == UInt8(ascii: " ") { unitStart += 1 } }
      var unitEnd = unitStart
      while unitEnd < end, isUnitByte(text[unitEnd]) { unitEnd += 1 }
      let unit = unitEnd > unitStart ? multiplier(text[unitStart..<unitEnd]) : nil
      if unitEnd > unitStart, unit == nil {
        // A number followed by an unknown word: not a duration (unless it stands alone).
        if parsedAny { break }
        return nil
      }
      total += number * (unit ?? 1)
      parsedAny = true
      index = unit == nil ? index : unitEnd
      if unit == nil { break }
    }
    guard parsedAny, total.isFinite, total >= 0 else { return nil }
    return (total, index)
  }

  private static func multiplier(_ unit: ArraySlice<UInt8>) -> Double? {
    switch String(decoding: unit.map(PackedWord.lowercased), as: UTF8.self) {
    case "ns", "nanosecond", "nanoseconds": return 1e-9
    case "us", "\u{B5}s", "\u{3BC}s", "microsecond", "microseconds": return 1e-6
    case "ms", "msec", "millisecond", "milliseconds": return 1e-3
    case "s", "sec", "secs", "second", "seconds": return 1
    case "m", "min", "mins", "minute", "minutes": return 60
    case "h", "hr", "hrs", "hour", "hours": return 3_600
    case "d", "day", "days": return 86_400
    default: return nil
    }
  }

  private static func isUnitByte(_ byte: UInt8) -> Bool {
    byte | 0x20 &- 97 < 26 || byte >= 0x80
  }

  private static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == UInt8(ascii: "\"")
  }
}
