import Foundation

/// One credential's value under the prefix: the entry JSON of Docs/SharedState.md with a
/// `version` member (the schema), so a value written by a newer FailSafe is recognised.
enum EtcdEntryCodec {
  /// What a stored value reads as.
  enum Decoded {
    /// A FailSafe entry (damaged fields already replaced by safe defaults).
    case entry(PersistedCredentialState)
    /// A FailSafe entry of a newer schema: read as far as possible, never overwritten.
    case newer(PersistedCredentialState, version: Int)
    /// Not a FailSafe value at all: held out of rotation, never overwritten.
    case foreign(PersistedCredentialState)
  }

  private enum VersionKey: String, CodingKey {
    case version
  }

  /// The value's bytes: compact JSON, keys sorted.
  static func encode(_ entry: PersistedCredentialState) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return Array(try encoder.encode(Versioned(entry: entry)))
  }

  private struct Versioned: Encodable {
    var entry: PersistedCredentialState
    func encode(to encoder: any Encoder) throws {
      try entry.encode(to: encoder)
      var container = encoder.container(keyedBy: VersionKey.self)
      try container.encode(PersistedStateDocument.currentVersion, forKey: .version)
    }
  }

  /// Reads `bytes` stored for credential `id`, never failing: damage becomes diagnostics and
  /// safe defaults exactly as in a state file (an unreadable state is paused, `damagedEntry`).
  static func decode(
    _ bytes: [UInt8], id: String, loadedAt: Date, diagnostics: inout [StateDiagnostic]
  ) -> Decoded {
    let parse = LenientJSONParser.parse(bytes)
    let statusKey = PersistedCredentialState.CodingKeys.status.rawValue
    guard case .object(let members, _)? = parse.value,
      members.contains(where: { $0.key == statusKey || $0.key == VersionKey.version.rawValue })
    else {
      diagnostics.append(
        StateDiagnostic(
          credentialID: id,
          message:
            "the value is not a FailSafe entry; keeping the credential out of rotation "
            + "(paused) and never overwriting it (delete the key if it is not needed)"))
      return .foreign(
        PersistedCredentialState(
          status: .paused, reason: StateDocumentReader.damagedEntryReason, updatedAt: loadedAt))
    }
    if let problem = parse.problem {
      diagnostics.append(
        StateDiagnostic(
          credentialID: id,
          message: "the value is damaged (\(problem)); keeping the fields read in full"))
    }
    let value = LenientJSONValue.object(
      members.filter { $0.key != VersionKey.version.rawValue },
      isComplete: parse.problem == nil)
    let entry = StateDocumentReader.entry(
      from: value, id: id, loadedAt: loadedAt, diagnostics: &diagnostics)
    let version = members.last(where: { $0.key == VersionKey.version.rawValue }).flatMap {
      member -> Int? in
      if case .integer(let number) = member.value { return number }
      return nil
    }
    if let version, version > PersistedStateDocument.currentVersion {
      diagnostics.append(
        StateDiagnostic(
          credentialID: id,
          message:
            "written by a newer FailSafe (schema \(version), this one writes "
            + "\(PersistedStateDocument.currentVersion)); read as far as possible, never "
            + "overwritten",
          isDamage: false))
      return .newer(entry, version: version)
    }
    return .entry(entry)
  }
}
