import FailSafe
import FailSafeTesting
import Foundation
import Testing

@Suite("Credential sources", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct CredentialSourceTests {
  @Test func aChangedFileIsInstalledAtTheNextCheckAndClosesTheBreaker() async throws {
    let folder = try TemporaryFolder()
    try folder.write("key-a\n", to: "key")
    let clock = ManualClock()
    let problems = SourceProblems()
    let pool = try makePool(
      clock: clock,
      sourcing: CredentialSourcing(
        .file(atPath: folder.path("key")), onProblem: problems.handler))
    try kill("key-a", in: pool)
    // The death started the watcher: one sleeper, 30 s out.
    await clock.waitForSleepers(count: 1)
    #expect(clock.nextDeadline == .init(offset: .seconds(30)))
    try folder.write("  fresh-key \n", to: "key")
    await clock.advance(by: .seconds(30))
    let breaker = try #require(pool.breaker(for: "key-a"))
    #expect(breaker.state == .closed)
    let executor = ClockedRetryExecutor(pool: pool, classifier: TestClassifier())
    #expect(try await executor.run { $0 } == "fresh-key")
    #expect(problems.all.isEmpty)
    // Nothing left to watch: the watcher ended.
    #expect(clock.sleeperCount == 0)
  }

  @Test func theSameDeadValueChangesNothing() async throws {
    let folder = try TemporaryFolder()
    try folder.write("key-a", to: "key")
    let clock = ManualClock()
    let pool = try makePool(
      clock: clock, sourcing: CredentialSourcing(.file(atPath: folder.path("key"))))
    try kill("key-a", in: pool)
    for _ in 0..<3 {
      await clock.waitForSleepers(count: 1)
      await clock.advance(by: .seconds(30))
    }
    #expect(pool.breaker(for: "key-a")?.state == .dead)
    #expect(await pool.checkSources() == [])
  }

  @Test func anUnreadableFileChangesNothingAndIsReported() async throws {
    let folder = try TemporaryFolder()
    let clock = ManualClock()
    let problems = SourceProblems()
    let pool = try makePool(
      clock: clock,
      sourcing: CredentialSourcing(
        .file(atPath: folder.path("missing")), onProblem: problems.handler))
    try kill("key-a", in: pool)
    await clock.waitForSleepers(count: 1)
    await clock.advance(by: .seconds(30))
    #expect(pool.breaker(for: "key-a")?.state == .dead)
    #expect(problems.all.count == 1)
    #expect(problems.all.first?.contains("cannot read") == true)
    // Still watched: a later fix is noticed.
    try folder.write("repaired", to: "missing")
    await clock.waitForSleepers(count: 1)
    await clock.advance(by: .seconds(30))
    #expect(pool.breaker(for: "key-a")?.state == .closed)
  }

  @Test func anEmptiedFileIsNeverHandedOut() async throws {
    let folder = try TemporaryFolder()
    try folder.write(" \n\t\n", to: "key")
    let clock = ManualClock()
    let problems = SourceProblems()
    let pool = try makePool(
      clock: clock,
      sourcing: CredentialSourcing(.file(atPath: folder.path("key")), onProblem: problems.handler))
    try kill("key-a", in: pool)
    #expect(await pool.checkSources() == [])
    #expect(pool.breaker(for: "key-a")?.state == .dead)
    #expect(
      problems.all == ["key-a: credential key-a: the value in \(folder.path("key")) is empty"])
  }

  @Test func aHealthyCredentialIsNotReadAgain() async throws {
    let reads = LockedValue(0)
    let clock = ManualClock()
    let pool = try makePool(
      clock: clock,
      sourcing: CredentialSourcing(
        CredentialSource { _ in
          reads.withLock { $0 += 1 }
          return "other"
        }))
    #expect(await pool.checkSources() == [])
    #expect(reads.value == 0)
    #expect(clock.sleeperCount == 0)
  }

  @Test func aPausedCredentialWithoutARefresherIsReadAgain() async throws {
    let clock = ManualClock()
    let pool = try makePool(
      clock: clock, sourcing: CredentialSourcing(.fixed(["key-a": "rotated"])))
    let breaker = try #require(pool.breaker(for: "key-a"))
    breaker.recordFailure(
      try breaker.acquire(),
      Classification(disposition: .unauthorized, reason: .keyInvalid, evidence: "401"))
    #expect(breaker.state == .paused)
    #expect(await pool.checkSources() == ["key-a"])
    #expect(breaker.state == .closed)
  }

  @Test func keyValueFilesReadTheNamedLine() async throws {
    let folder = try TemporaryFolder()
    try folder.write(
      """
      # keys
      export GEMINI_KEY="abc123"
      OTHER=zzz
      GEMINI_KEY = 'def456'
      """, to: "env")
    let source = CredentialSource.file(
      atPath: folder.path("env"), format: .keyValue, name: { _ in "GEMINI_KEY" })
    #expect(try await source.read("gemini") == "def456")
    let missing = CredentialSource.file(atPath: folder.path("env"), format: .keyValue)
    await #expect(throws: CredentialSourceError.noValue("gemini", where: folder.path("env"))) {
      try await missing.read("gemini")
    }
  }

  @Test func jsonFilesReadTheNamedMember() async throws {
    let folder = try TemporaryFolder()
    try folder.write(#"{"primary": " k1 ", "count": 3}"#, to: "keys.json")
    let source = CredentialSource.file(atPath: folder.path("keys.json"), format: .json)
    #expect(try await source.read("primary") == "k1")
    await #expect(throws: CredentialSourceError.self) { try await source.read("count") }
    try folder.write("[1, 2]", to: "keys.json")
    await #expect(throws: CredentialSourceError.self) { try await source.read("primary") }
  }

  @Test func aDirectoryOfFilesReadsOneFilePerCredential() async throws {
    let folder = try TemporaryFolder()
    try folder.write("\u{FEFF}secret-b\n", to: "b")
    let source = CredentialSource.files(inDirectory: folder.url.path)
    #expect(try await source.read("b") == "secret-b")
    await #expect(throws: CredentialSourceError.self) { try await source.read("a") }
  }
}
