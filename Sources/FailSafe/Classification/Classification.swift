/// The verdict on one failed call: what to do, why, and how long the provider asked to wait.
public struct Classification: Sendable, Hashable, Codable, CustomStringConvertible {
  /// What the failure means for the request and for the credential.
  public var disposition: Disposition
  /// The machine-readable reason, finer than the disposition.
  public var reason: FailureReason
  /// The wait the provider asked for, already capped by the classifier, or `nil` if none.
  public var retryAfter: Duration?
  /// Short human-readable evidence (status, error code, message excerpt).
  /// Invariant: secrets such as API keys and bearer tokens are redacted before they get here.
  public var evidence: String

  /// Creates a classification. `evidence` must already be redacted.
  public init(
    disposition: Disposition,
    reason: FailureReason,
    retryAfter: Duration? = nil,
    evidence: String = ""
  ) {
    self.disposition = disposition
    self.reason = reason
    self.retryAfter = retryAfter
    self.evidence = evidence
  }

  /// `disposition/reason`, the wait if any, and the evidence: safe to log.
  public var description: String {
    var text = "\(disposition)/\(reason)"
    if let retryAfter { text += " retryAfter=\(retryAfter)" }
    if !evidence.isEmpty { text += ": \(evidence)" }
    return text
  }
}
