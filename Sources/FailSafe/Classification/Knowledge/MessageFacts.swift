/// What the wording of the error messages says: which meaningful words and word pairs occur,
/// the `Limit N` / `Requested M` figures of a token-window error, and a "try again in 9m38s"
/// wait. Built in one pass over the message bytes without allocating per word.
struct MessageFacts {
  /// Word pairs that mean more than their words apart.
  enum Pair: Int, CaseIterable {
    case apiKey, keyNoun, secretToken, rateLimit, tooMany, tooLarge, tooLong, contextLength
    case notFound, notValid, timedOut, systemMemory, noSuch, spendLimit, creditBalance
    case keyLimit, authenticationFails, noCredential, notSupported, temporarilyUnavailable
    case slowDown, deadlineExceeded, secondaryRate, unregisteredCaller, notAuthorized
    case serviceDisabled
  }

  /// One bit per ``MessageWord`` (bit `rawValue`) and per ``Pair``: a word or pair past
  /// ``wordCapacity`` or ``pairCapacity`` could never be seen, which the table tests forbid.
  private var words: UInt128 = 0
  private var pairs: UInt64 = 0
  /// How many message words ``words`` can hold.
  static let wordCapacity = UInt128.bitWidth
  /// How many pairs ``pairs`` can hold.
  static let pairCapacity = UInt64.bitWidth
  /// The `N` of the first "Limit N" (the size of a rate window), if any.
  private(set) var limit: Double?
  /// The `M` of the first "Requested M" (the size of this request), if any.
  private(set) var requested: Double?
  /// The wait after "try again in", "retry in" or "retry after", in seconds (uncapped).
  private(set) var wait: Double?
  /// The time after "retry after", "try again at", "resets at", "until" and the like when the
  /// text names a time instead of a wait (`2026-02-12T08:18:19Z`, an epoch), in seconds since
  /// 1970: measured against the response's `date` header, never read as seconds.
  private(set) var waitUntil: Double?

  /// The wait these facts state, measured from `reference` (seconds since 1970) when they name
  /// a time; `nil` without one.
  func statedWait(reference: Double?) -> Double? {
    if let wait { return wait }
    guard let waitUntil, let reference else { return nil }
    return max(0, waitUntil - reference)
  }

  /// Whether a wait or a time was found.
  var hasWait: Bool { wait != nil || waitUntil != nil }

  /// Takes the wait or time `other` found (its words are not taken).
  mutating func takeWait(of other: MessageFacts) {
    wait = other.wait
    waitUntil = other.waitUntil
  }

  /// Whether `word` occurs. (Inlined: the rules ask this dozens of times per message.)
  @inline(always)
  func has(_ word: MessageWord) -> Bool { words & (1 << UInt128(word.rawValue)) != 0 }
  /// Whether any of `candidates` occurs.
  func hasAny(_ candidates: MessageWord...) -> Bool { candidates.contains { has($0) } }
  /// Whether `pair` occurs.
  @inline(always)
  func has(_ pair: Pair) -> Bool { pairs & (1 << UInt64(pair.rawValue)) != 0 }

  /// Whether a request larger than the whole rate window was reported ("Limit 7000, Used 0,
  /// Requested ~12903"): such a request can never fit, however long the caller waits.
  var requestExceedsWindow: Bool {
    guard let limit, let requested, limit > 0 else { return false }
    return requested > limit
  }

  /// Whether a "limit: 0" was reported: the plan allows none of what this request needs.
  var windowIsZero: Bool { limit == 0 }

  /// Reads one message. Call once per message; facts accumulate.
  mutating func read(_ bytes: UnsafeRawBufferPointer) {
    var previous: MessageWord?
    var index = 0
    let count = bytes.count
    let spellings = MessageWord.table
    while index < count {
      guard ByteClass.of(bytes[index]) & ByteClass.word != 0 else {
        index += 1
        continue
      }
      let start = index
      repeat {
        index += 1
        // Runs of lower-case letters are passed eight bytes at a time.
        if index &+ 8 <= count {
          index &+= SWAR.leadingLowercaseCount(SWAR.word(bytes, at: index))
        }
      } while index < count && ByteClass.of(bytes[index]) & ByteClass.word != 0
      let length = index - start
      if bytes[start] &- 48 < 10 {
        readNumber(bytes, start: start, end: index, after: previous)
        previous = nil
        continue
      }
      var word = MessageWord.lookup(bytes, start: start, count: length, in: spellings)
      if word == nil, length > PackedWord.maximumLength {
        word = Self.longWord(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
      }
      guard let word else {
        previous = nil
        continue
      }
      words |= 1 << UInt128(word.rawValue)
      if word == .wait || word == .until, !hasWait {
        noteWait(bytes, after: index, timeOnly: word == .until)
      }
      if let previous { notePair(previous, word, bytes, after: index) }
      previous = word
    }
  }

  private mutating func notePair(
    _ first: MessageWord, _ second: MessageWord, _ bytes: UnsafeRawBufferPointer, after end: Int
  ) {
    switch (first, second) {
    case (.api, .key):
      insert(.apiKey)
      insert(.keyNoun)
    case (.subscription, .key), (.secret, .key), (.access, .key): insert(.keyNoun)
    case (.security, .token), (.api, .token): insert(.secretToken)
    case (.rate, .limit), (.rate, .limited), (.rate, .exceeded): insert(.rateLimit)
    case (.secondary, .rate), (.secondary, .rateLimited): insert(.secondaryRate)
    case (.too, .many): insert(.tooMany)
    case (.too, .large): insert(.tooLarge)
    case (.too, .long): insert(.tooLong)
    case (.context, .length), (.context, .limit): insert(.contextLength)
    case (.not, .found): insert(.notFound)
    case (.not, .valid): insert(.notValid)
    case (.not, .supported): insert(.notSupported)
    case (.not, .authorized): insert(.notAuthorized)
    case (.timed, .out): insert(.timedOut)
    case (.system, .memory): insert(.systemMemory)
    case (.no, .such): insert(.noSuch)
    case (.spend, .limit): insert(.spendLimit)
    case (.credit, .balance), (.credit, .limit): insert(.creditBalance)
    case (.key, .limit): insert(.keyLimit)
    case (.credentials, .fails): insert(.authenticationFails)
    case (.no, .api), (.no, .apiKey), (.no, .credentials), (.no, .token), (.no, .key):
      insert(.noCredential)
    case (.unregistered, _): insert(.unregisteredCaller)
    case (.temporarily, .unavailable): insert(.temporarilyUnavailable)
    case (.slow, .down): insert(.slowDown)
    case (.deadline, .exceeded), (.deadline, .expired): insert(.deadlineExceeded)
    case (.service, .disabled), (.api, .disabled): insert(.serviceDisabled)
    case (.again, .inKeyword), (.retry, .inKeyword), (.retry, .after), (.again, .after),
      (.reset, .inKeyword), (.retry, .at), (.again, .at), (.reset, .at), (.reset, .after):
      if !hasWait { noteWait(bytes, after: end, timeOnly: false, afterIn: second == .inKeyword) }
    default: break
    }
  }

  private mutating func insert(_ pair: Pair) { pairs |= 1 << UInt64(pair.rawValue) }

  /// Reads the wait or time stated at `end` (see ``WaitText``); with `timeOnly`, only a time.
  private mutating func noteWait(
    _ bytes: UnsafeRawBufferPointer, after end: Int, timeOnly: Bool, afterIn: Bool = false
  ) {
    switch WaitText.read(bytes, from: end, afterIn: afterIn) {
    case .seconds(let seconds): if !timeOnly { wait = seconds }
    case .time(let time): waitUntil = time
    case nil: break
    }
  }

  private mutating func readNumber(
    _ bytes: UnsafeRawBufferPointer, start: Int, end: Int, after previous: MessageWord?
  ) {
    guard previous == .limit || previous == .requested else { return }
    var value = 0.0
    for index in start..<end {
      let digit = bytes[index] &- 48
      guard digit < 10 else { return }
      value = value * 10 + Double(digit)
    }
    if previous == .limit, limit == nil { limit = value }
    if previous == .requested, requested == nil { requested = value }
  }

  /// The word a long identifier inside a message means by the needles it holds
  /// (``MessageWord/needles``): the first entry found, or `nil`.
  private static func longWord(_ identifier: UnsafeRawBufferPointer) -> MessageWord? {
    var first = Int.max
    var word: MessageWord?
    MessageWord.needleTable.forEachMatch(in: identifier) { entry, found in
      if entry < first {
        first = entry
        word = found
      }
    }
    return word
  }
}
