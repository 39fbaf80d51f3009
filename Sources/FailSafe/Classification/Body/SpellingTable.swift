/// A lookup table from spellings, written in any ASCII case and of any length, to values: the
/// structure every word and key table of the classifier is built into.
///
/// A spelling of up to ``PackedWord/maximumLength`` bytes goes into a ``PackedWordTable`` (one
/// hash probe, behind a first-byte-and-length filter); a longer one into an
/// ``IdentifierTable`` (compared a word at a time), so no spelling is dropped for its length.
/// A text longer than ``PackedWord/maximumLength`` costs one comparison more when the table
/// holds no long spelling.
struct SpellingTable<Value: Sendable>: Sendable {
  /// The entries as written, in order, for the table tests.
  let entries: [(spelling: String, value: Value)]
  private let short: PackedWordTable<Value>
  private let long: IdentifierTable<Value>
  private let holdsLong: Bool

  /// A table of `entries`. A spelling that occurs twice (ignoring case) keeps the first value;
  /// the table tests reject that, and any spelling that cannot be found, in shipped tables.
  init(_ entries: [(String, Value)]) {
    self.entries = entries.map { (spelling: $0.0, value: $0.1) }
    var short: [(PackedWord, Value)] = []
    var long: [(String, Value)] = []
    var seen = Set<String>()
    for (spelling, value) in entries {
      let lowercased = String(decoding: spelling.utf8.map(PackedWord.lowercased), as: UTF8.self)
      // First wins in both halves (the identifier table alone would keep the last).
      guard seen.insert(lowercased).inserted else { continue }
      if let packed = PackedWord(spelling) {
        short.append((packed, value))
      } else {
        long.append((spelling, value))
      }
    }
    self.short = PackedWordTable(short)
    self.long = IdentifierTable(long)
    self.holdsLong = !long.isEmpty
  }

  /// The value of the spelling `bytes[start..<start+count]` (any case), or `nil`.
  @inline(always)
  func value(_ bytes: UnsafeRawBufferPointer, start: Int, count: Int) -> Value? {
    guard count > 0, start >= 0, start < bytes.count, count <= bytes.count &- start else {
      return nil
    }
    if count <= PackedWord.maximumLength {
      guard short.mayHold(first: bytes[start], count: count),
        let packed = PackedWord(bytes, start: start, count: count)
      else { return nil }
      return short[packed]
    }
    guard holdsLong else { return nil }
    return long.entry(for: UnsafeRawBufferPointer(rebasing: bytes[start..<(start &+ count)]))?
      .value
  }

  /// The value of `text` (any case), or `nil`: the lookup the table tests go through.
  func value(_ text: String) -> Value? {
    Array(text.utf8).withUnsafeBytes { value($0, start: 0, count: $0.count) }
  }
}
