/// A fixed lookup table from ``PackedWord`` to a value: open addressing with linear probing
/// over a power-of-two number of slots, at most half of them full, so a lookup is one
/// multiply-shift hash and, almost always, one or two integer comparisons (instead of
/// comparing against every entry of a list).
///
/// Invariant: a slot whose key is `0` is empty; no stored key is `0`, because only the empty
/// text packs to `0`, and it is never stored (nor found).
struct PackedWordTable<Value: Sendable>: Sendable {
  private let keys: [UInt128]
  private let values: [Value?]
  private let shift: UInt64
  /// For each first byte `b` (as `b & 31`), bit `n` set if a key of `n` bytes starts with it
  /// (in either case); see ``mayHold(first:count:)``.
  private let firstBytesAndLengths: [UInt32]

  /// A table of `entries`; when a key occurs twice, the first entry wins (as in a list search).
  init(_ entries: [(PackedWord, Value)]) {
    var slotBits: UInt64 = 4
    while (1 << slotBits) < entries.count * 2 { slotBits += 1 }
    var keys = [UInt128](repeating: 0, count: 1 << slotBits)
    var values = [Value?](repeating: nil, count: 1 << slotBits)
    let shift = 64 - slotBits
    var firstBytesAndLengths = [UInt32](repeating: 0, count: 32)
    for (word, value) in entries where word.bits != 0 {
      var length = 0
      while length < PackedWord.maximumLength, word.bits >> UInt128(length * 8) != 0 { length += 1 }
      firstBytesAndLengths[Int(UInt8(truncatingIfNeeded: word.bits) & 31)] |= 1 &<< UInt32(length)
      var slot = Self.slot(of: word.bits, shift: shift)
      while keys[slot] != 0, keys[slot] != word.bits { slot = (slot + 1) & (keys.count - 1) }
      if keys[slot] == 0 {
        keys[slot] = word.bits
        values[slot] = value
      }
    }
    self.keys = keys
    self.values = values
    self.shift = shift
    self.firstBytesAndLengths = firstBytesAndLengths
  }

  /// Whether a key of `count` bytes starting with `first` (any case) may be in the table: a
  /// filter that rejects most other words before they are packed, and never rejects a key.
  /// (`& 31` maps both cases of a letter to one entry; other bytes may share an entry, which
  /// only lets more words through to the exact lookup.)
  @inline(always)
  func mayHold(first: UInt8, count: Int) -> Bool {
    firstBytesAndLengths[Int(first & 31)] & (1 &<< UInt32(truncatingIfNeeded: count & 31)) != 0
  }

  /// The value stored for `word`, or `nil`.
  @inline(always)
  subscript(word: PackedWord) -> Value? {
    let bits = word.bits
    guard bits != 0 else { return nil }
    let mask = keys.count - 1
    var slot = Self.slot(of: bits, shift: shift)
    while true {
      let key = keys[slot]
      if key == bits { return values[slot] }
      if key == 0 { return nil }
      slot = (slot + 1) & mask
    }
  }

  /// Fibonacci hashing of the two halves folded together: the top bits of the product.
  @inline(always)
  private static func slot(of bits: UInt128, shift: UInt64) -> Int {
    let folded = UInt64(truncatingIfNeeded: bits) &+ UInt64(truncatingIfNeeded: bits >> 64) &* 31
    return Int(truncatingIfNeeded: (folded &* 0x9E37_79B9_7F4A_7C15) &>> shift)
  }
}
