/// Why a state store could not be read or written. Damage inside a readable file is not an
/// error (see ``StateDiagnostic``).
public enum StateStoreError: Error, Sendable, Hashable, CustomStringConvertible {
  /// A file system call failed: the operation, the path, and the `errno` value.
  case fileSystem(operation: String, path: String, errno: Int32)
  /// The path exists but is not a regular file (a directory, a device, ...).
  case notARegularFile(path: String)
  /// The file does not look like a state file (probably a wrong path); it is not overwritten.
  case notAStateFile(path: String)
  /// A newer FailSafe wrote the store (schema `version`); this one will not overwrite it.
  case newerVersion(path: String, version: Int)

  /// A one-line message for operators, such as
  /// `cannot open '/var/lib/w/state.json': Permission denied`.
  public var description: String {
    switch self {
    case .fileSystem(let operation, let path, let code):
      return "cannot \(operation) '\(path)': \(SystemCalls.message(for: code))"
    case .notARegularFile(let path):
      return "'\(path)' is not a regular file"
    case .notAStateFile(let path):
      return
        "'\(path)' does not look like a FailSafe state file; refusing to overwrite it "
        + "(move it away if it is a damaged state file)"
    case .newerVersion(let path, let version):
      return
        "'\(path)' was written by a newer FailSafe (schema \(version), this one writes "
        + "\(PersistedStateDocument.currentVersion)); refusing to overwrite it"
    }
  }
}
