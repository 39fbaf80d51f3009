/// Why a ``CredentialPool`` could not be created.
public enum CredentialPoolError: Error, Sendable, Hashable, CustomStringConvertible {
  /// A pool needs at least one credential.
  case empty
  /// Two credentials were given the same id.
  case duplicateID(CredentialID)

  /// A sentence naming the problem; never a secret.
  public var description: String {
    switch self {
    case .empty: return "a credential pool needs at least one credential"
    case .duplicateID(let id): return "credential id \(id) appears more than once in the pool"
    }
  }
}
