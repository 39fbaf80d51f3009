/// The registry's hash of a ``CredentialID``: a seeded multiply-fold over the id's UTF-8 bytes,
/// about 20 instructions for a 22-byte id where `String.hash(into:)` (SipHash) spends about 330.
///
/// Consistent with `==` (canonical equivalence): an ASCII id hashes its bytes; a non-ASCII id
/// whose canonical form is ASCII (only three scalars map to ASCII: KELVIN SIGN, GREEK QUESTION
/// MARK, GREEK VARIA) hashes that form's bytes; any other id hashes through the stdlib `Hasher`,
/// which normalises. So equal ids always hash alike.
///
/// The seed is secret to the process (drawn from the stdlib's per-process hashing seed), so
/// bucket collisions cannot be computed ahead of time. It is a fast mixer, not a keyed PRF: ids
/// are the deployment's own labels or fingerprints, not attacker-chosen request data.
@usableFromInline
package struct CredentialHasher: Sendable {
  /// Mixed into every hash.
  @usableFromInline let seed: UInt64

  /// A hasher with an explicit seed (tests use fixed seeds).
  @inlinable
  package init(seed: UInt64) { self.seed = seed }

  /// A seed random per process (fixed when `SWIFT_DETERMINISTIC_HASHING` is set).
  package static let processSeed: UInt64 = {
    var hasher = Hasher()
    hasher.combine(0x4661_696C_5361_6665 as UInt64)
    return UInt64(truncatingIfNeeded: hasher.finalize())
  }()

  /// The hasher of this process: ``processSeed``. Every ``CredentialID`` keeps its hash by this
  /// hasher, which is the one ``BreakerRegistry`` uses.
  package static let process = CredentialHasher(seed: processSeed)

  /// The hash of `credential`; equal ids hash alike.
  @inlinable
  package func hash(_ credential: CredentialID) -> UInt64 { hash(text: credential.rawValue) }

  /// The hash of an id's text; canonically equivalent texts hash alike.
  @inlinable
  package func hash(text: String) -> UInt64 {
    let fast = text.utf8.withContiguousStorageIfAvailable {
      (bytes: UnsafeBufferPointer<UInt8>) -> UInt64? in
      let mixed = mix(UnsafeRawBufferPointer(bytes))
      return mixed.isASCII ? mixed.hash : nil
    }
    if let fast, let hash = fast { return hash }
    return hashNonASCII(text)
  }

  /// `hi ^ lo` of the 128-bit product: every input bit reaches the middle of the result.
  @inlinable
  static func fold(_ value: UInt64, _ factor: UInt64) -> UInt64 {
    let product = value.multipliedFullWidth(by: factor)
    return product.high ^ product.low
  }

  /// Mixes `bytes` in 8-byte chunks (the last chunk overlaps the one before it; ids shorter
  /// than 8 bytes are packed into one word), with the length folded into the start state.
  @inlinable
  func mix(_ bytes: UnsafeRawBufferPointer) -> (hash: UInt64, isASCII: Bool) {
    let count = bytes.count
    var state = seed ^ (UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15)
    var seen: UInt64 = 0
    var last: UInt64 = 0
    if count >= 8 {
      var offset = 0
      while offset &+ 8 < count {
        let chunk = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        seen |= chunk
        state = Self.fold(state ^ chunk, 0xA076_1D64_78BD_642F)
        offset &+= 8
      }
      last = bytes.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
    } else {
      for index in 0..<count {
        last |= UInt64(bytes[index]) &<< UInt64(truncatingIfNeeded: index &* 8)
      }
    }
    seen |= last
    state = Self.fold(state ^ last, 0xE703_7ED1_A0B4_28DB)
    let hash = Self.fold(state ^ 0x8EBC_6AF0_9C88_C6E3, 0x5899_65CC_7537_4CC3)
    return (hash, seen & 0x8080_8080_8080_8080 == 0)
  }

  /// Non-ASCII ids (and ids without contiguous UTF-8): see the type's comment.
  @usableFromInline
  func hashNonASCII(_ text: String) -> UInt64 {
    var ascii: [UInt8] = []
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0..<0x80: ascii.append(UInt8(truncatingIfNeeded: scalar.value))
      case 0x037E: ascii.append(0x3B)  // GREEK QUESTION MARK is canonically ";"
      case 0x1FEF: ascii.append(0x60)  // GREEK VARIA is canonically "`"
      case 0x212A: ascii.append(0x4B)  // KELVIN SIGN is canonically "K"
      default:
        var hasher = Hasher()
        hasher.combine(seed)
        hasher.combine(text)
        return UInt64(truncatingIfNeeded: hasher.finalize())
      }
    }
    return ascii.withUnsafeBytes { mix($0).hash }
  }
}
