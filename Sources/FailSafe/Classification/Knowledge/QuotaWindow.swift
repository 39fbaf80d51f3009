/// Reads Google `QuotaFailure` quota ids and metrics (`GenerateRequestsPerDayPerProjectPerModel`,
/// `generate_content_requests_per_minute_per_project`) for the length of the window that ran
/// out: a per-day or per-month window is `quotaExhausted` whatever the short `RetryInfo` says;
/// a per-second, per-minute or per-hour window is a `retryable` rate limit.
enum QuotaWindow {
  /// The verdict for the body's quota identifiers (compared ignoring ASCII case), or `nil` if
  /// none names a window. Its source is the first identifier (see ``Verdict/bodySource``).
  static func verdict(for body: BodySignals, in inspected: UnsafeRawBufferPointer) -> Verdict? {
    var short = false
    var any = false
    for field in body.fields where field.kind == .quota {
      any = true
      let window = field.text.withBytes(in: inspected, windows)
      if window.long {
        var verdict = Verdict.decided(.quotaExhausted, .quotaExhausted, .definitive)
        verdict.bodySource = field.text
        return verdict
      }
      if window.short { short = true }
    }
    guard any, short else { return nil }
    var verdict = Verdict.decided(.retryable, .rateLimited, .definitive)
    verdict.bodySource = body.firstQuotaIdentifier
    return verdict
  }

  /// Whether `identifier` names a long window (`perday`, `per_day`, `permonth`, `per_month`,
  /// `daily`, `monthly`) and whether it names a short one (`perminute`, `per_minute`,
  /// `persecond`, `per_second`, `perhour`, `per_hour`), in one pass, ignoring ASCII case: each
  /// needle starts with `p`, `d` or `m`, so only those bytes are looked at further.
  private static func windows(in text: UnsafeRawBufferPointer) -> (long: Bool, short: Bool) {
    var long = false
    var short = false
    var index = 0
    while index < text.count {
      switch PackedWord.lowercased(text[index]) {
      case UInt8(ascii: "p"):
        guard has(text, at: index, "per") else { break }
        var unit = index + 3
        if unit < text.count, text[unit] == UInt8(ascii: "_") { unit += 1 }
        if has(text, at: unit, "day") || has(text, at: unit, "month") {
          long = true
        } else if has(text, at: unit, "minute") || has(text, at: unit, "second")
          || has(text, at: unit, "hour")
        {
          short = true
        }
      case UInt8(ascii: "d"):
        if has(text, at: index, "daily") { long = true }
      case UInt8(ascii: "m"):
        if has(text, at: index, "monthly") { long = true }
      default:
        break
      }
      index += 1
    }
    return (long, short)
  }

  /// Whether `text` holds `needle` (lower case) at `index`, ignoring ASCII case.
  @inline(__always)
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
