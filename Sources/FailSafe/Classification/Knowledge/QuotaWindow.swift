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
    ["perday", "per_day", "per-day", "permonth", "per_month", "daily", "monthly"].contains {
      identifier.contains($0)
    }
  }

  private static func isShort(_ identifier: String) -> Bool {
    ["perminute", "per_minute", "persecond", "per_second", "perhour", "per_hour"].contains {
      identifier.contains($0)
    }
  }
}
