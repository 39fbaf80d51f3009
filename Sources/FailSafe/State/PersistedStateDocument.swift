import Foundation

/// Every credential's breaker state, as one versioned, `Codable` document: the content of a
/// state file.
///
/// Wire format (JSON, keys sorted):
/// `{"format": "failsafe.breaker-state", "version": 1, "savedAt": DATE,
///   "credentials": {ID: {"state": ..., "consecutiveFailures": ..., ...}}}`.
/// Reading is tolerant (see ``read(from:loadedAt:)`` for the safe defaults); writing always produces
/// ``currentVersion``.
public struct PersistedStateDocument: Sendable, Hashable {
  /// The schema version this build writes.
  public static let currentVersion = 1
  /// The value of the `format` field, marking a FailSafe state file.
  public static let formatName = "failsafe.breaker-state"
  /// The longest credential id kept, in UTF-8 bytes. Ids are opaque names or fingerprints,
  /// never secrets; longer ones are not persisted.
  public static let maximumCredentialIDLength = 512

  /// The schema version the document was read with (``currentVersion`` for new documents).
  public var version: Int
  /// When the document was last written, if known.
  public var savedAt: Date?
  /// Each credential's state, by credential id.
  public var credentials: [String: PersistedCredentialState]

  /// Creates a document of the current version.
  public init(credentials: [String: PersistedCredentialState] = [:], savedAt: Date? = nil) {
    self.version = Self.currentVersion
    self.savedAt = savedAt
    self.credentials = credentials
  }

  /// `true` if a newer FailSafe wrote the document: it is read as far as this version
  /// understands, and never overwritten (that would drop what this version cannot see).
  public var isFromNewerVersion: Bool { version > Self.currentVersion }

  /// Reads a state file's bytes, keeping whatever can be read. Never fails: each problem
  /// becomes a diagnostic and costs only the damaged value. Safe defaults, by caution:
  /// - a state that cannot be read (missing, wrong type, unknown name, entry not an object)
  ///   becomes `paused` with reason `damagedEntry`: out of rotation until an operator revives it;
  /// - a readable `dead` or `paused` state stays so whatever else is damaged;
  /// - a damaged streak becomes 0 (1 for `open`, `halfOpen` and `suspended`, which took at least
  ///   one failure to reach); a fraction is cut, a huge value clamped to `Int.max`;
  /// - a damaged reopen time is dropped (restoring then uses the maximum cooldown);
  /// - a damaged `updatedAt` becomes `loadedAt`, so only operator actions after the load
  ///   override the entry;
  /// - a truncated or syntactically broken file keeps every entry read in full before the
  ///   damage; duplicate entries of one credential are merged.
  public static func read(from data: Data, loadedAt: Date) -> StateDocumentReading {
    StateDocumentReader.read(Array(data), loadedAt: loadedAt)
  }

  /// The document as JSON (pretty-printed, keys sorted, version ``currentVersion``).
  public func encoded() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    var copy = self
    copy.version = Self.currentVersion
    return try encoder.encode(copy)
  }

  /// Merges `other` into this document: credentials present in both are merged with
  /// `StateMerge/merge(_:_:)`; the others are kept as they are.
  public func merged(with other: PersistedStateDocument) -> PersistedStateDocument {
    var result = self
    for (id, entry) in other.credentials {
      if let existing = result.credentials[id] {
        result.credentials[id] = StateMerge.merge(existing, entry)
      } else {
        result.credentials[id] = entry
      }
    }
    result.version = max(version, other.version)
    result.savedAt = [savedAt, other.savedAt].compactMap { $0 }.max()
    return result
  }
}

extension PersistedStateDocument: Codable {
  enum CodingKeys: String, CodingKey {
    case format
    case version
    case savedAt
    case credentials
  }

  /// Decodes leniently, like ``read(from:loadedAt:)`` but without its diagnostics and using
  /// the current time for damaged dates.
  public init(from decoder: any Decoder) throws {
    let tree = try LenientJSONValue(from: decoder)
    self = StateDocumentReader.document(from: tree, isComplete: true, loadedAt: Date()).document
  }

  /// Encodes the document; dates are ISO 8601 strings with milliseconds. Credentials whose id
  /// is empty or longer than ``maximumCredentialIDLength`` are left out.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(Self.formatName, forKey: .format)
    try container.encode(version, forKey: .version)
    try container.encodeIfPresent(savedAt.map(StateDate.format), forKey: .savedAt)
    // Ids the reader would skip are not written either: every written entry is bounded.
    try container.encode(
      credentials.filter {
        !$0.key.isEmpty && $0.key.utf8.count <= Self.maximumCredentialIDLength
      }, forKey: .credentials)
  }
}

/// What reading a state file produced: the document, and every problem found on the way.
public struct StateDocumentReading: Sendable, Hashable {
  /// Everything that could be read, with safe defaults where it could not.
  public var document: PersistedStateDocument
  /// The problems found, in file order. Empty for a healthy file.
  public var diagnostics: [StateDiagnostic]
  /// `false` if the bytes do not look like a state file at all (not a JSON object with a
  /// `format`, `version` or `credentials` member, and not empty): probably a wrong path. Stores
  /// never overwrite such a file.
  public var isStateFile: Bool
  /// Where a save that repaired a damaged file kept the damaged bytes (`PATH.damaged`, or
  /// `PATH.damaged.N` when earlier copies are kept), or `nil`: no copy was made.
  public var damagedCopyPath: String?

  /// Creates a reading.
  public init(
    document: PersistedStateDocument, diagnostics: [StateDiagnostic] = [], isStateFile: Bool = true
  ) {
    self.document = document
    self.diagnostics = diagnostics
    self.isStateFile = isStateFile
  }

  /// `true` if any diagnostic reports damage (not merely a newer version).
  public var isDamaged: Bool { diagnostics.contains { $0.isDamage } }
}
