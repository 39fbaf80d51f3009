/// What a refresher obtained: the fresh credential and, when the endpoint says, how long it
/// stays valid (an OAuth token answer's `expires_in`).
///
/// With a lifetime, the coordinator knows when the credential expires, measured on its own
/// clock from the instant the refresher was called: a credential obtained at `t` with lifetime
/// `L` is refreshed before it is sent from `t + L - min(margin, L / 2)`
/// (``RefreshPolicy/expiryMargin``), instead of being sent and collecting a `401`.
public struct RefreshedCredential<Credential: Sendable>: Sendable {
  /// The fresh credential.
  public var credential: Credential
  /// How long the credential stays valid from its issue, or `nil` when unknown. A lifetime that
  /// is not positive counts as unknown.
  public var lifetime: Duration?

  /// Creates a refresh result: `RefreshedCredential(token, lifetime: .seconds(expiresIn))`.
  public init(_ credential: Credential, lifetime: Duration? = nil) {
    self.credential = credential
    self.lifetime = lifetime
  }
}

extension RefreshedCredential: Equatable where Credential: Equatable {}
extension RefreshedCredential: Hashable where Credential: Hashable {}
