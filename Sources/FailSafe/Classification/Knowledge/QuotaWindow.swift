/// Reads Google `QuotaFailure` quota ids and metrics (`GenerateRequestsPerDayPerProjectPerModel`,
/// `generate_content_requests_per_minute_per_project`) for the length of the window that ran
/// out: a per-day or per-month window is `quotaExhausted` whatever the short `RetryInfo` says;
/// a per-second, per-minute or per-hour window is a `retryable` rate limit.
enum QuotaWindow {
  /// The verdict for the body's quota identifiers (compared ignoring ASCII case), or `nil` if
  /// none names a window. Its source is the first identifier (see ``Verdict/bodySourceField``).
  static func verdict(for body: BodySignals, in inspected: UnsafeRawBufferPointer) -> Verdict? {
    var short = false
    var first: Int?
    for (index, field) in body.fields.enumerated() where field.kind == .quota {
      if first == nil { first = index }
      let window = field.text.withBytes(in: inspected, windows)
      if window.long {
        var verdict = Verdict.decided(.quotaExhausted, .quotaExhausted, .definitive)
        verdict.bodySourceField = index
        return verdict
      }
      if window.short { short = true }
    }
    guard let first, short else { return nil }
    var verdict = Verdict.decided(.retryable, .rateLimited, .definitive)
    verdict.bodySourceField = first
    return verdict
  }

  /// Whether `identifier` names a long window (`perday`, `per_day`, `permonth`, `per_month`,
  /// `daily`, `monthly`) and whether it names a short one (`perminute`, `per_minute`,
  /// `persecond`, `per_second`, `perhour`, `per_hour`), in one pass, ignoring ASCII case: each
  /// needle starts with `p`, `d` or `m`, so only those bytes are looked at further, and they
  /// are found eight bytes at a time (see ``startMarks(_:)``).
  private static func windows(in text: UnsafeRawBufferPointer) -> (long: Bool, short: Bool) {
    var long = false
    var short = false
    let count = text.count
    var index = 0
    while index &+ 8 <= count {
      var marks = startMarks(
        UInt64(littleEndian: text.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
      while marks != 0 {
        note(text, at: index &+ marks.trailingZeroBitCount &>> 3, long: &long, short: &short)
        marks &= marks &- 1
      }
      index &+= 8
    }
    while index < count {
      note(text, at: index, long: &long, short: &short)
      index += 1
    }
    return (long, short)
  }

  /// Bit 7 of byte `k` set if byte `k` of `word` (byte `k` in bits `8k..<8k+8`) may be `p`,
  /// `d` or `m` in any case. Never misses one; a byte just above a match may be marked as well
  /// (the borrow of the zero-byte test), so each mark is checked again by ``note``.
  ///
  /// Setting bit 5 of every byte maps `P` and `p` (and no other byte) to `p`, and likewise for
  /// `d` and `m`: cheaper than lower-casing only the letters, and it marks the same bytes.
  @inline(always)
  static func startMarks(_ word: UInt64) -> UInt64 {
    let lower = word | 0x2020_2020_2020_2020
    return zeroBytes(lower ^ 0x7070_7070_7070_7070) | zeroBytes(lower ^ 0x6464_6464_6464_6464)
      | zeroBytes(lower ^ 0x6D6D_6D6D_6D6D_6D6D)
  }

  /// Bit 7 set in each zero byte of `word` (and possibly in bytes above one).
  @inline(always)
  private static func zeroBytes(_ word: UInt64) -> UInt64 {
    (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
  }

  /// Notes the window a needle starting at `text[index]` names, if any.
  @inline(always)
  private static func note(
    _ text: UnsafeRawBufferPointer, at index: Int, long: inout Bool, short: inout Bool
  ) {
    switch PackedWord.lowercased(text[index]) {
    case UInt8(ascii: "p"):
      guard has(text, at: index, "per") else { break }
      var unit = index + 3
      if unit < text.count, text[unit] == UInt8(ascii: "_") { unit += 1 }
      // Only the units that start with the next byte can match there: the same answer as
      // trying all five (long ones first), with one or two comparisons instead of five.
      switch unit < text.count ? PackedWord.lowercased(text[unit]) : 0 {
      case UInt8(ascii: "d"):
        if has(text, at: unit, "day") { long = true }
      case UInt8(ascii: "m"):
        if has(text, at: unit, "month") {
          long = true
        } else if has(text, at: unit, "minute") {
          short = true
        }
      case UInt8(ascii: "s"):
        if has(text, at: unit, "second") { short = true }
      case UInt8(ascii: "h"):
        if has(text, at: unit, "hour") { short = true }
      default:
        break
      }
    case UInt8(ascii: "d"):
      if has(text, at: index, "daily") { long = true }
    case UInt8(ascii: "m"):
      if has(text, at: index, "monthly") { long = true }
    default:
      break
    }
  }

  /// Whether `text` holds `needle` (lower case) at `index`, ignoring ASCII case.
  @inline(always)
  private static func has(_ text: UnsafeRawBufferPointer, at index: Int, _ needle: StaticString)
    -> Bool
  {
    let count = needle.utf8CodeUnitCount
    guard index + count <= text.count else { return false }
    let pattern = needle.utf8Start
    for offset in 0..<count where PackedWord.lowercased(text[index + offset]) != pattern[offset] {
      return false
    }
    return true
  }
}
