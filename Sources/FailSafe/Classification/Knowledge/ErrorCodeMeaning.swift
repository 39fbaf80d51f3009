/// One row of ``ErrorCode/meanings``: identifiers that all mean the same thing.
struct ErrorCodeMeaning: Sendable {
  /// The identifiers, as the providers document them (any case).
  let codes: [String]
  /// What each of them means.
  let verdict: Verdict

  /// Identifiers that decide `disposition` for `reason`, trusted as `strength`.
  init(
    _ codes: [String], _ disposition: Disposition, _ reason: FailureReason,
    _ strength: Verdict.Strength = .definitive
  ) {
    self.codes = codes
    self.verdict = Verdict(outcome: .decided(disposition, reason), strength: strength)
  }

  /// Identifiers with an `outcome` that is not a fixed answer, trusted as `strength`.
  init(_ codes: [String], _ outcome: Verdict.Outcome, _ strength: Verdict.Strength) {
    self.codes = codes
    self.verdict = Verdict(outcome: outcome, strength: strength)
  }
}
