/// What the wording of the error messages says: which meaningful words and word pairs occur,
/// the `Limit N` / `Requested M` figures of a token-window error, and a "try again in 9m38s"
/// wait. Built in one pass over the message bytes without allocating per word.
struct MessageFacts {
  /// Word pairs that mean more than their words apart.
  enum Pair: Int {
    case apiKey, keyNoun, secretToken, rateLimit, tooMany, tooLarge, tooLong, contextLength
    case notFound, notValid, timedOut, systemMemory, noSuch, spendLimit, creditBalance
    case keyLimit, authenticationFails, noCredential, notSupported, temporarilyUnavailable
    case slowDown, deadlineExceeded, secondaryRate, unregisteredCaller, notAuthorized
    case serviceDisabled
  }

  private var words: UInt128 = 0
  private var pairs: UInt64 = 0
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
          index &+= ByteClass.leadingLowercaseCount(
            UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
        }
      } while index < count && ByteClass.of(bytes[index]) & ByteClass.word != 0
      let length = index - start
      if bytes[start] &- 48 < 10 {
        readNumber(bytes, start: start, end: index, after: previous)
        previous = nil
        continue
      }
      let word =
        length > PackedWord.maximumLength
        ? longWord(bytes, start: start, count: length)
        : MessageWord.lookup(bytes, start: start, count: length, in: spellings)
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

  /// Long identifiers inside messages, such as Google quota metric names
  /// (`generate_content_requests_per_minute_per_project`) or `free-models-per-day`.
  ///
  /// One case-insensitive pass over the original bytes (no lower-cased copy): at each byte
  /// that can start a needle (`f`, `p`, `m`, `c`), the needles starting there are compared;
  /// the found ones are then ranked as the separate searches were.
  private func longWord(_ bytes: UnsafeRawBufferPointer, start: Int, count: Int) -> MessageWord? {
    let end = start + count
    var freeDaily = false
    var day = false
    var minute = false
    var month = false
    var context = false
    var index = start
    while index < end {
      switch PackedWord.lowercased(bytes[index]) {
      case UInt8(ascii: "f"):
        if Self.has(bytes, at: index, end: end, "free-models-per-day") { freeDaily = true }
      case UInt8(ascii: "p"):
        if Self.has(bytes, at: index, end: end, "perday")
          || Self.has(bytes, at: index, end: end, "per_day")
          || Self.has(bytes, at: index, end: end, "per-day")
        {
          day = true
        }
      case UInt8(ascii: "m"):
        if Self.has(bytes, at: index, end: end, "minute") { minute = true }
        if Self.has(bytes, at: index, end: end, "month") { month = true }
      case UInt8(ascii: "c"):
        if Self.has(bytes, at: index, end: end, "context_length") { context = true }
      default:
        break
      }
      index += 1
    }
    if freeDaily { return .freeDaily }
    if day { return .day }
    if minute { return .minute }
    if month { return .month }
    if context { return .context }
    return nil
  }

  /// Whether `bytes[index..<end]` starts with `needle` (lower case), ignoring ASCII case.
  @inline(always)
  private static func has(
    _ bytes: UnsafeRawBufferPointer, at index: Int, end: Int, _ needle: StaticString
  ) -> Bool {
    let count = needle.utf8CodeUnitCount
    guard end - index >= count else { return false }
    let pattern = needle.utf8Start
    for offset in 0..<count where PackedWord.lowercased(bytes[index + offset]) != pattern[offset] {
      return false
    }
    return true
  }
}
