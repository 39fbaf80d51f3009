/// Reads Google `QuotaFailure` quota ids and metrics (`GenerateRequestsPerDayPerProjectPerModel`,
/// `generate_content_requests_per_minute_per_project`) for the length of the window that ran
/// out: a per-day or per-month window is `quotaExhausted` whatever the short `RetryInfo` says;
/// a per-second, per-minute or per-hour window is a `retryable` rate limit. The spellings are
/// data, in ``spellings``.
enum QuotaWindow {
  /// The verdict for the body's quota identifiers (compared ignoring ASCII case), or `nil` if
  /// none names a window. Its source is the first identifier (see ``Verdict/bodySourceField``).
  static func verdict(for body: BodySignals, in inspected: UnsafeRawBufferPointer) -> Verdict? {
    var short = false
    var first: Int?
    let table = Self.table
    for (index, field) in body.fields.enumerated() where field.kind == .quota {
      if first == nil { first = index }
      let window = field.text.withBytes(in: inspected) { windows(in: $0, table) }
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

  /// How long a window is: what decides between a quota and a rate limit.
  enum Length {
    /// A day or more: waiting minutes does not help.
    case long
    /// Up to an hour: a rate window that reopens soon.
    case short
  }

  /// Whether `text` names a long window and whether it names a short one (``spellings``, any
  /// case, anywhere in it), in one pass; `table` is ``table``.
  private static func windows(in text: UnsafeRawBufferPointer, _ table: NeedleTable<Length>)
    -> (long: Bool, short: Bool)
  {
    var long = false
    var short = false
    table.forEachMatch(in: text) { _, length in
      switch length {
      case .long: long = true
      case .short: short = true
      }
    }
    return (long, short)
  }

  /// Marks of the bytes of `word` that may start a window's spelling (never missing one; see
  /// ``NeedleTable/firstByteMarks(_:)``).
  static func startMarks(_ word: UInt64) -> UInt64 { table.firstByteMarks(word) }
}
