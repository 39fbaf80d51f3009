/// One candidate answer from one piece of evidence, with how much it should be trusted.
///
/// The classifier gathers candidates from the status, the body's identifiers, the message
/// wording and some headers, then keeps the one with the highest ``strength``; on a tie, the
/// first found wins.
struct Verdict {
  /// What the candidate decides.
  enum Outcome {
    /// A fixed answer.
    case decided(Disposition, FailureReason)
    /// A quota signal that does not say which window ran out: a short provider wait means a
    /// rate window (`retryable`), a long or missing one means `quotaExhausted`.
    case quotaUnlessShortWait
  }

  /// How much a candidate is trusted. Higher wins.
  enum Strength: Int, Comparable {
    /// The status code alone.
    case status = 0
    /// A broad category such as `invalid_request_error` or `RESOURCE_EXHAUSTED`.
    case category = 10
    /// A `"retryable": true` flag in the body.
    case flag = 15
    /// A rate-limit header that says the window is empty.
    case rateLimitHeader = 18
    /// The wording of the message.
    case wording = 20
    /// A rate-limit header saying the empty window is a day or longer.
    case quotaHeader = 21
    /// A provider-specific retry header (`stripe-should-retry: true`).
    case retryHeader = 22
    /// An ambiguous but specific identifier (`QUOTA_EXHAUSTED`).
    case ambiguousCode = 25
    /// A specific, documented identifier (`invalid_api_key`, `insufficient_quota`, ...).
    case definitive = 30

    static func < (lhs: Strength, rhs: Strength) -> Bool { lhs.rawValue < rhs.rawValue }
  }

  /// What it decides.
  var outcome: Outcome
  /// How much it is trusted.
  var strength: Strength
  /// The identifier or phrase that produced it, for the evidence text.
  var source: String = ""
  /// The body identifier that produced it, when that is its source instead of ``source``: the
  /// index of its field in ``BodySignals/fields``, lower-cased only if it ends up in the
  /// evidence. An index rather than the field's ``BodyText`` keeps a verdict cheap to copy
  /// (no enum with an array inside to copy and destroy each time the best verdict changes).
  var bodySourceField: Int?

  /// A fixed answer.
  static func decided(
    _ disposition: Disposition, _ reason: FailureReason, _ strength: Strength, source: String = ""
  ) -> Verdict {
    Verdict(outcome: .decided(disposition, reason), strength: strength, source: source)
  }

  /// The disposition, if fixed.
  var disposition: Disposition? {
    if case .decided(let disposition, _) = outcome { return disposition }
    return nil
  }
}
