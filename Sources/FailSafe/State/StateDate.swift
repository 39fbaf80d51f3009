import Foundation

/// How state files write and read wall-clock dates.
///
/// Written as UTC ISO 8601 with milliseconds (`2026-11-23T16:14:13.120Z`), computed from whole
/// milliseconds rounded to nearest, so reading a date and writing it again gives the same text
/// (a file that did not change is not rewritten). Read from that form, from other ISO 8601
/// forms, or from a number of seconds since 1970. Dates outside 1970...9999 are damage.
enum StateDate {
  /// The earliest date accepted.
  static let earliest = Date(timeIntervalSince1970: 0)
  /// The latest date accepted: the last millisecond of year 9999.
  static let latest = Date(timeIntervalSince1970: 253_402_300_799.999)

  static func format(_ date: Date) -> String {
    let milliseconds = Int64((rounded(date).timeIntervalSince1970 * 1000).rounded())
    let (days, millisecondOfDay) = milliseconds.quotientAndRemainder(dividingBy: 86_400_000)
    let (year, month, day) = civil(fromDays: days)
    let hour = millisecondOfDay / 3_600_000
    let minute = millisecondOfDay / 60_000 % 60
    let second = millisecondOfDay / 1000 % 60
    let millisecond = millisecondOfDay % 1000
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):"
      + "\(pad(second, 2)).\(pad(millisecond, 3))Z"
  }

  static func parse(_ text: String) -> Date? {
    guard text.utf8.count <= 40 else { return nil }
    let bytes = Array(text.utf8)
    if let date = parseCanonical(bytes) { return accepted(date) }
    // The fallback parser is lenient about the year's width; insist on `YYYY-`.
    guard bytes.count > 5, bytes[4] == UInt8(ascii: "-"),
      bytes[0..<4].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
    else { return nil }
    // Other ISO 8601 spellings (offsets, no fraction) written by hand or by other tools.
    let styles: [Date.ISO8601FormatStyle] = [
      Date.ISO8601FormatStyle(includingFractionalSeconds: true),
      Date.ISO8601FormatStyle(),
    ]
    for style in styles {
      if let date = try? style.parse(text) { return accepted(rounded(date)) }
    }
    return nil
  }

  static func fromSeconds(_ seconds: Double) -> Date? {
    guard seconds.isFinite, seconds >= 0, seconds <= latest.timeIntervalSince1970 else {
      return nil
    }
    return rounded(Date(timeIntervalSince1970: seconds))
  }

  /// `date` at whole milliseconds within 1970...9999, as a state file holds it.
  static func rounded(_ date: Date) -> Date {
    let raw = date.timeIntervalSince1970
    // NaN would trap in the conversion below; it means nothing, so it becomes the earliest date.
    let seconds = raw.isNaN ? 0 : min(max(raw, 0), latest.timeIntervalSince1970)
    return Date(timeIntervalSince1970: Double(Int64((seconds * 1000).rounded())) / 1000)
  }

  private static func accepted(_ date: Date) -> Date? {
    (earliest...latest).contains(date) ? date : nil
  }

  private static func pad(_ value: Int64, _ width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }

  /// `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, exactly.
  private static func parseCanonical(_ bytes: [UInt8]) -> Date? {
    func number(_ range: Range<Int>) -> Int64? {
      guard range.upperBound <= bytes.count else { return nil }
      var value: Int64 = 0
      for byte in bytes[range] {
        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
        value = value * 10 + Int64(byte - UInt8(ascii: "0"))
      }
      return value
    }
    func byte(_ index: Int, is character: Unicode.Scalar) -> Bool {
      index < bytes.count && bytes[index] == UInt8(ascii: character)
    }
    guard bytes.count >= 20, byte(4, is: "-"), byte(7, is: "-"), byte(10, is: "T"),
      byte(13, is: ":"), byte(16, is: ":"), bytes.last == UInt8(ascii: "Z"),
      let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
      let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
      (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
    else { return nil }
    var milliseconds: Int64 = 0
    if bytes.count > 20 {
      guard byte(19, is: "."), bytes.count > 21, bytes.count - 21 <= 9,
        let fraction = number(20..<(bytes.count - 1))
      else { return nil }
      let digits = bytes.count - 21
      var scaled = Double(fraction)
      for _ in 0..<digits { scaled /= 10 }
      milliseconds = Int64((scaled * 1000).rounded())
    } else if bytes.count != 20 {
      return nil
    }
    let days = self.days(fromCivil: year, month, day)
    let total = ((days * 24 + hour) * 60 + minute) * 60 + second
    return Date(timeIntervalSince1970: Double(total * 1000 + milliseconds) / 1000)
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's civil algorithm).
  private static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The proleptic Gregorian date of a day count since 1970-01-01 (the inverse of the above).
  private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return (year, month, day)
  }
}
