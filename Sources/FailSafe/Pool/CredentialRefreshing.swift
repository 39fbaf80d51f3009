/// How a ``CredentialPool`` refreshes credentials rejected as `unauthorized` (OAuth access
/// tokens, short-lived STS credentials): one ``RefreshCoordinator`` per credential runs `refresh`
/// single-flight on ``policy``'s schedule.
public struct CredentialRefreshing<Credential: Sendable>: Sendable {
  /// The user's refresher: given the credential's id and the rejected value, returns a fresh
  /// value or throws (a ``ProviderResponseError`` for an HTTP answer).
  public let refresh: @Sendable (CredentialID, Credential) async throws -> Credential
  /// The refresh schedule and thresholds.
  public let policy: RefreshPolicy
  /// Classifies what `refresh` throws.
  public let classifier: any FailureClassifying

  /// Creates a refresh configuration; what `refresh` throws is classified by `classifier`, the
  /// built-in ``ProviderErrorClassifier`` by default.
  public init(
    policy: RefreshPolicy = .standard,
    classifier: any FailureClassifying = ProviderErrorClassifier(),
    refresh: @escaping @Sendable (CredentialID, Credential) async throws -> Credential
  ) {
    self.policy = policy
    self.classifier = classifier
    self.refresh = refresh
  }
}
