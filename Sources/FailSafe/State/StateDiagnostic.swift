/// Something wrong found while reading a state file, and what was done about it.
///
/// Loading never fails because of damage: each problem becomes a diagnostic, and the damaged
/// part gets a safe default (a credential whose state cannot be read is kept out of rotation).
public struct StateDiagnostic: Sendable, Hashable, CustomStringConvertible {
  /// The credential the problem concerns, or `nil` for the file as a whole.
  public var credentialID: String?
  /// The field the problem concerns, or `nil`.
  public var field: String?
  /// What was wrong and what was used instead.
  public var message: String
  /// `true` if the file is damaged; `false` for a note that is not damage (a file written by
  /// a newer version, which is read as far as possible but is not broken).
  public var isDamage: Bool

  /// Creates a diagnostic.
  public init(
    credentialID: String? = nil, field: String? = nil, message: String, isDamage: Bool = true
  ) {
    self.credentialID = credentialID
    self.field = field
    self.message = message
    self.isDamage = isDamage
  }

  /// `credential 'ID': field 'NAME': MESSAGE`, with the parts that apply. Safe to print: the
  /// id is stripped of control characters and bounded.
  public var description: String {
    var parts: [String] = []
    if let credentialID {
      parts.append("credential '\(StateText.bounded(credentialID, to: 80))'")
    }
    if let field { parts.append("field '\(field)'") }
    parts.append(message)
    return parts.joined(separator: ": ")
  }
}
