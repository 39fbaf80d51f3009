/// One failed attempt of a call, as the executor saw it.
public struct AttemptFailure: Sendable, CustomStringConvertible {
  /// Which send it was, from 1; 0 when the call stopped before any send.
  public let attempt: Int
  /// The credential the attempt used, or `nil` if none was leased.
  public let credential: CredentialID?
  /// How the failure was classified (redacted evidence).
  public let classification: Classification
  /// What the operation threw, or `nil` when the executor itself ended the attempt (timeout).
  public let error: (any Error)?

  /// Creates a record of one failed attempt.
  public init(
    attempt: Int, credential: CredentialID?, classification: Classification, error: (any Error)?
  ) {
    self.attempt = attempt
    self.credential = credential
    self.classification = classification
    self.error = error
  }

  /// `attempt <n> on <credential>: <classification>`; safe to log.
  public var description: String {
    "attempt \(attempt) on \(credential.map { "\($0)" } ?? "no credential"): \(classification)"
  }
}
