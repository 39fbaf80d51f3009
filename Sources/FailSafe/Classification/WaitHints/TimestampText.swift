/// Parses absolute times into seconds since 1970 without `DateFormatter` (slow, and
/// locale-sensitive): HTTP-dates (RFC 9110: IMF-fixdate, RFC 850, asctime), RFC 3339
/// timestamps, and Unix epochs in seconds or milliseconds.
///
/// Every field is range-checked before any arithmetic, so hostile input returns `nil` rather
/// than trapping; years up to 9999 are accepted (the caller caps the resulting wait).
enum TimestampText {
  /// Seconds since 1970 for an HTTP-date such as `"Fri, 13 Feb 2026 10:20:30 GMT"`.
  static func httpDate(_ text: String) -> Double? {
    if let fixed = imfFixdate(Array(text.utf8)) { return fixed }
    let parts = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" })
    // IMF-fixdate "Fri, 13 Feb 2026 10:20:30 GMT" and RFC 850 "Friday, 13-Feb-26 10:20:30 GMT".
    if parts.count == 6, let day = Int(parts[1]), let month = monthNumber(parts[2]),
      var year = Int(parts[3]), let time = clock(parts[4])
    {
      if parts[3].count == 2 { year += year < 70 ? 2000 : 1900 }
      return epoch(year: year, month: month, day: day, seconds: time)
    }
    // asctime "Fri Feb 13 10:20:30 2026".
    if parts.count == 5, let month = monthNumber(parts[1]), let day = Int(parts[2]),
      let time = clock(parts[3]), let year = Int(parts[4])
    {
      return epoch(year: year, month: month, day: day, seconds: time)
    }
    return nil
  }

  /// The common IMF-fixdate form, parsed from bytes at fixed offsets:
  /// `Sun, 06 Nov 1994 08:49:37 GMT`.
  private static func imfFixdate(_ bytes: [UInt8]) -> Double? {
    guard bytes.count == 29, bytes[3] == UInt8(ascii: ","), bytes[25] == 0x20,
      bytes[26] == UInt8(ascii: "G"), bytes[27] == UInt8(ascii: "M"),
      bytes[28] == UInt8(ascii: "T"), let day = number(bytes, 5, 2),
      let year = number(bytes, 12, 4), let hour = number(bytes, 17, 2),
      let minute = number(bytes, 20, 2), let second = number(bytes, 23, 2),
      hour < 24, minute < 60, second <= 60
    else { return nil }
    let monthKey = bytes[8...10].map { UInt32(PackedWord.lowercased($0)) }.reduce(0) {
      $0 << 8 | $1
    }
    guard let month = monthKeys.firstIndex(of: monthKey) else { return nil }
    return epoch(
      year: year, month: month + 1, day: day, seconds: hour * 3_600 + minute * 60 + second)
  }

  private static let monthKeys: [UInt32] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
  ].map { $0.utf8.reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }

  /// Seconds since 1970 for an RFC 3339 timestamp such as `"2026-02-12T08:18:19.5Z"` or
  /// `"2026-02-12T09:18:19+01:00"`.
  static func rfc3339(_ text: String) -> Double? {
    let bytes = Array(text.utf8)
    guard bytes.count >= 20, bytes.count <= 40, bytes[4] == UInt8(ascii: "-"),
      bytes[7] == UInt8(ascii: "-"), bytes[10] | 0x20 == UInt8(ascii: "t") || bytes[10] == 0x20,
      let year = number(bytes, 0, 4), let month = number(bytes, 5, 2),
      let day = number(bytes, 8, 2), let hour = number(bytes, 11, 2),
      let minute = number(bytes, 14, 2), let second = number(bytes, 17, 2)
    else { return nil }
    var index = 19
    var fraction = 0.0
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      let start = index
      index += 1
      while index < bytes.count, bytes[index] &- 48 < 10 { index += 1 }
      fraction = DurationText.decimal(bytes[start..<index]) ?? 0
    }
    guard index < bytes.count, hour < 24, minute < 60, second <= 60 else { return nil }
    var offset = 0
    switch bytes[index] {
    case UInt8(ascii: "Z"), UInt8(ascii: "z"):
      guard index + 1 == bytes.count else { return nil }
    case UInt8(ascii: "+"), UInt8(ascii: "-"):
      guard index + 6 == bytes.count, let hours = number(bytes, index + 1, 2),
        let minutes = number(bytes, index + 4, 2), hours < 24, minutes < 60
      else { return nil }
      offset = (hours * 3_600 + minutes * 60) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
    default:
      return nil
    }
    let seconds = hour * 3_600 + minute * 60 + second
    return epoch(year: year, month: month, day: day, seconds: seconds).map {
      $0 - Double(offset) + fraction
    }
  }

  /// Seconds since 1970 for a Unix epoch given in seconds (10 digits today) or milliseconds
  /// (13 digits); values below 10^9 are not epochs and give `nil`.
  static func epoch(_ value: Double) -> Double? {
    guard value.isFinite, value >= 1e9 else { return nil }
    return value >= 1e11 ? value / 1_000 : value
  }

  private static func epoch(year: Int, month: Int, day: Int, seconds: Int) -> Double? {
    guard (1970...9999).contains(year), (1...12).contains(month), (1...31).contains(day),
      (0...86_400).contains(seconds)
    else { return nil }
    // Days from civil (proleptic Gregorian), after Howard Hinnant's public-domain algorithm.
    let shiftedYear = month <= 2 ? year - 1 : year
    let era = shiftedYear / 400
    let yearOfEra = shiftedYear - era * 400
    let monthIndex = (month + 9) % 12
    let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    let days = era * 146_097 + dayOfEra - 719_468
    return Double(days) * 86_400 + Double(seconds)
  }

  private static func clock(_ text: Substring) -> Int? {
    let fields = text.split(separator: ":")
    guard fields.count == 3, let hour = Int(fields[0]), let minute = Int(fields[1]),
      let second = Int(fields[2]), (0..<24).contains(hour), (0..<60).contains(minute),
      (0...60).contains(second)
    else { return nil }
    return hour * 3_600 + minute * 60 + second
  }

  private static func monthNumber(_ text: Substring) -> Int? {
    let names = [
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    return names.firstIndex(of: text.lowercased()).map { $0 + 1 }
  }

  private static func number(_ bytes: [UInt8], _ start: Int, _ length: Int) -> Int? {
    guard start + length <= bytes.count else { return nil }
    var value = 0
    for index in start..<(start + length) {
      let digit = bytes[index] &- 48
      guard digit < 10 else { return nil }
      value = value * 10 + Int(digit)
    }
    return value
  }
}

extension TimestampText {
  /// Seconds since 1970 for an ISO 8601 time that starts at `start` in running text, ignoring
  /// what follows it: `2026-02-12T08:18:19Z`, `2026-02-12T09:18:19.5+01:00`,
  /// `2026-02-12 08:18 UTC`, `2026-02-12` (midnight). A time without a zone is UTC. `nil` if
  /// no valid date starts there: a date is never read as a number.
  static func leadingTimestamp(_ text: UnsafeRawBufferPointer, from start: Int) -> Double? {
    let end = min(text.count, start + 40)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(end - start)
    for index in start..<end { bytes.append(text[index]) }
    guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
      let year = number(bytes, 0, 4), let month = number(bytes, 5, 2),
      let day = number(bytes, 8, 2)
    else { return nil }
    var index = 10
    var seconds = 0
    var fraction = 0.0
    if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "t") || bytes[index] == 0x20,
      let hour = number(bytes, index + 1, 2), index + 3 < bytes.count,
      bytes[index + 3] == UInt8(ascii: ":"), let minute = number(bytes, index + 4, 2)
    {
      guard hour < 24, minute < 60 else { return nil }
      seconds = hour * 3_600 + minute * 60
      index += 6
      if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
        guard let second = number(bytes, index + 1, 2), second <= 60 else { return nil }
        seconds += second
        index += 3
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
          let fractionStart = index
          index += 1
          while index < bytes.count, bytes[index] &- 48 < 10 { index += 1 }
          fraction = DurationText.decimal(bytes[fractionStart..<index]) ?? 0
        }
      }
      index = min(index, bytes.count)
      seconds -= zoneOffset(bytes, at: index)
    }
    return epoch(year: year, month: month, day: day, seconds: 0).map {
      $0 + Double(seconds) + fraction
    }
  }

  /// The offset east of UTC, in seconds, of a zone at `index`: `+01:00`, `-0500`; 0 for `Z`,
  /// ` UTC`, ` GMT` or none.
  private static func zoneOffset(_ bytes: [UInt8], at index: Int) -> Int {
    guard index < bytes.count,
      bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"),
      let hours = number(bytes, index + 1, 2), hours < 24
    else { return 0 }
    let minuteStart =
      index + 3 < bytes.count && bytes[index + 3] == UInt8(ascii: ":")
      ? index + 4 : index + 3
    let minutes = number(bytes, minuteStart, 2).map { $0 < 60 ? $0 : 0 } ?? 0
    let offset = hours * 3_600 + minutes * 60
    return bytes[index] == UInt8(ascii: "-") ? -offset : offset
  }
}
