extension QuotaWindow {
  /// How Google quota ids and metrics name the length of their window, found anywhere in the
  /// identifier in any case (`GenerateRequestsPerDayPerProjectPerModel`,
  /// `generate_content_requests_per_minute_per_project`). A long window named anywhere in a
  /// body wins over a short one.
  static let spellings: [(String, Length)] = [
    ("perday", .long), ("per_day", .long), ("permonth", .long), ("per_month", .long),
    ("daily", .long), ("monthly", .long),
    ("perminute", .short), ("per_minute", .short), ("persecond", .short),
    ("per_second", .short), ("perhour", .short), ("per_hour", .short),
  ]

  /// ``spellings`` built for the search, once, at first use.
  static let table = NeedleTable(spellings)
}
