/// Reads Google `QuotaFailure` quota ids and metrics (`GenerateRequestsPerDayPerProjectPerModel`,
/// `generate_content_requests_per_minute_per_project`) for the length of the window that ran
/// out: a per-day or per-month window is `quotaExhausted` whatever the short `RetryInfo` says;
/// a per-second, per-minute or per-hour window is a `retryable` rate limit.
enum QuotaWindow {
  /// The verdict for the quota identifiers (lower-cased), or `nil` if none names a window.
  static func verdict(for identifiers: [String]) -> Verdict? {
    guard !identifiers.isEmpty else { return nil }
    var short = false
    for identifier in identifiers {
      if isLong(identifier) {
        return .decided(.quotaExhausted, .quotaExhausted, .definitive, source: identifier)
      }
      if isShort(identifier) { short = true }
    }
    return short
      ? .decided(.retryable, .rateLimited, .definitive, source: identifiers[0]) : nil
  }

  private static func isLong(_ identifier: String) -> Bool {
    ASCIISearch.contains(identifier, "perday") || ASCIISearch.contains(identifier, "per_day")
      || ASCIISearch.contains(identifier, "permonth")
      || ASCIISearch.contains(identifier, "per_month") || ASCIISearch.contains(identifier, "daily")
      || ASCIISearch.contains(identifier, "monthly")
  }

  private static func isShort(_ identifier: String) -> Bool {
    ASCIISearch.contains(identifier, "perminute") || ASCIISearch.contains(identifier, "per_minute")
      || ASCIISearch.contains(identifier, "persecond")
      || ASCIISearch.contains(identifier, "per_second")
      || ASCIISearch.contains(identifier, "perhour") || ASCIISearch.contains(identifier, "per_hour")
  }
}
