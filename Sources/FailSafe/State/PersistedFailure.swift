import Foundation

/// The first error that opened, suspended, paused or killed a credential, as persisted.
///
/// Only the classification is kept: disposition, reason and redacted evidence. Evidence is
/// passed through ``SecretRedactor`` (again), cut to ``maximumEvidenceLength`` characters and
/// stripped of control characters, so a state file stays small, holds no secret, and printing
/// it cannot drive a terminal.
public struct PersistedFailure: Sendable, Hashable, Codable {
  /// The longest evidence kept, in characters.
  public static let maximumEvidenceLength = 300

  /// The disposition of the failure, if known.
  public var disposition: Disposition?
  /// The machine-readable reason.
  public var reason: FailureReason
  /// Short, redacted evidence (status, error code, message excerpt).
  public var evidence: String
  /// When the failure was seen, by the wall clock, if known.
  public var at: Date?
  /// Failures after this one in the same episode: counted, not stored.
  public var repeats: Int

  /// Creates a record; `evidence` is redacted and bounded here. A negative `repeats` becomes
  /// zero.
  public init(
    disposition: Disposition?, reason: FailureReason, evidence: String, at: Date? = nil,
    repeats: Int = 0
  ) {
    self.disposition = disposition
    self.reason = reason
    // Redacted again, whatever the caller or the file says: no secret reaches a state file or
    // an operator's screen, even from a hand-edited file.
    self.evidence = StateText.redactedEvidence(evidence, limit: Self.maximumEvidenceLength)
    self.at = at
    self.repeats = max(0, repeats)
  }

  /// Creates a record from a classification (already redacted by the classifier).
  public init(_ classification: Classification, at: Date? = nil, repeats: Int = 0) {
    self.init(
      disposition: classification.disposition, reason: classification.reason,
      evidence: classification.evidence, at: at, repeats: repeats)
  }
}
