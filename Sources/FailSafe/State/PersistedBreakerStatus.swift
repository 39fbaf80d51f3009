/// The state of one credential's breaker as written to a state file.
///
/// The raw values are the wire names. Merges rank the states by ``severity``: when two
/// processes disagree and neither is known to be newer, the more cautious state wins.
public enum PersistedBreakerStatus: String, Sendable, Hashable, Codable, CaseIterable,
  CustomStringConvertible
{
  /// Calls flow.
  case closed
  /// Calls are rejected until the reopen time; then one probe is admitted.
  case open
  /// One probe call is admitted; its result decides.
  case halfOpen
  /// Quota or billing exhausted: rejected until the provider's reset time or a long cooldown.
  case suspended
  /// Rejected as unauthorized, or paused by an operator (or because its entry was unreadable):
  /// no calls until the credential changes or an operator revives it.
  case paused
  /// Terminal: rejected until the credential is replaced or an operator revives it.
  case dead

  /// The rank used when merging: `closed` 0 < `halfOpen` 1 < `open` 2 < `suspended` 3 <
  /// `paused` 4 < `dead` 5. Higher is more cautious.
  public var severity: Int {
    switch self {
    case .closed: return 0
    case .halfOpen: return 1
    case .open: return 2
    case .suspended: return 3
    case .paused: return 4
    case .dead: return 5
    }
  }

  /// `true` for `paused` and `dead`: held out of rotation until an operator or a credential
  /// change releases it, never by time alone. Merges and size bounds never drop such a state
  /// in favour of a healthier one that is not a later operator decision.
  public var isHeld: Bool { self == .paused || self == .dead }

  /// `true` for the states with a reopen time: `open` and `suspended`.
  public var hasCooldown: Bool { self == .open || self == .suspended }

  /// The wire name, identical to `rawValue`.
  public var description: String { rawValue }
}
