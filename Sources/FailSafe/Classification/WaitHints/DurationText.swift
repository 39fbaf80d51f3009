/// Parses the many ways providers write a length of time, in seconds.
///
/// Accepted: plain numbers (`"30"`, `"1.5"`), Go and protobuf durations (`"6m0s"`, `"120ms"`,
/// `"2.463586755s"`, `"1h2m3s"`, `"5us"`), and spoken forms (`"6 seconds"`, `"2 minutes"`).
/// Results are finite and non-negative; anything else is `nil`. Callers cap the value.
enum DurationText {
  /// The seconds in a header value, or `nil` if it is not a duration.
  static func seconds(_ text: String) -> Double? {
    var text = text
    return text.withUTF8 { seconds($0) }
  }

  /// The seconds in `text` (a header value or a JSON string), or `nil` if it is not a duration.
  static func seconds<C: RandomAccessCollection<UInt8>>(_ text: C) -> Double? where C.Index == Int {
    var start = text.startIndex
    var end = text.endIndex
    while start < end, isSpace(text[start]) { start += 1 }
    while end > start, isSpace(text[end - 1]) { end -= 1 }
    guard start < end else { return nil }
    // Fast path for the protobuf form most providers send ("38s", "1.5s"): a number, then
    // `s`. The general path reads that number with `decimal` too, multiplies it by the unit
    // `s` (1) and adds it to 0, which for a finite, non-negative number is the number itself;
    // anything else (and a number `decimal` rejects) takes the general path.
    if end - start >= 2, text[end - 1] | 0x20 == UInt8(ascii: "s") {
      // Whole seconds ("38s"), at most 18 digits: `decimal` would return `Double(whole) +
      // 0 / 1`, which is `Double(whole)`, so it is returned without calling it.
      var whole: UInt64 = 0
      var index = start
      while index < end - 1, text[index] &- 48 < 10 {
        whole = whole &* 10 &+ UInt64(text[index] &- 48)
        index += 1
      }
      if index == end - 1, index - start <= 18 { return Double(whole) }
      if text[start..<(end - 1)].allSatisfy({ $0 &- 48 < 10 || $0 == UInt8(ascii: ".") }),
        let number = decimal(text[start..<(end - 1)]), number.isFinite, number >= 0
      {
        return number
      }
    }
    guard let (value, next) = components(text, from: start, end: end, spoken: true), next == end
    else { return nil }
    return value
  }

  /// The duration that starts at `start` in running text ("try again in 9m38.016s."), ignoring
  /// whatever follows it; `nil` if no duration starts there.
  static func leadingSeconds(_ text: UnsafeRawBufferPointer, from start: Int) -> Double? {
    var index = start
    while index < text.count, isSpace(text[index]) { index += 1 }
    // Read in place: the next 48 bytes, rebased so they are indexed from 0.
    let window = UnsafeRawBufferPointer(rebasing: text[index..<min(text.count, index + 48)])
    return components(window, from: 0, end: window.count, spoken: true)?.0
  }

  /// A .NET `TimeSpan` written at `start` in running text: `d.hh:mm:ss` (`"5.03:23:11"`, as
  /// Azure API Management writes when a quota is replenished) or, with `clockForm`, the
  /// `hh:mm:ss` form without days (`"03:30:56"`), each with an optional fraction of a second.
  /// `nil` if no such form starts there.
  ///
  /// Seconds = days x 86,400 + hours x 3,600 + minutes x 60 + seconds, with hours below 24
  /// when days are written, minutes and seconds below 60, at most 8 digits of days (a
  /// `TimeSpan` holds at most 10,675,199 days). Without days the text is also a time of day,
  /// so only a caller that knows a length of time is meant ("in 03:30:56") passes `clockForm`.
  static func leadingTimeSpan(
    _ text: UnsafeRawBufferPointer, from start: Int, clockForm: Bool
  ) -> Double? {
    var index = start
    func digits(atMost limit: Int) -> (value: Int, count: Int) {
      var value = 0
      var count = 0
      while index < text.count, count < limit, text[index] &- 48 < 10 {
        value = value * 10 + Int(text[index] &- 48)
        index += 1
        count += 1
      }
      return (value, count)
    }
    func skip(_ byte: UInt8) -> Bool {
      guard index < text.count, text[index] == byte else { return false }
      index += 1
      return true
    }
    let first = digits(atMost: 9)
    guard first.count > 0, first.count <= 8, index < text.count else { return nil }
    var days = 0
    var hours = first.value
    if text[index] == UInt8(ascii: ".") {
      index += 1
      days = first.value
      let hourDigits = digits(atMost: 3)
      guard hourDigits.count == 2, hourDigits.value < 24 else { return nil }
      hours = hourDigits.value
    } else {
      guard clockForm, first.count <= 2 else { return nil }
    }
    guard skip(UInt8(ascii: ":")) else { return nil }
    let minutes = digits(atMost: 3)
    guard minutes.count == 2, minutes.value < 60, skip(UInt8(ascii: ":")) else { return nil }
    let seconds = digits(atMost: 3)
    guard seconds.count == 2, seconds.value < 60 else { return nil }
    var fraction = 0.0
    if index + 1 < text.count, text[index] == UInt8(ascii: "."), text[index + 1] &- 48 < 10 {
      index += 1
      var scale = 0.1
      while index < text.count, text[index] &- 48 < 10 {
        fraction += Double(text[index] &- 48) * scale
        scale /= 10
        index += 1
      }
    }
    // More of a number or a time after it ("03:30:56:10", "03:30:56-05"): not this form.
    if index < text.count, text[index] &- 48 < 10 || text[index] == UInt8(ascii: ":") {
      return nil
    }
    return Double(days) * 86_400 + Double(hours * 3_600 + minutes.value * 60 + seconds.value)
      + fraction
  }

  /// A plain decimal number such as `"120"`, `"-3"` or `"38.5"`, or `nil`.
  ///
  /// Text longer than 64 bytes is read only if it is digits with at most one `.` (see
  /// ``longDecimal(_:)``): a huge all-digit value is a huge number, never `nil`.
  static func decimal<C: Collection<UInt8>>(_ text: C) -> Double? {
    guard !text.isEmpty else { return nil }
    guard text.count <= 64 else { return longDecimal(text) }
    // Fast path for the usual `123` and `12.345`; anything else goes through `Double`.
    var whole: UInt64 = 0
    var fraction: UInt64 = 0
    var fractionDigits = 0
    var seenPoint = false
    var simple = text.count <= 18
    for byte in text where simple {
      if byte == UInt8(ascii: ".") {
        simple = !seenPoint
        seenPoint = true
      } else if byte &- 48 < 10 {
        if seenPoint {
          fraction = fraction &* 10 &+ UInt64(byte &- 48)
          fractionDigits += 1
        } else {
          whole = whole &* 10 &+ UInt64(byte &- 48)
        }
      } else {
        simple = false
      }
    }
    if simple, !(seenPoint && fractionDigits == 0 && text.count == 1) {
      return Double(whole) + Double(fraction) / Self.powersOfTen[fractionDigits]
    }
    let value = Double(String(decoding: text, as: UTF8.self))
    guard let value, value.isFinite else { return nil }
    return value
  }

  /// The significant integer digits from which ``longDecimal(_:)`` gives
  /// `Double.greatestFiniteMagnitude`: such a value is at least 10^308.
  private static let maximumSignificantDigits = 309

  /// An unsigned decimal longer than 64 bytes (`"000…05"`, `"7.000…"`, 400 nines), or `nil` if
  /// `text` is not only digits with at most one `.`.
  ///
  /// Work is linear in `text` and no copy of it is made: leading zeros are skipped, an integer
  /// part of more than 18 significant digits is read without its fraction (which is below
  /// `Double`'s precision there), one of 309 or more is `greatestFiniteMagnitude` (callers
  /// cap it), and a fraction is read to 18 digits (an error below 10^-18).
  private static func longDecimal<C: Collection<UInt8>>(_ text: C) -> Double? {
    var integerDigits: [UInt8] = []
    var fractionDigits: [UInt8] = []
    var significantDigits = 0
    var seenDigit = false
    var seenPoint = false
    for byte in text {
      if byte == UInt8(ascii: ".") {
        if seenPoint { return nil }
        seenPoint = true
        continue
      }
      guard byte &- 48 < 10 else { return nil }
      seenDigit = true
      if seenPoint {
        if fractionDigits.count < 18 { fractionDigits.append(byte) }
      } else if significantDigits > 0 || byte != UInt8(ascii: "0") {
        if significantDigits < maximumSignificantDigits { integerDigits.append(byte) }
        significantDigits = min(significantDigits &+ 1, maximumSignificantDigits)
      }
    }
    guard seenDigit else { return nil }
    if significantDigits >= maximumSignificantDigits { return .greatestFiniteMagnitude }
    if significantDigits > 18 {
      return Double(String(decoding: integerDigits, as: UTF8.self)) ?? .greatestFiniteMagnitude
    }
    // At most 18 + 1 + 18 bytes: the ordinary path reads them.
    var short = integerDigits.isEmpty ? [UInt8(ascii: "0")] : integerDigits
    if !fractionDigits.isEmpty { short += [UInt8(ascii: ".")] + fractionDigits }
    return decimal(short)
  }

  private static let powersOfTen: [Double] = (0...18).map { pow10($0) }

  private static func pow10(_ exponent: Int) -> Double {
    var value = 1.0
    for _ in 0..<exponent { value *= 10 }
    return value
  }

  /// Reads `number unit` pairs from `start`; returns the total and where reading stopped.
  private static func components<C: RandomAccessCollection<UInt8>>(
    _ text: C, from start: Int, end: Int, spoken: Bool
  ) -> (Double, Int)? where C.Index == Int {
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
      // Finite parts whose total overflows make a huge value, not an infinite one.
      total = min(total + number * (unit ?? 1), .greatestFiniteMagnitude)
      parsedAny = true
      index = unit == nil ? index : unitEnd
      if unit == nil { break }
    }
    guard parsedAny, total.isFinite, total >= 0 else { return nil }
    return (total, index)
  }

  private static func multiplier<C: Collection<UInt8>>(_ unit: C) -> Double? {
    guard unit.count <= 12 else { return nil }
    var packed: UInt128 = 0
    var shift: UInt128 = 0
    for byte in unit {
      packed |= UInt128(PackedWord.lowercased(byte)) &<< shift
      shift += 8
    }
    // One hash probe instead of a search through the list; the table keeps the first of
    // equal keys, as the search did. (A unit is never empty, so `packed` is never 0.)
    return units[PackedWord(bits: packed)]
  }

  private static let units: PackedWordTable<Double> = {
    let table: [(String, Double)] = [
      ("ns", 1e-9), ("nanosecond", 1e-9), ("nanoseconds", 1e-9), ("us", 1e-6),
      ("\u{B5}s", 1e-6), ("\u{3BC}s", 1e-6), ("microsecond", 1e-6), ("microseconds", 1e-6),
      ("ms", 1e-3), ("msec", 1e-3), ("millisecond", 1e-3), ("milliseconds", 1e-3), ("s", 1),
      ("sec", 1), ("secs", 1), ("second", 1), ("seconds", 1), ("m", 60), ("min", 60),
      ("mins", 60), ("minute", 60), ("minutes", 60), ("h", 3_600), ("hr", 3_600),
      ("hrs", 3_600), ("hour", 3_600), ("hours", 3_600), ("d", 86_400), ("day", 86_400),
      ("days", 86_400),
    ]
    return PackedWordTable(table.compactMap { name, value in PackedWord(name).map { ($0, value) } })
  }()

  private static func isUnitByte(_ byte: UInt8) -> Bool {
    byte | 0x20 &- 97 < 26 || byte >= 0x80
  }

  private static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == UInt8(ascii: "\"")
  }
}
