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
    case (.again, .inKeyword), (.retry, .inKeyword), (.retry, .after):
      if wait == nil { wait = DurationText.leadingSeconds(bytes, from: end) }
    default: break
    }
  }

  private mutating func insert(_ pair: Pair) { pairs |= 1 << UInt64(pair.rawValue) }

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
