/// How a ``CredentialPool`` watches for credentials changed in their home: the
/// ``CredentialSource`` to read, how often, and where problems are reported.
public struct CredentialSourcing<Credential: Sendable>: Sendable {
  /// Where the current values come from.
  public let source: CredentialSource<Credential>
  /// How often an unusable credential's source is read again (at least 1 s).
  public let checkInterval: Duration
  /// Told when a source cannot be read (the credential is then left as it is); `nil` to ignore.
  public let onProblem: (@Sendable (CredentialID, any Error) -> Void)?

  /// Creates a sourcing configuration: `source` is read every `checkInterval` (30 s by default)
  /// while a credential is dead or paused.
  public init(
    _ source: CredentialSource<Credential>, checkInterval: Duration = .seconds(30),
    onProblem: (@Sendable (CredentialID, any Error) -> Void)? = nil
  ) {
    self.source = source
    self.checkInterval = min(max(checkInterval, .seconds(1)), BreakerPolicy.maximumDuration)
    self.onProblem = onProblem
  }
}

extension CredentialSourcing where Credential == String {
  /// Watches a directory holding one file per credential, named after its id (a mounted
  /// secrets volume: `/run/secrets/<id>`): `sourcing: .files(inDirectory: "/run/secrets")`.
  /// See ``CredentialSource/files(inDirectory:)``.
  public static func files(
    inDirectory directory: String, checkInterval: Duration = .seconds(30),
    onProblem: (@Sendable (CredentialID, any Error) -> Void)? = nil
  ) -> CredentialSourcing {
    CredentialSourcing(
      .files(inDirectory: directory), checkInterval: checkInterval, onProblem: onProblem)
  }
}
