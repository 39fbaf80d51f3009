import Foundation

/// Where a pool reads the current value of a credential, so that a key changed in its home (a
/// settings file, a reloaded environment, a secrets manager) is noticed without a restart.
///
/// The pool reads a source only while a credential is unusable for good (dead, or paused after
/// an `unauthorized` answer it could not refresh), on its own slow schedule
/// (``CredentialSourcing/checkInterval``): a local read, never a request to the provider. A
/// value different from the one in use is installed exactly as
/// ``ClockedCredentialPool/replace(_:with:)`` does; the same value changes nothing.
///
/// `read` returns the value for an id, or throws (``CredentialSourceError`` or the reader's
/// own error) when it cannot say: an unreadable or empty source changes nothing and is
/// reported to ``CredentialSourcing/onProblem``.
public struct CredentialSource<Credential: Sendable>: Sendable {
  /// Reads the current value of the credential `id`.
  public let read: @Sendable (CredentialID) async throws -> Credential

  /// A source read by `read`.
  public init(read: @escaping @Sendable (CredentialID) async throws -> Credential) {
    self.read = read
  }

  /// Fixed values that never change: what a pool does without a source.
  public static func fixed(_ values: [CredentialID: Credential]) -> CredentialSource {
    CredentialSource { id in
      guard let value = values[id] else { throw CredentialSourceError.noValue(id, where: "fixed") }
      return value
    }
  }
}

extension CredentialSource where Credential == String {
  /// Reads credentials from the file at `path`, as `format` lays them out. The file is read anew
  /// at every check; surrounding whitespace is trimmed, and an empty value is an error, never
  /// handed out.
  ///
  /// - Parameters:
  ///   - path: the file.
  ///   - format: the whole file is one value, or one `KEY=value` per line, or a JSON object.
  ///   - name: the key that holds credential `id`'s value in a `KEY=value` or JSON file; the
  ///     id itself by default. Ignored for ``CredentialFileFormat/value``.
  public static func file(
    atPath path: String, format: CredentialFileFormat = .value,
    name: @escaping @Sendable (CredentialID) -> String = { $0.rawValue }
  ) -> CredentialSource {
    CredentialSource { id in
      let text = try CredentialFile.read(path, for: id)
      let value: String?
      switch format {
      case .value: value = text
      case .keyValue: value = CredentialFile.keyValue(text, name: name(id))
      case .json: value = try CredentialFile.json(text, name: name(id), path: path, id: id)
      }
      guard let value else { throw CredentialSourceError.noValue(id, where: path) }
      let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !trimmed.isEmpty else { throw CredentialSourceError.empty(id, path: path) }
      return trimmed
    }
  }

  /// Reads each credential from its own file in `directory`, named after the id (for example a
  /// mounted secrets volume: `/run/secrets/<id>`); whitespace trimmed, empty refused.
  public static func files(inDirectory directory: String) -> CredentialSource {
    CredentialSource { id in
      let path = URL(fileURLWithPath: directory).appendingPathComponent(id.rawValue).path
      return try await file(atPath: path).read(id)
    }
  }
}

/// How a credential file lays out its values.
public enum CredentialFileFormat: String, Sendable, Hashable, CaseIterable {
  /// The whole file is the value (one credential per file).
  case value
  /// One `KEY=value` per line, as in an environment file: `#` comments, blank lines and an
  /// `export ` prefix are allowed, and one pair of surrounding quotes is removed.
  case keyValue
  /// A JSON object whose string members are the values.
  case json
}

/// Why a ``CredentialSource`` could not give a value. Never carries the value itself.
public enum CredentialSourceError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The file could not be read.
  case unreadable(CredentialID, path: String, reason: String)
  /// The source holds no value for the credential.
  case noValue(CredentialID, where: String)
  /// The value is empty once whitespace is trimmed: never handed out.
  case empty(CredentialID, path: String)
  /// The file is not the format it was said to be.
  case malformed(CredentialID, path: String, reason: String)

  /// A sentence naming the credential and the place; never a secret.
  public var description: String {
    switch self {
    case .unreadable(let id, let path, let reason):
      return "credential \(id): cannot read \(path): \(reason)"
    case .noValue(let id, let place): return "credential \(id): no value in \(place)"
    case .empty(let id, let path): return "credential \(id): the value in \(path) is empty"
    case .malformed(let id, let path, let reason):
      return "credential \(id): \(path) is malformed: \(reason)"
    }
  }
}

/// Reading and parsing credential files.
enum CredentialFile {
  /// Credential files are small; a larger one is refused rather than read into memory.
  static let maximumBytes = 1 << 20

  static func read(_ path: String, for id: CredentialID) throws(CredentialSourceError) -> String {
    let data: Data
    do {
      let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
      defer { try? handle.close() }
      data = try handle.read(upToCount: maximumBytes + 1) ?? Data()
    } catch {
      throw .unreadable(id, path: path, reason: (error as NSError).localizedDescription)
    }
    guard data.count <= maximumBytes else {
      throw .unreadable(id, path: path, reason: "larger than \(maximumBytes) bytes")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw .malformed(id, path: path, reason: "not UTF-8")
    }
    // A byte-order mark is not part of the value.
    return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
  }

  /// The value of `name` in `KEY=value` lines, the last one winning as in a shell.
  static func keyValue(_ text: String, name: String) -> String? {
    var found: String?
    for rawLine in text.split(whereSeparator: \.isNewline) {
      var line = rawLine.trimmingCharacters(in: .whitespaces)
      if line.hasPrefix("#") { continue }
      if line.hasPrefix("export ") { line = String(line.dropFirst(7)) }
      guard let equals = line.firstIndex(of: "=") else { continue }
      guard line[..<equals].trimmingCharacters(in: .whitespaces) == name else { continue }
      var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
      if value.count >= 2, let first = value.first, first == "\"" || first == "'",
        value.last == first
      {
        value = String(value.dropFirst().dropLast())
      }
      found = value
    }
    return found
  }

  /// The string member `name` of the JSON object `text`.
  static func json(
    _ text: String, name: String, path: String, id: CredentialID
  ) throws(CredentialSourceError) -> String? {
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    } catch {
      throw .malformed(id, path: path, reason: "not JSON")
    }
    guard let members = object as? [String: Any] else {
      throw .malformed(id, path: path, reason: "not a JSON object")
    }
    guard let member = members[name] else { return nil }
    guard let value = member as? String else {
      throw .malformed(id, path: path, reason: "member \(name) is not a string")
    }
    return value
  }
}
