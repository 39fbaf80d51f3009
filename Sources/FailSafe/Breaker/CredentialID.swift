/// An opaque, printable name for one credential: a label such as `"openai-prod"`, or a
/// ``fingerprint(of:)`` of the secret. It never holds the secret itself.
public struct CredentialID: RawRepresentable, Sendable, Hashable, Codable, Comparable,
  ExpressibleByStringLiteral, CustomStringConvertible
{
  /// The id as text. Safe to log and persist.
  public let rawValue: String

  /// Creates an id from a label the caller chose. Do not pass a secret: use ``fingerprint(of:)``.
  public init(rawValue: String) { self.rawValue = rawValue }

  /// Creates an id from a string literal label.
  public init(stringLiteral value: String) { self.rawValue = value }

  /// Creates an id from a label the caller chose. Do not pass a secret: use ``fingerprint(of:)``.
  public init(_ label: String) { self.rawValue = label }

  /// The id as text, identical to ``rawValue``.
  public var description: String { rawValue }

  /// Orders ids by their text, for stable listings.
  public static func < (lhs: CredentialID, rhs: CredentialID) -> Bool {
    lhs.rawValue < rhs.rawValue
  }

  /// A stable id derived from `secret`: `"fp:"` and 32 hex digits.
  ///
  /// Two independent 64-bit FNV-1a lanes with fixed, distinct offset bases are run over the
  /// secret's UTF-8 bytes and finalised with a SplitMix64 mix, so the id is the same in every
  /// process and on every run, and the secret cannot be read back from it. It is an identifier,
  /// not a cryptographic commitment: do not use it to verify a secret.
  public static func fingerprint(of secret: String) -> CredentialID {
    var low: UInt64 = 0xCBF2_9CE4_8422_2325
    var high: UInt64 = 0x6C62_272E_07BB_0142
    let prime: UInt64 = 0x0000_0100_0000_01B3
    for byte in secret.utf8 {
      low = (low ^ UInt64(byte)) &* prime
      high = (high ^ UInt64(byte ^ 0x5C)) &* prime
    }
    let digits = hex(mix(low ^ UInt64(truncatingIfNeeded: secret.utf8.count))) + hex(mix(high))
    return CredentialID(rawValue: "fp:" + digits)
  }

  /// SplitMix64's finaliser: spreads every input bit over the output.
  private static func mix(_ value: UInt64) -> UInt64 {
    var mixed = value
    mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
    mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
    return mixed ^ (mixed >> 31)
  }

  /// Sixteen lower-case hex digits, zero-padded.
  private static func hex(_ value: UInt64) -> String {
    let text = String(value, radix: 16)
    return String(repeating: "0", count: 16 - text.count) + text
  }
}
