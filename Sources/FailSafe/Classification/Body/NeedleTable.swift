/// Needles, written in any ASCII case and of any length, looked for anywhere inside a text
/// (`per_day` in `GenerateRequestsPerDayPerProjectPerModel`): the structure the classifier's
/// substring tables are built into.
///
/// Only the bytes that can start a needle are looked at further: when needles start with at
/// most ``SWAR/FoldedByteSet/capacity`` different bytes, those are found eight bytes at a time;
/// with more, every byte is looked at (slower, never missing one). From such a byte the text
/// is walked down a trie of the lower-cased needles, kept as a dense transition table over the
/// bytes the needles use (both cases of a letter are one class), so each step is two loads.
struct NeedleTable<Value: Sendable>: Sendable {
  /// The entries as written, in order, for the table tests.
  let entries: [(needle: String, value: Value)]
  private let values: [Value]
  private let firstBytes: SWAR.FoldedByteSet?
  /// Per byte: its class, `1...` for a byte some needle holds (both cases of a letter alike),
  /// `0` for the others.
  private let classes: [UInt8]
  /// How many classes there are, `0` included: the width of a row of ``steps``.
  private let width: Int
  /// Per state and class, row by row: the next step, `state << 1 | ends`, where `ends` says a
  /// needle ends at `state`; state `0` is the dead end, state `1` the root.
  private let steps: [Int32]
  /// Per state: the entry whose needle ends there, or `-1`.
  private let ending: [Int32]

  /// A table of `entries`. An empty needle is never found, and of two equal needles (ignoring
  /// case) only the first is reported; the table tests reject both in shipped tables.
  init(_ entries: [(String, Value)]) {
    self.entries = entries.map { (needle: $0.0, value: $0.1) }
    self.values = entries.map(\.1)
    let needles = entries.map { $0.0.utf8.map(PackedWord.lowercased) }
    var classes = [UInt8](repeating: 0, count: 256)
    var width = 1
    for byte in Set(needles.joined()).sorted() {
      // More than 255 distinct bytes cannot occur: lower-casing leaves at most 230.
      classes[Int(byte)] = UInt8(truncatingIfNeeded: width)
      if byte &- 97 < 26 { classes[Int(byte) - 32] = UInt8(truncatingIfNeeded: width) }
      width += 1
    }
    // The trie: state 0 dead, 1 the root; children[state][class] is the next state.
    var children: [[Int]] = [[Int](repeating: 0, count: width), [Int](repeating: 0, count: width)]
    var ending: [Int32] = [-1, -1]
    for (entry, needle) in needles.enumerated() where !needle.isEmpty {
      var state = 1
      for byte in needle {
        let byteClass = Int(classes[Int(byte)])
        if children[state][byteClass] == 0 {
          children.append([Int](repeating: 0, count: width))
          ending.append(-1)
          children[state][byteClass] = children.count - 1
        }
        state = children[state][byteClass]
      }
      if ending[state] < 0 { ending[state] = Int32(entry) }
    }
    var steps: [Int32] = []
    steps.reserveCapacity(children.count * width)
    for row in children {
      for next in row {
        steps.append(Int32(truncatingIfNeeded: next << 1 | (ending[next] >= 0 ? 1 : 0)))
      }
    }
    let firsts = Set(needles.compactMap(\.first))
    self.classes = classes
    self.width = width
    self.steps = steps
    self.ending = ending
    self.firstBytes = SWAR.FoldedByteSet(firsts.sorted())
  }

  /// Marks of the bytes of `word` that may start a needle: never missing one (see
  /// ``SWAR/FoldedByteSet/marks(_:)``); every byte when the first bytes are too many to seek.
  @inline(always)
  func firstByteMarks(_ word: UInt64) -> UInt64 {
    firstBytes?.marks(word) ?? SWAR.highBits
  }

  /// Calls `found` with the index and value of each entry whose needle occurs in `text`
  /// (ignoring ASCII case), once per occurrence: by position, and at one position shorter
  /// needles first.
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

  /// Reports the needles that occur at `text[index]`, walking the trie from the root.
  @inline(always)
  private func matches(
    in text: UnsafeRawBufferPointer, at index: Int, _ found: (Int, Value) -> Void
  ) {
    var state = 1
    var position = index
    while position < text.count {
      let step = steps[state &* width &+ Int(classes[Int(text[position])])]
      state = Int(step &>> 1)
      if state == 0 { return }
      if step & 1 != 0 {
        let entry = Int(ending[state])
        found(entry, values[entry])
      }
      position &+= 1
    }
  }
}
