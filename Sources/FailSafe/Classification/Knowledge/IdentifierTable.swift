/// A fixed lookup table from identifiers (lower-case ASCII names such as `invalid_api_key`) to
/// values, searched with the raw bytes of a body's identifier, ignoring ASCII case, so no
/// lower-cased `String` is built per lookup.
///
/// Open addressing with linear probing over a power-of-two number of slots, at most half of
/// them full; a slot's hash is FNV-1a over the lower-cased bytes. A name is found only if its
/// bytes equal the identifier's lower-cased bytes, so a non-ASCII identifier never matches
/// (every name is ASCII), as with the `String` keys this replaces.
struct IdentifierTable<Value: Sendable>: Sendable {
  private struct Slot: Sendable {
    var name: String
    var start: Int
    var count: Int
    var value: Value
  }

  private let slots: [Slot?]
  /// Every name's bytes, one after the other; a slot's name is `nameBytes[start..<start+count]`.
  private let nameBytes: [UInt8]

  /// A table of `entries`; when a name occurs twice, the last entry wins (as when assigning
  /// into a dictionary).
  init(_ entries: [(String, Value)]) {
    var slotCount = 16
    while slotCount < entries.count * 2 { slotCount *= 2 }
    var slots = [Slot?](repeating: nil, count: slotCount)
    var nameBytes: [UInt8] = []
    for (name, value) in entries {
      let bytes = Array(name.utf8)
      var slot = Self.slot(of: Self.hash(bytes), mask: slotCount - 1)
      while let existing = slots[slot] {
        if Array(nameBytes[existing.start..<existing.start + existing.count]) == bytes { break }
        slot = (slot + 1) & (slotCount - 1)
      }
      if let existing = slots[slot] {
        slots[slot] = Slot(name: name, start: existing.start, count: existing.count, value: value)
      } else {
        slots[slot] = Slot(name: name, start: nameBytes.count, count: bytes.count, value: value)
        nameBytes.append(contentsOf: bytes)
      }
    }
    self.slots = slots
    self.nameBytes = nameBytes
  }

  /// The name (as stored, lower case) and value whose name equals `identifier` ignoring
  /// ASCII case, or `nil`.
  func entry(for identifier: UnsafeRawBufferPointer) -> (name: String, value: Value)? {
    let mask = slots.count - 1
    var slot = Self.slot(of: Self.hash(identifier), mask: mask)
    while let candidate = slots[slot] {
      if candidate.count == identifier.count, matches(candidate, identifier) {
        return (candidate.name, candidate.value)
      }
      slot = (slot + 1) & mask
    }
    return nil
  }

  private func matches(_ slot: Slot, _ identifier: UnsafeRawBufferPointer) -> Bool {
    var offset = 0
    while offset < identifier.count {
      if nameBytes[slot.start + offset] != PackedWord.lowercased(identifier[offset]) {
        return false
      }
      offset += 1
    }
    return true
  }

  /// FNV-1a over the bytes, ASCII letters lower-cased.
  @inline(__always)
  private static func hash<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(PackedWord.lowercased(byte))) &* 0x100_0000_01B3 }
    return hash
  }

  @inline(__always)
  private static func slot(of hash: UInt64, mask: Int) -> Int {
    Int(truncatingIfNeeded: hash ^ (hash &>> 29)) & mask
  }
}
