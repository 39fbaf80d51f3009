import FailSafe
import FailSafeTesting
import Foundation
import Testing

@Suite(
  "Waiting for a usable credential", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct CredentialWaitTests {
  private typealias Pool = ClockedCredentialPool<String, ManualClock>

  /// Starts a waiter and returns once it is registered.
  private func waiter(
    on pool: Pool, deadline: ManualClock.Instant? = nil
  ) async -> Task<Void, any Error> {
    let before = pool.waitingCount
    let task = Task { try await pool.waitUntilUsable(deadline: deadline) }
    await yieldUntil { pool.waitingCount > before }
    return task
  }

  /// An executor whose calls hold until a credential is usable.
  private func holdingExecutor(on pool: Pool) -> ClockedRetryExecutor<String, ManualClock> {
    ClockedRetryExecutor(
      pool: pool, classifier: TestClassifier(),
      configuration: RetryConfiguration(credentialWait: RetryConfiguration.untilUsable))
  }

  @Test func aUsablePoolReturnsAtOnce() async throws {
    let pool = try makePool(clock: ManualClock())
    try await pool.waitUntilUsable()
    #expect(pool.waitingCount == 0)
  }

  @Test func aReplacementWakesAWaiter() async throws {
    let pool = try makePool(clock: ManualClock())
    try kill("key-a", in: pool)
    let waiting = await waiter(on: pool)
    pool.replace("key-a", with: "new")
    try await waiting.valueCancellingWithCaller
    #expect(pool.waitingCount == 0)
  }

  @Test func aReviveWakesAWaiter() async throws {
    let pool = try makePool(clock: ManualClock())
    try kill("key-a", in: pool)
    let waiting = await waiter(on: pool)
    pool.breaker(for: "key-a")?.revive()
    try await waiting.valueCancellingWithCaller
  }

  @Test func aReviveAdoptedFromSharedStateWakesAWaiter() async throws {
    let clock = ManualClock()
    let pool = try makePool(clock: clock)
    try kill("key-a", in: pool)
    let waiting = await waiter(on: pool)
    // What a persistence sync does when an operator revived the key in the shared file.
    var snapshot = try #require(pool.breaker(for: "key-a")?.snapshot())
    snapshot.state = .closed
    pool.registry.restore(["key-a": snapshot])
    try await waiting.valueCancellingWithCaller
  }

  @Test func aResumeWakesAWaiter() async throws {
    let pool = try makePool(clock: ManualClock())
    let breaker = try #require(pool.breaker(for: "key-a"))
    breaker.recordFailure(
      try breaker.acquire(),
      Classification(disposition: .unauthorized, reason: .keyInvalid, evidence: "401"))
    let waiting = await waiter(on: pool)
    pool.resume("key-a")
    try await waiting.valueCancellingWithCaller
  }

  @Test func theEndOfACooldownWakesAWaiterWithoutPolling() async throws {
    let clock = ManualClock()
    let pool = try makePool(clock: clock)
    pool.breaker(for: "key-a")?.forceOpen(for: .seconds(25))
    let waiting = await waiter(on: pool)
    // One alarm for the queue, at the cooldown's end: nothing wakes before.
    await clock.waitForSleepers(count: 1)
    #expect(clock.sleeperCount == 1)
    #expect(clock.nextDeadline == .init(offset: .seconds(25)))
    await clock.advance(by: .seconds(25))
    try await waiting.valueCancellingWithCaller
    #expect(clock.sleeperCount == 0)
  }

  @Test func cancellationEndsTheWaitAtOnce() async throws {
    let clock = ManualClock()
    let pool = try makePool(clock: clock)
    try kill("key-a", in: pool)
    let waiting = await waiter(on: pool)
    waiting.cancel()
    await #expect(throws: CredentialWaitError.cancelled) {
      try await waiting.valueCancellingWithCaller
    }
    #expect(pool.waitingCount == 0)
  }

  @Test func theDeadlineEndsTheWait() async throws {
    let clock = ManualClock()
    let pool = try makePool(clock: clock)
    try kill("key-a", in: pool)
    let waiting = await waiter(on: pool, deadline: .init(offset: .seconds(10)))
    await clock.waitForSleepers(count: 1)
    await clock.advance(by: .seconds(10))
    await #expect(throws: CredentialWaitError.deadlineReached) {
      try await waiting.valueCancellingWithCaller
    }
    #expect(clock.sleeperCount == 0)
    // A deadline already past ends it at once.
    await #expect(throws: CredentialWaitError.deadlineReached) {
      try await pool.waitUntilUsable(deadline: .init(offset: .seconds(5)))
    }
  }

  @Test func tenThousandWaitersWakeInBatchesAndAllResume() async throws {
    let clock = ManualClock()
    let pool = try makePool(clock: clock)
    pool.breaker(for: "key-a")?.forceOpen(for: .seconds(60))
    let resumed = LockedValue(0)
    let count = 10_000
    let tasks = (0..<count).map { _ in
      Task {
        try await pool.waitUntilUsable()
        resumed.withLock { $0 += 1 }
      }
    }
    await yieldUntil { pool.waitingCount == count }
    // The cooldown's end makes one probe due: one waiter wakes, not ten thousand.
    await clock.waitForSleepers(count: 1)
    await clock.advance(by: .seconds(60))
    await yieldUntil { resumed.value == 1 }
    for _ in 0..<100 { await Task.yield() }
    #expect(resumed.value == 1)
    #expect(pool.waitingCount == count - 1)
    // The probe succeeds: the breaker closes and the rest wake, a batch at a time.
    let breaker = try #require(pool.breaker(for: "key-a"))
    let probe = try breaker.acquire()
    breaker.recordSuccess(probe)
    for task in tasks { try await task.valueCancellingWithCaller }
    #expect(resumed.value == count)
    #expect(pool.waitingCount == 0)
  }

  @Test func anExecutorCallHeldUntilUsableResumesWithTheNewKey() async throws {
    let clock = ManualClock()
    let pool = try makePool(clock: clock)
    try kill("key-a", in: pool)
    let executor = holdingExecutor(on: pool)
    let log = CallLog()
    let call = Task {
      try await executor.run { key in
        log.append(key)
        return key
      }
    }
    await yieldUntil { pool.waitingCount == 1 }
    #expect(log.count == 0)
    pool.replace("key-a", with: "key-new")
    #expect(try await call.valueCancellingWithCaller == "key-new")
    #expect(log.all == ["key-new"])
  }

  @Test func aCallThatKilledTheKeyItselfResumesWithTheReplacement() async throws {
    let clock = ManualClock()
    let pool = try makePool(clock: clock)
    let executor = holdingExecutor(on: pool)
    let log = CallLog()
    let call = Task {
      try await executor.run { key in
        log.append(key)
        if key == "key-a" { throw apiKeyInvalid }
        return key
      }
    }
    // The call's own answer kills the key; the call holds instead of failing.
    await yieldUntil { pool.waitingCount == 1 }
    #expect(pool.breaker(for: "key-a")?.state == .dead)
    pool.replace("key-a", with: "key-new")
    #expect(try await call.valueCancellingWithCaller == "key-new")
    #expect(log.all == ["key-a", "key-new"])
  }

  @Test func withoutAWaitTheFailureSaysHoldNotFail() async throws {
    let clock = ManualClock()
    let pool = try makePool(clock: clock)
    try kill("key-a", in: pool)
    let executor = ClockedRetryExecutor(pool: pool, classifier: TestClassifier())
    do {
      _ = try await executor.run { $0 }
      Issue.record("expected a failure")
    } catch {
      #expect(error.reason == .credentialDead)
      #expect(error.jobAction == .hold(until: nil))
    }
    pool.replace("key-a", with: "key-b")
    pool.breaker(for: "key-a")?.forceOpen(for: .seconds(9))
    do {
      _ = try await executor.run { $0 }
      Issue.record("expected a failure")
    } catch {
      #expect(error.jobAction == .hold(until: .init(offset: .seconds(9))))
    }
  }

  @Test func aFatalAnswerFailsTheJob() async throws {
    let clock = ManualClock()
    let executor = ClockedRetryExecutor(
      pool: try makePool(clock: clock), classifier: TestClassifier())
    do {
      _ = try await executor.run { _ in throw answer(400, "bad request") }
      Issue.record("expected a failure")
    } catch {
      #expect(error.reason == .fatal)
      #expect(error.jobAction == .fail)
    }
  }
}
