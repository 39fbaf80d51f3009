/// Reads the wait that running text states after "retry after", "try again in", "wait" and
/// the like: a duration (`30s`, `9m38.016s`, `"120" seconds`, `24 hours`) or a time
/// (`2026-02-12T08:18:19Z`, `2026-02-12 08:18 UTC`, a Unix epoch).
///
/// A time is never read as a number of seconds: a number followed by `-`, `/` or `:` is the
/// start of a date or a clock time, parsed as one (``TimestampText/leadingTimestamp(_:from:)``)
/// or, if it is not a valid one, no wait at all; a bare number of ten or more digits is an
/// epoch.
enum WaitText {
  /// What the text states.
  enum Stated: Equatable {
    /// A wait, in seconds.
    case seconds(Double)
    /// A time, in seconds since 1970.
    case time(Double)
  }

  /// The wait or time stated at `start` in `text`, after spaces, quotes and a colon; `nil`
  /// if none starts there. `afterIn` says the words before were "... in" ("try again in",
  /// "replenished in"), which names a length of time: there `03:30:56` is three and a half
  /// hours, not a time of day. A `TimeSpan` with days (`5.03:23:11`) is a length anywhere.
  static func read(_ text: UnsafeRawBufferPointer, from start: Int, afterIn: Bool = false)
    -> Stated?
  {
    var index = start
    while index < text.count, isLeading(text[index]) { index += 1 }
    guard index < text.count, text[index] &- 48 < 10 else { return nil }
    if let timeSpan = DurationText.leadingTimeSpan(text, from: index, clockForm: afterIn) {
      return .seconds(timeSpan)
    }
    var digitsEnd = index
    while digitsEnd < text.count, text[digitsEnd] &- 48 < 10 { digitsEnd += 1 }
    // `1.24:00:00`, `2.5:00`: a span that is not a valid one, never `1.24` or `2.5` seconds.
    var fractionEnd = digitsEnd
    if fractionEnd < text.count, text[fractionEnd] == UInt8(ascii: ".") {
      fractionEnd += 1
      while fractionEnd < text.count, text[fractionEnd] &- 48 < 10 { fractionEnd += 1 }
      if fractionEnd > digitsEnd + 1, fractionEnd < text.count,
        text[fractionEnd] == UInt8(ascii: ":")
      {
        return nil
      }
    }
    if digitsEnd < text.count, isDateOrClockSeparator(text[digitsEnd]) {
      return TimestampText.leadingTimestamp(text, from: index).map { .time($0) }
    }
    guard let seconds = DurationText.leadingSeconds(text, from: index) else { return nil }
    if digitsEnd - index >= 10, let epoch = TimestampText.epoch(seconds),
      !hasUnit(text, after: digitsEnd)
    {
      return .time(epoch)
    }
    return .seconds(seconds)
  }

  /// Spaces, quotes, backticks and a colon may stand between the words and the number.
  private static func isLeading(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
      || byte == UInt8(ascii: "`") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "=")
  }

  private static func isDateOrClockSeparator(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "-") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ":")
  }

  /// Whether a unit letter follows the number ending at `index` (after spaces): `86400 s`.
  private static func hasUnit(_ text: UnsafeRawBufferPointer, after index: Int) -> Bool {
    var index = index
    if index < text.count, text[index] == UInt8(ascii: ".") {
      index += 1
      while index < text.count, text[index] &- 48 < 10 { index += 1 }
    }
    while index < text.count, text[index] == 0x20 { index += 1 }
    return index < text.count && (text[index] | 0x20) &- 97 < 26
  }
}
