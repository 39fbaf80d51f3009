import FailSafe
import FailSafeTesting
import Foundation
import Testing

@Suite("state file reading", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct StateDocumentReadingTests {
  let loadedAt = StateFixtures.at(1_000)

  func read(_ text: String) -> StateDocumentReading {
    PersistedStateDocument.read(from: Data(text.utf8), loadedAt: loadedAt)
  }

  /// A healthy file with a dead credential and one credential whose entry is `entry`.
  func file(withEntry entry: String) -> String {
    """
    {"format": "failsafe.breaker-state", "version": 1, "credentials": {
      "dead-key": {"state": "dead", "consecutiveFailures": 1, "reason": "keyInvalid",
                   "counters": {"failures": 1, "rejections": 0, "trips": 0},
                   "updatedAt": "2026-11-23T16:00:00.000Z"},
      "probe": \(entry)
    }}
    """
  }

  @Test func aWrittenDocumentReadsBackIdenticallyWithoutDiagnostics() throws {
    var document = StateFixtures.sampleDocument
    document.credentials["revived"] = StateFixtures.entry(
      .closed, updated: 40, action: .revive, actionAt: 40)
    let data = try document.encoded()
    let reading = PersistedStateDocument.read(from: data, loadedAt: loadedAt)
    #expect(reading.diagnostics.isEmpty)
    #expect(reading.document == document)
    // Writing what was read gives the same bytes: an unchanged file is never rewritten.
    #expect(try reading.document.encoded() == data)
  }

  @Test func aNormalizedDocumentReadsBackExactlyWhateverItHeldInMemory() throws {
    var generator = SeededGenerator(state: 42)
    func pick<T>(_ values: [T]) -> T { values[Int(generator.next() % UInt64(values.count))] }
    let dates: [Date] = [
      StateFixtures.at(0.000_4), StateFixtures.at(0.999_6), .distantPast, .distantFuture,
      Date(timeIntervalSince1970: -5), Date(timeIntervalSince1970: .nan), StateFixtures.epoch,
    ]
    let texts = [
      "", "keyInvalid", String(repeating: "r", count: 500), "a\u{1B}b\n", "ü😀",
      "HTTP 401 key=sk-abcdefghijklmnopqrstuvwxyz0123456789 Bearer abc.def.ghi",
      String(repeating: "x", count: 290) + " AIzaSyA1234567890abcdefghijklmnopqrstuv",
      String(repeating: "y", count: 299) + "sk-" + String(repeating: "Z9", count: 30),
    ]
    var document = PersistedStateDocument(savedAt: pick(dates))
    for index in 0..<200 {
      var entry = PersistedCredentialState(
        status: pick(BreakerState.allCases), updatedAt: pick(dates))
      entry.consecutiveFailures = pick([-3, 0, 7, Int.max])
      entry.streak = pick([Int.min, 0, 2])
      entry.reopenAt = pick([nil, pick(dates)])
      entry.reason = pick([nil, FailureReason(rawValue: pick(texts))])
      if generator.next() % 2 == 0 {
        var failure = PersistedFailure(
          disposition: pick([nil, .permanent]), reason: FailureReason(rawValue: pick(texts)),
          evidence: pick(texts), at: pick([nil, pick(dates)]), repeats: 3)
        failure.evidence = pick(texts)
        failure.repeats = pick([-1, 5])
        entry.firstError = failure
      }
      entry.counters.failures = pick([-1, 3])
      entry.lastOperatorAction = pick([
        nil, OperatorAction(kind: OperatorActionKind(rawValue: pick(texts)), at: pick(dates)),
      ])
      document.credentials[pick(["id-\(index)", "", String(repeating: "x", count: 600)])] = entry
    }
    let normalized = document.normalized()
    let reading = PersistedStateDocument.read(
      from: try normalized.encoded(), loadedAt: StateFixtures.epoch)
    #expect(reading.diagnostics == [])
    #expect(reading.document.credentials == normalized.credentials)
    #expect(normalized.normalized() == normalized)
  }

  static let damagedCounts: [(json: String, closedStreak: Int, openStreak: Int)] = [
    ("\"not-a-number\"", 0, 1), ("[]", 0, 1), ("{}", 0, 1), ("null", 0, 1), ("3.7", 3, 3),
    ("-5", 0, 1), ("1e300", Int.max, Int.max), ("1e999", Int.max, Int.max), ("true", 0, 1),
    ("-0.5", 0, 1), ("\"12\"", 0, 1),
  ]

  @Test(arguments: damagedCounts)
  func aDamagedStreakGetsASafeDefaultAndADiagnostic(
    damage: (json: String, closedStreak: Int, openStreak: Int)
  ) {
    for (state, expected) in [("closed", damage.closedStreak), ("open", damage.openStreak)] {
      let reading = read(
        file(
          withEntry: """
            {"state": "\(state)", "consecutiveFailures": \(damage.json),
             "reopenAt": "2026-11-23T16:10:00.000Z", "updatedAt": "2026-11-23T16:00:00.000Z"}
            """))
      let probe = reading.document.credentials["probe"]
      #expect(probe?.status.rawValue == state)
      #expect(probe?.consecutiveFailures == expected)
      #expect(reading.diagnostics.count == 1)
      #expect(reading.diagnostics.first?.credentialID == "probe")
      #expect(reading.diagnostics.first?.field == "consecutiveFailures")
      #expect(reading.document.credentials["dead-key"]?.status == .dead)
    }
  }

  @Test(arguments: damagedCounts)
  func aDeadCredentialStaysDeadWhateverItsOtherFieldsHold(
    damage: (json: String, closedStreak: Int, openStreak: Int)
  ) {
    let reading = read(
      file(
        withEntry: """
          {"state": "dead", "consecutiveFailures": \(damage.json), "reopenAt": \(damage.json),
           "reason": \(damage.json), "firstError": \(damage.json), "counters": \(damage.json),
           "updatedAt": \(damage.json), "operatorAction": \(damage.json)}
          """))
    #expect(reading.document.credentials["probe"]?.status == .dead)
    #expect(reading.isDamaged)
  }

  @Test(arguments: [
    "\"zombie\"", "\"DEAD\"", "5", "null", "[]", "{}", "true", "\"\"",
  ])
  func anUnreadableStateKeepsTheCredentialOutOfRotation(state: String) {
    let reading = read(
      file(withEntry: #"{"state": \#(state), "updatedAt": "2026-11-23T16:00:00.000Z"}"#))
    let probe = reading.document.credentials["probe"]
    #expect(probe?.status == .paused)
    #expect(probe?.reason == "damagedEntry")
    #expect(reading.diagnostics.contains { $0.credentialID == "probe" && $0.field == "state" })
  }

  @Test(arguments: ["5", "null", "[]", "\"dead\"", "true", "{}"])
  func anEntryThatIsNotAnObjectIsPaused(entry: String) {
    let reading = read(file(withEntry: entry))
    let probe = reading.document.credentials["probe"]
    #expect(probe?.status == .paused)
    #expect(reading.document.credentials["dead-key"]?.status == .dead)
    #expect(!reading.diagnostics.isEmpty)
  }

  @Test func aMissingRequiredFieldIsReported() {
    let reading = read(file(withEntry: #"{"state": "closed"}"#))
    let probe = reading.document.credentials["probe"]
    #expect(probe?.status == .closed)
    #expect(probe?.consecutiveFailures == 0)
    #expect(probe?.updatedAt == loadedAt)
    #expect(reading.diagnostics.map(\.field) == ["consecutiveFailures", "updatedAt"])
  }

  @Test(arguments: ["\"tomorrow\"", "1e300", "-5", "[]", "\"99999-01-01T00:00:00Z\""])
  func aDamagedReopenTimeIsDroppedSoTheMaximumCooldownApplies(reopen: String) {
    let reading = read(
      file(
        withEntry: """
          {"state": "open", "consecutiveFailures": 4, "reopenAt": \(reopen),
           "updatedAt": "2026-11-23T16:00:00.000Z"}
          """))
    let probe = reading.document.credentials["probe"]
    #expect(probe?.status == .open)
    #expect(probe?.reopenAt == nil)
    #expect(probe?.consecutiveFailures == 4)
    #expect(reading.diagnostics.map(\.field) == ["reopenAt"])
  }

  @Test func datesAreReadFromOtherISOFormsAndFromEpochSeconds() {
    let reading = read(
      file(
        withEntry: """
          {"state": "open", "consecutiveFailures": 1, "reopenAt": 1795450200,
           "updatedAt": "2026-11-23T17:00:00+01:00"}
          """))
    let probe = reading.document.credentials["probe"]
    #expect(probe?.reopenAt == StateFixtures.at(600))
    #expect(probe?.updatedAt == StateFixtures.epoch)
    #expect(reading.diagnostics.isEmpty)
  }

  @Test(arguments: ["", "   \n", "\u{FEFF}"])
  func anEmptyFileReadsAsNoCredentialsWithADiagnostic(text: String) {
    let reading = read(text)
    #expect(reading.document.credentials.isEmpty)
    #expect(reading.isDamaged)
  }

  @Test func aLeadingByteOrderMarkIsSkipped() throws {
    // Issue 19 #2: a file saved with a UTF-8 BOM was "not a state file".
    let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    let bytes = bom + Array(try StateFixtures.sampleDocument.encoded())
    let reading = PersistedStateDocument.read(from: Data(bytes), loadedAt: loadedAt)
    #expect(reading.isStateFile)
    #expect(!reading.isDamaged)
    #expect(reading.diagnostics.isEmpty)
    #expect(reading.document.credentials == StateFixtures.sampleDocument.credentials)
    // A BOM alone is an empty file, which a save may repair.
    let alone = PersistedStateDocument.read(from: Data(bom), loadedAt: loadedAt)
    #expect(alone.isStateFile)
    #expect(alone.document.credentials.isEmpty)
  }

  @Test(arguments: ["[]", "42", "\"state\"", "null", "not json at all"])
  func aFileThatIsNotAStateObjectReadsAsEmptyWithADiagnostic(text: String) {
    let reading = read(text)
    #expect(reading.document.credentials.isEmpty)
    #expect(reading.isDamaged)
  }

  @Test func everyPrefixOfAFileLoadsAndNeverBringsADeadCredentialBack() throws {
    let data = try StateFixtures.sampleDocument.encoded()
    let bytes = Array(data)
    for length in 0..<bytes.count {
      let reading = PersistedStateDocument.read(
        from: Data(bytes[0..<length]), loadedAt: loadedAt)
      #expect(reading.isDamaged, "prefix of \(length) bytes")
      if let dead = reading.document.credentials["dead-key"] {
        #expect(dead.status.isHeld, "prefix of \(length) bytes: \(dead.status)")
      }
      if let open = reading.document.credentials["open-key"] {
        #expect(open.status.severity >= BreakerState.open.severity)
      }
    }
    let whole = PersistedStateDocument.read(from: data, loadedAt: loadedAt)
    #expect(!whole.isDamaged)
  }

  @Test func entriesBeforeAndAfterASyntaxErrorAreKept() {
    let text = """
      {"version": 1, "credentials": {
        "a": {"state": "dead", "consecutiveFailures": 1, "updatedAt": "2026-11-23T16:00:00.000Z"},
        "b": {"state": "closed", "consecutiveFailures": 0, "updatedAt": "2026-11-23T16:00:00.000Z"}
        "c": {"state": "closed"}
      }}
      """
    let reading = read(text)
    #expect(reading.document.credentials["a"]?.status == .dead)
    #expect(reading.document.credentials["b"]?.status == .closed)
    #expect(reading.document.credentials["c"]?.status == .closed)
    #expect(reading.isDamaged)
  }

  @Test func aNewerSchemaIsReadAsFarAsKnownAndFlaggedButNotDamage() {
    let text = """
      {"format": "failsafe.breaker-state", "version": 7, "credentials": {
        "a": {"state": "dead", "consecutiveFailures": 1, "updatedAt": "2026-11-23T16:00:00.000Z",
              "quantumFlux": {"x": 1}}}, "newTopLevel": [1, 2]}
      """
    let reading = read(text)
    #expect(reading.document.version == 7)
    #expect(reading.document.isFromNewerVersion)
    #expect(reading.document.credentials["a"]?.status == .dead)
    #expect(reading.diagnostics.count == 1)
    #expect(!reading.isDamaged)
  }

  @Test func duplicateEntriesOfOneCredentialAreMergedCautiously() {
    let text = """
      {"version": 1, "credentials": {
        "a": {"state": "dead", "consecutiveFailures": 1, "updatedAt": "2026-11-23T16:00:00.000Z"},
        "a": {"state": "closed", "consecutiveFailures": 0, "updatedAt": "2026-11-23T17:00:00.000Z"}
      }}
      """
    let reading = read(text)
    #expect(reading.document.credentials["a"]?.status == .dead)
    #expect(reading.diagnostics.contains { $0.credentialID == "a" })
  }

  @Test func deepNestingIsADiagnosticNotAStackOverflow() {
    let depth = 200_000
    let text =
      #"{"version": 1, "credentials": {"a": "# + String(repeating: "[", count: depth)
      + String(repeating: "]", count: depth) + "}}"
    let reading = read(text)
    #expect(reading.isDamaged)
  }

  @Test func randomBytesNeverCrashTheReader() {
    var generator = SeededGenerator(state: 0x5EED)
    let alphabet = Array(#"{}[]":,.-+0123456789eEtrufalsn \"\\ abc"#.utf8)
    for _ in 0..<2_000 {
      let length = Int(generator.next() % 200)
      let bytes = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
      _ = PersistedStateDocument.read(from: Data(bytes), loadedAt: loadedAt)
    }
    for _ in 0..<500 {
      let length = Int(generator.next() % 200)
      let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
      _ = PersistedStateDocument.read(from: Data(bytes), loadedAt: loadedAt)
    }
  }

  @Test func evidenceIsRedactedOnTheWayInAndOnTheWayOut() throws {
    let secret = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD"
    let failure = PersistedFailure(
      disposition: .permanent, reason: .keyInvalid, evidence: "Incorrect API key: \(secret)")
    #expect(!failure.evidence.contains("abcdefghijklmnop"))
    var entry = PersistedCredentialState(status: .dead, firstError: failure, updatedAt: loadedAt)
    entry.firstError?.evidence = "set later: \(secret)"
    let data = try PersistedStateDocument(credentials: ["k": entry]).encoded()
    #expect(!String(decoding: data, as: UTF8.self).contains("abcdefghijklmnop"))
    // A hand-edited file with a secret in it is redacted when read.
    let text = file(
      withEntry:
        #"{"state": "dead", "firstError": {"reason": "keyInvalid", "evidence": "\#(secret)"}}"#
    )
    let reading = read(text)
    #expect(
      reading.document.credentials["probe"]?.firstError?.evidence.contains("abcdefghij") == false)
  }

  @Test func controlCharactersAndLongEvidenceAreTamed() {
    let evidence = "\u{1B}[31mred\u{07}" + String(repeating: "x", count: 5_000)
    let failure = PersistedFailure(disposition: .permanent, reason: .keyInvalid, evidence: evidence)
    #expect(!failure.evidence.contains("\u{1B}"))
    #expect(failure.evidence.count <= PersistedFailure.maximumEvidenceLength + 1)
  }

  @Test func theDecodableConformanceIsAsTolerantAsTheReader() throws {
    let text = file(withEntry: #"{"state": "open", "consecutiveFailures": "not-a-number"}"#)
    let document = try JSONDecoder().decode(PersistedStateDocument.self, from: Data(text.utf8))
    #expect(document.credentials["dead-key"]?.status == .dead)
    #expect(document.credentials["probe"]?.status == .open)
    #expect(document.credentials["probe"]?.consecutiveFailures == 1)
  }
}
