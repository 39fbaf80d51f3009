/// A fixed lookup table from names of any length (`invalid_api_key`,
/// `MissingAuthenticationTokenException`) to values, searched with the raw bytes of a body's
/// identifier, ignoring ASCII case, so no lower-cased `String` is built per lookup.
///
/// Names are lower-cased (ASCII letters only) when the table is built, so a table may spell
/// them in any case. Open addressing with linear probing over a power-of-two number of slots,
/// at most half of them full; a slot's hash mixes the lower-cased bytes eight at a time. A
/// name is found only if its bytes equal the identifier's lower-cased bytes; non-ASCII bytes
/// are compared as they are.
struct IdentifierTable<Value: Sendable>: Sendable {
  /// Per slot: the index of its entry, or `-1` if the slot is empty.
  private let slotEntries: [Int]
  /// Per slot: the hash of its entry's name (compared before any byte is).
  private let slotHashes: [UInt64]
  /// Per entry: its name (lower-cased), where its bytes start in ``nameBytes``, and its value.
  private let names: [String]
  private let nameStarts: [Int]
  private let values: [Value]
  /// Every name's bytes, one after the other, in entry order: entry `e`'s run from
  /// `nameStarts[e]` to the next entry's start (or the end).
  private let nameBytes: [UInt8]

  /// A table of `entries`; when a name occurs twice ignoring case, the last entry wins (as when
  /// assigning into a dictionary). The table tests reject such duplicates in shipped tables.
  init(_ entries: [(String, Value)]) {
    var slotCount = 16
    while slotCount < entries.count * 2 { slotCount *= 2 }
    var slotEntries = [Int](repeating: -1, count: slotCount)
    var slotHashes = [UInt64](repeating: 0, count: slotCount)
    var names: [String] = []
    var nameStarts: [Int] = []
    var values: [Value] = []
    var nameBytes: [UInt8] = []
    for (spelling, value) in entries {
      let bytes = spelling.utf8.map(PackedWord.lowercased)
      let name = String(decoding: bytes, as: UTF8.self)
      let hash = bytes.withUnsafeBytes { Self.hash($0) }
      var slot = Self.slot(of: hash, mask: slotCount - 1)
      while slotEntries[slot] >= 0, names[slotEntries[slot]] != name {
        slot = (slot + 1) & (slotCount - 1)
      }
      if slotEntries[slot] >= 0 {
        values[slotEntries[slot]] = value
      } else {
        slotEntries[slot] = names.count
        slotHashes[slot] = hash
        names.append(name)
        nameStarts.append(nameBytes.count)
        values.append(value)
        nameBytes.append(contentsOf: bytes)
      }
    }
    self.slotEntries = slotEntries
    self.slotHashes = slotHashes
    self.names = names
    self.nameStarts = nameStarts
    self.values = values
    self.nameBytes = nameBytes
  }

  /// The name (as stored, lower case) and value whose name equals `identifier` ignoring
  /// ASCII case, or `nil`.
  func entry(for identifier: UnsafeRawBufferPointer) -> (name: String, value: Value)? {
    let mask = slotEntries.count - 1
    let hash = Self.hash(identifier)
    var slot = Self.slot(of: hash, mask: mask)
    while true {
      let entry = slotEntries[slot]
      if entry < 0 { return nil }
      if slotHashes[slot] == hash, matches(entry, identifier) {
        return (names[entry], values[entry])
      }
      slot = (slot + 1) & mask
    }
  }

  /// Whether entry `entry`'s name is `identifier`, lower-cased.
  private func matches(_ entry: Int, _ identifier: UnsafeRawBufferPointer) -> Bool {
    let start = nameStarts[entry]
    let end = entry + 1 < nameStarts.count ? nameStarts[entry + 1] : nameBytes.count
    guard end - start == identifier.count else { return false }
    return nameBytes.withUnsafeBytes { name in
      let count = identifier.count
      var offset = 0
      // Eight bytes at a time (both ranges hold `count` bytes from their start), lower-cased
      // as a word, then the last few one by one.
      while offset &+ 8 <= count {
        let stored = name.loadUnaligned(fromByteOffset: start &+ offset, as: UInt64.self)
        let given = identifier.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        if stored != SWAR.lowercased(given) { return false }
        offset &+= 8
      }
      while offset < count {
        if name[start &+ offset] != PackedWord.lowercased(identifier[offset]) { return false }
        offset += 1
      }
      return true
    }
  }

  /// A hash of the bytes with ASCII letters lower-cased, mixed a 64-bit word at a time (the
  /// last few bytes zero-padded into one word, the count mixed in first), so equal names
  /// ignoring case always hash alike.
  @inline(always)
  private static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    let count = bytes.count
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(truncatingIfNeeded: count)
    var index = 0
    while index &+ 8 <= count {
      hash = mix(hash, SWAR.lowercased(SWAR.word(bytes, at: index)))
      index &+= 8
    }
    if index < count {
      var word: UInt64 = 0
      var shift: UInt64 = 0
      while index < count {
        word |= UInt64(bytes[index]) &<< shift
        shift &+= 8
        index += 1
      }
      hash = mix(hash, SWAR.lowercased(word))
    }
    return hash
  }

  @inline(always)
  private static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
    let mixed = (hash ^ word) &* 0x9E37_79B9_7F4A_7C15
    return mixed ^ (mixed &>> 32)
  }

  @inline(always)
  private static func slot(of hash: UInt64, mask: Int) -> Int {
    Int(truncatingIfNeeded: hash ^ (hash &>> 29)) & mask
  }
}
