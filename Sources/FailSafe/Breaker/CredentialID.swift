/// An opaque, printable name for one credential: a label such as `"openai-prod"`, or a
/// ``fingerprint(of:)`` of the secret. It never holds the secret itself.
///
/// An id carries its registry hash, worked out once when it is created, so a
/// ``BreakerRegistry`` lookup reads neither the id's text nor hashes it: with the same id value
/// (a worker's own id, or one kept in a list) the lookup compares the breaker's id by its
/// storage and never touches the text. That costs 8 bytes per id (24 instead of 16) and one
/// hash per id created. Equality is still the text's (canonical equivalence), and it encodes as
/// its text alone.
public struct CredentialID: RawRepresentable, Sendable, Hashable, Codable, Comparable,
  ExpressibleByStringLiteral, CustomStringConvertible
{
  /// The id as text. Safe to log and persist.
  public let rawValue: String
  /// `CredentialHasher.process.hash(text: rawValue)`: equal ids have equal registry hashes
  /// (the hasher's invariant), so unequal hashes prove unequal ids.
  @usableFromInline let registryHash: UInt64

  /// Creates an id from a label the caller chose. Do not pass a secret: use ``fingerprint(of:)``.
  public init(rawValue: String) {
    self.rawValue = rawValue
    self.registryHash = CredentialHasher.process.hash(text: rawValue)
  }

  /// Creates an id from a string literal label.
  public init(stringLiteral value: String) { self.init(rawValue: value) }

  /// Creates an id from a label the caller chose. Do not pass a secret: use ``fingerprint(of:)``.
  public init(_ label: String) { self.init(rawValue: label) }

  /// Decodes an id from its text, as ``encode(to:)`` writes it.
  public init(from decoder: any Decoder) throws {
    self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
  }

  /// Encodes the id as its text alone (the hash is worked out again when decoded: its seed
  /// differs from process to process).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }

  /// Whether the two texts are canonically equivalent. Ids with different registry hashes
  /// cannot be, so those are told apart without reading the texts.
  @inlinable
  public static func == (lhs: CredentialID, rhs: CredentialID) -> Bool {
    lhs.registryHash == rhs.registryHash && lhs.rawValue == rhs.rawValue
  }

  /// Feeds the registry hash, which equal ids share, instead of the whole text.
  public func hash(into hasher: inout Hasher) { hasher.combine(registryHash) }

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
