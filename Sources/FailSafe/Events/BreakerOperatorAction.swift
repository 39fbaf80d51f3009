/// A manual action on a breaker. Every one is reported as a ``BreakerEvent``.
public enum BreakerOperatorAction: String, Sendable, Hashable, Codable, CaseIterable {
  /// Opened by hand, until a given instant or until closed by hand.
  case forceOpen
  /// Closed by hand (any state but dead); the consecutive-failure count is cleared.
  case forceClose
  /// A dead credential brought back to closed, streak cleared.
  case revive
  /// A paused credential brought back to closed, streak cleared.
  case resume
  /// The streak and consecutive-failure count cleared; the state is unchanged.
  case resetStreak
  /// The credential was replaced or refreshed: closed, streak and first error cleared.
  case credentialReplaced
  /// State loaded from a snapshot.
  case restore
}
