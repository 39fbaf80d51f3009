/// How a ``CredentialPool`` picks among the credentials that can take a call now.
public enum CredentialSelection: String, Sendable, Hashable, Codable, CaseIterable {
  /// Take turns in the order the credentials were given, skipping unusable ones.
  case roundRobin
  /// Prefer the credential whose last failure is oldest (never failed comes first); ties go
  /// round robin. Spreads load away from credentials that are struggling.
  case leastRecentlyFailed
}
