import Foundation

/// An operator's manual decision about one credential, and when it was made.
///
/// The date is the merge barrier: any state another process recorded at or before it is
/// stale, so a revive wins over a dead entry written before the revive, while a death seen
/// after the revive still wins.
public struct OperatorAction: Sendable, Hashable, Codable {
  /// What the operator did.
  public var kind: OperatorActionKind
  /// When, by the wall clock of the machine the operator used.
  public var at: Date

  /// Creates an action record.
  public init(kind: OperatorActionKind, at: Date) {
    self.kind = kind
    self.at = at
  }
}

/// The name of an operator action. Open-ended so that newer versions can add kinds that older
/// ones still carry through a merge.
public struct OperatorActionKind: RawRepresentable, Sendable, Hashable, Codable,
  ExpressibleByStringLiteral, CustomStringConvertible
{
  /// The stable name, such as `"revive"`.
  public let rawValue: String

  /// Creates a kind from its stable name.
  public init(rawValue: String) { self.rawValue = rawValue }

  /// Creates a kind from a string literal.
  public init(stringLiteral value: String) { self.rawValue = value }

  /// The stable name, identical to ``rawValue``.
  public var description: String { rawValue }

  /// Put a dead or paused credential back in rotation (closed, streak cleared).
  public static let revive: OperatorActionKind = "revive"
  /// Clear the streak, cooldown, counters and first error of a credential that is not held.
  public static let reset: OperatorActionKind = "reset"
  /// Take a credential out of rotation until revived.
  public static let pause: OperatorActionKind = "pause"
  /// Force a breaker open.
  public static let forceOpen: OperatorActionKind = "forceOpen"
  /// Force a breaker closed.
  public static let forceClosed: OperatorActionKind = "forceClosed"
}
