/// Why ``ClockedCredentialPool/waitUntilUsable(deadline:)`` returned without a usable credential.
public enum CredentialWaitError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The waiting task was cancelled.
  case cancelled
  /// The deadline passed first.
  case deadlineReached

  /// `cancelled` or `deadlineReached`.
  public var description: String {
    switch self {
    case .cancelled: return "cancelled"
    case .deadlineReached: return "deadlineReached"
    }
  }
}
