/// Needles, written in any ASCII case and of any length, looked for anywhere inside a text
/// (`per_day` in `GenerateRequestsPerDayPerProjectPerModel`): the structure the classifier's
/// substring tables are built into.
///
/// Only the bytes that can start a needle are looked at further: when needles start with at
/// most ``SWAR/FoldedByteSet/capacity`` different bytes, those are found eight bytes at a time;
/// with more, every byte is looked at (slower, never missing one). At each such byte only the
/// needles starting with it are compared.
struct NeedleTable<Value: Sendable>: Sendable {
  /// The entries as written, in order (the order ``forEachMatch(in:_:)`` reports them in at
  /// one position), for the table tests.
  let entries: [(needle: String, value: Value)]
  private let firstBytes: SWAR.FoldedByteSet?
  /// Every needle's bytes, lower-cased, one after the other, grouped by first byte (each group
  /// in entry order): needle `k` runs from `needleStarts[k]` to `needleStarts[k + 1]`.
  private let needleBytes: [UInt8]
  private let needleStarts: [Int]
  /// Per needle in group order: its entry's index.
  private let needleEntries: [Int]
  /// The needles that start with the lower-cased byte `b` are `groups[b]..<groups[b + 1]`.
  private let groups: [Int]

  /// A table of `entries`. An empty needle is never found (the table tests reject it).
  init(_ entries: [(String, Value)]) {
    self.entries = entries.map { (needle: $0.0, value: $0.1) }
    let lowercased = entries.map { $0.0.utf8.map(PackedWord.lowercased) }
    let order = lowercased.indices.filter { !lowercased[$0].isEmpty }.sorted {
      (lowercased[$0][0], $0) < (lowercased[$1][0], $1)
    }
    var needleBytes: [UInt8] = []
    var needleStarts: [Int] = []
    var groups = [Int](repeating: 0, count: 257)
    for entry in order {
      needleStarts.append(needleBytes.count)
      needleBytes.append(contentsOf: lowercased[entry])
      groups[Int(lowercased[entry][0]) + 1] += 1
    }
    needleStarts.append(needleBytes.count)
    for byte in 0..<256 { groups[byte + 1] += groups[byte] }
    let starts = Set(order.map { lowercased[$0][0] })
    self.firstBytes = SWAR.FoldedByteSet(starts.sorted())
    self.needleBytes = needleBytes
    self.needleStarts = needleStarts
    self.needleEntries = order
    self.groups = groups
  }

  /// Marks of the bytes of `word` that may start a needle: never missing one (see
  /// ``SWAR/FoldedByteSet/marks(_:)``); every byte when the first bytes are too many to seek.
  @inline(always)
  func firstByteMarks(_ word: UInt64) -> UInt64 {
    firstBytes?.marks(word) ?? SWAR.highBits
  }

  /// Calls `found` with the index and value of each entry whose needle occurs in `text`
  /// (ignoring ASCII case), once per occurrence: by position, then in entry order.
  @inline(always)
  func forEachMatch(in text: UnsafeRawBufferPointer, _ found: (Int, Value) -> Void) {
    let count = text.count
    var index = 0
    while index &+ 8 <= count {
      var marks = firstByteMarks(SWAR.word(text, at: index))
      while marks != 0 {
        matches(in: text, at: index &+ SWAR.firstMarked(marks), found)
        marks &= marks &- 1
      }
      index &+= 8
    }
    while index < count {
      matches(in: text, at: index, found)
      index &+= 1
    }
  }

  /// Reports the needles that occur at `text[index]`.
  @inline(always)
  private func matches(
    in text: UnsafeRawBufferPointer, at index: Int, _ found: (Int, Value) -> Void
  ) {
    let first = Int(PackedWord.lowercased(text[index]))
    var needle = groups[first]
    let end = groups[first &+ 1]
    while needle < end {
      let start = needleStarts[needle]
      let length = needleStarts[needle &+ 1] &- start
      if length <= text.count &- index, holds(text, at: index, needle: start, length: length) {
        let entry = needleEntries[needle]
        found(entry, entries[entry].value)
      }
      needle &+= 1
    }
  }

  /// Whether `text[index..<index+length]`, lower-cased, equals the needle bytes from `start`.
  @inline(always)
  private func holds(_ text: UnsafeRawBufferPointer, at index: Int, needle start: Int, length: Int)
    -> Bool
  {
    var offset = 1  // the first byte chose the group
    while offset < length {
      if PackedWord.lowercased(text[index &+ offset]) != needleBytes[start &+ offset] {
        return false
      }
      offset &+= 1
    }
    return true
  }
}
