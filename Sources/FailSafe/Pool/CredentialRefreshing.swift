/// How a ``CredentialPool`` refreshes credentials rejected as `unauthorized` (OAuth access
/// tokens, short-lived STS credentials): one ``RefreshCoordinator`` per credential runs the
/// refresher single-flight on ``policy``'s schedule.
///
/// A refresher that returns a ``RefreshedCredential`` with a lifetime (an OAuth `expires_in`)
/// lets the pool refresh a credential before it expires
/// (``RefreshPolicy/expiryMargin``), rather than send it and collect a `401`; one that returns
/// the bare credential leaves its expiry unknown, and it is refreshed after a rejection only.
public struct CredentialRefreshing<Credential: Sendable>: Sendable {
  /// The user's refresher: given the credential's id and the rejected or expiring value,
  /// returns a fresh value and its lifetime if known, or throws (a ``ProviderResponseError``
  /// for an HTTP answer).
  public let refreshWithExpiry:
    @Sendable (CredentialID, Credential) async throws -> RefreshedCredential<Credential>
  /// The refresh schedule and thresholds.
  public let policy: RefreshPolicy
  /// Classifies what the refresher throws.
  public let classifier: any FailureClassifying

  /// The refresher without the lifetime: given the credential's id and the rejected value,
  /// returns a fresh value or throws.
  public var refresh: @Sendable (CredentialID, Credential) async throws -> Credential {
    let refreshWithExpiry = self.refreshWithExpiry
    return { id, stale in try await refreshWithExpiry(id, stale).credential }
  }

  /// Creates a refresh configuration whose refresher returns the bare credential (expiry
  /// unknown); what `refresh` throws is classified by `classifier`, the built-in
  /// ``ProviderErrorClassifier`` by default.
  public init(
    policy: RefreshPolicy = .standard,
    classifier: any FailureClassifying = ProviderErrorClassifier(),
    refresh: @escaping @Sendable (CredentialID, Credential) async throws -> Credential
  ) {
    self.init(
      policy: policy, classifier: classifier,
      refreshWithExpiry: { id, stale in RefreshedCredential(try await refresh(id, stale)) })
  }

  /// A refresh configuration whose refresher also returns how long the fresh credential lives,
  /// so that the pool refreshes it before its expiry:
  ///
  /// ```swift
  /// let refreshing = CredentialRefreshing<String>.withExpiry { id, _ in
  ///   let answer = try await tokenEndpoint.refresh(for: id)
  ///   return RefreshedCredential(answer.accessToken, lifetime: .seconds(answer.expiresIn))
  /// }
  /// ```
  ///
  /// A static function rather than an initializer, so that a trailing closure that only throws
  /// still selects ``init(policy:classifier:refresh:)`` unambiguously.
  public static func withExpiry(
    policy: RefreshPolicy = .standard,
    classifier: any FailureClassifying = ProviderErrorClassifier(),
    refresh:
      @escaping @Sendable (CredentialID, Credential) async throws ->
      RefreshedCredential<Credential>
  ) -> CredentialRefreshing {
    CredentialRefreshing(policy: policy, classifier: classifier, refreshWithExpiry: refresh)
  }

  private init(
    policy: RefreshPolicy, classifier: any FailureClassifying,
    refreshWithExpiry:
      @escaping @Sendable (CredentialID, Credential) async throws ->
      RefreshedCredential<Credential>
  ) {
    self.policy = policy
    self.classifier = classifier
    self.refreshWithExpiry = refreshWithExpiry
  }
}
