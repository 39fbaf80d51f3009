extension MessageWord {
  /// What a long identifier inside a message means when no spelling is the whole of it, by the
  /// needles it holds (any case): Google quota metric names
  /// (`generate_content_requests_per_minute_per_project`), OpenRouter's
  /// `free-models-per-day-high-balance`. Only words longer than ``PackedWord/maximumLength``
  /// are searched; when several needles occur, the first entry here wins.
  static let needles: [(String, MessageWord)] = [
    ("free-models-per-day", .freeDaily), ("perday", .day), ("per_day", .day), ("per-day", .day),
    ("minute", .minute), ("month", .month), ("context_length", .context),
  ]

  /// ``needles`` built for the search, once, at first use.
  static let needleTable = NeedleTable(needles)
}
