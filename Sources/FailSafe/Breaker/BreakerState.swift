/// Where a credential's breaker stands.
public enum BreakerState: String, Sendable, Hashable, Codable, CaseIterable,
  CustomStringConvertible
{
  /// Calls flow; retryable failures are counted.
  case closed
  /// Calls are rejected locally until the cooldown ends (or, when forced open without an end,
  /// until an operator closes it).
  case open
  /// The cooldown ended: exactly one probe call is admitted; its result decides.
  case halfOpen
  /// The credential is dead (`permanent`): rejected until it is replaced or revived.
  case dead
  /// The credential was rejected as `unauthorized`: rejected until a refresh or a new
  /// credential (``CircuitBreaker/credentialReplaced()``) or an operator resume.
  case paused
  /// The credential's quota is exhausted: rejected until the provider's reset time or the
  /// quota cooldown ends, then probed like ``open``.
  case suspended

  /// The stable wire name, identical to `rawValue`.
  public var description: String { rawValue }

  /// The state whose ``code`` is `code`; unknown codes read as closed (they are never stored).
  @inlinable init(code: UInt64) {
    switch code {
    case 1: self = .open
    case 2: self = .halfOpen
    case 3: self = .dead
    case 4: self = .paused
    case 5: self = .suspended
    default: self = .closed
    }
  }

  /// The 3-bit code packed into the breaker's atomic state word; `closed` must be 0.
  @inlinable var code: UInt64 {
    switch self {
    case .closed: 0
    case .open: 1
    case .halfOpen: 2
    case .dead: 3
    case .paused: 4
    case .suspended: 5
    }
  }
}
