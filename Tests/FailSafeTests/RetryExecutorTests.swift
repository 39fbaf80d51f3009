import FailSafeTesting
import Foundation
import Testing

@testable import FailSafe

private typealias Failure = RetryFailure<ManualClock.Instant>

/// Runs `body`, expecting a `RetryFailure`, and returns it.
private func expectFailure<T>(
  _ body: () async throws(Failure) -> T, sourceLocation: SourceLocation = #_sourceLocation
) async -> Failure? {
  do {
    _ = try await body()
    Issue.record("expected a RetryFailure", sourceLocation: sourceLocation)
    return nil
  } catch {
    return error
  }
}

/// Awaits `task`, expecting it to throw a `RetryFailure`, and returns it.
private func expectFailure<T>(
  of task: Task<T, any Error>, sourceLocation: SourceLocation = #_sourceLocation
) async -> Failure? {
  do {
    _ = try await task.valueCancellingWithCaller
    Issue.record("expected a RetryFailure", sourceLocation: sourceLocation)
  } catch let failure as Failure {
    return failure
  } catch {
    Issue.record("expected a RetryFailure, got \(error)", sourceLocation: sourceLocation)
  }
  return nil
}

@Suite("RetryExecutor", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct RetryExecutorTests {
  @Test func aSuccessReturnsAtOnceAndRefundsTheBudget() async throws {
    let clock = ManualClock()
    let budget = RetryBudget(
      try .init(capacity: 10, retryCost: 5, timeoutRetryCost: 5, successRefund: 1))
    _ = budget.withdrawRetry(after: .serverError)
    let executor = try makeExecutor(clock: clock, budget: budget)
    let value = try await executor.run { key in "ok with \(key)" }
    #expect(value == "ok with key-a")
    #expect(budget.availableTokens == 6)
  }

  @Test func retryableFailuresAreRetriedOnTheBackoffSchedule() async throws {
    let clock = ManualClock()
    let executor = try makeExecutor(clock: clock, breakerPolicy: testBreakerPolicy(threshold: 5))
    let log = CallLog()
    let call = Task {
      try await executor.run { key in
        log.append(key)
        if log.count < 3 { throw answer(503) }
        return "done"
      }
    }
    await clock.waitForSleepers(count: 1)
    #expect(clock.nextDeadline == .init(offset: .seconds(1)))
    await clock.advance(by: .seconds(1))
    await clock.waitForSleepers(count: 1)
    #expect(clock.nextDeadline == .init(offset: .seconds(3)))
    await clock.advance(by: .seconds(2))
    #expect(try await call.valueCancellingWithCaller == "done")
    #expect(log.count == 3)
  }

  @Test func aRetryWaitsForTheBreakerItOpenedToReopen() async throws {
    let clock = ManualClock()
    let executor = try makeExecutor(clock: clock, breakerPolicy: testBreakerPolicy(threshold: 1))
    let log = CallLog()
    let call = Task {
      try await executor.run { key in
        log.append(key)
        if log.count == 1 { throw answer(503) }
        return "done"
      }
    }
    await clock.waitForSleepers(count: 1)
    #expect(clock.nextDeadline == .init(offset: .seconds(1)))  // the backoff
    await clock.advance(by: .seconds(1))
    await clock.waitForSleepers(count: 1)
    #expect(clock.nextDeadline == .init(offset: .seconds(5)))  // the breaker's cooldown
    await clock.advance(to: .init(offset: .seconds(5)))
    #expect(try await call.valueCancellingWithCaller == "done")
    #expect(log.count == 2)
  }

  @Test func aFirstAttemptDoesNotWaitForAnOpenBreaker() async throws {
    let clock = ManualClock()
    let executor = try makeExecutor(clock: clock)
    executor.pool.breaker(for: "key-a")?.forceOpen(for: .seconds(5))
    let failure = await expectFailure { () async throws(Failure) in try await executor.run { $0 } }
    #expect(failure?.reason == .credentialsUnavailable(until: .init(offset: .seconds(5))))
  }

  @Test func theProvidersWaitReplacesTheBackoff() async throws {
    let clock = ManualClock()
    let executor = try makeExecutor(
      clock: clock, breakerPolicy: BreakerPolicy(opensOnProviderWait: false))
    let log = CallLog()
    let call = Task {
      try await executor.run { key in
        log.append(key)
        if log.count == 1 { throw answer(429, retryAfter: 7) }
        return "done"
      }
    }
    await clock.waitForSleepers(count: 1)
    #expect(clock.nextDeadline == .init(offset: .seconds(7)))
    await clock.advance(by: .seconds(7))
    #expect(try await call.valueCancellingWithCaller == "done")
  }

  @Test func attemptsRunOutAndTheErrorKeepsTheFirstAndLastFailure() async throws {
    let clock = ManualClock()
    let executor = try makeExecutor(
      clock: clock, breakerPolicy: testBreakerPolicy(threshold: 10),
      configuration: testRetryConfiguration(maxAttempts: 3))
    let log = CallLog()
    let call = Task { () async throws(Failure) -> String in
      try await executor.run { key in
        log.append(key)
        throw log.count == 1 ? answer(500) : answer(502)
      }
    }
    for _ in 0..<2 {
      await clock.waitForSleepers(count: 1)
      await clock.advance(to: clock.nextDeadline!)
    }
    let failure = await expectFailure(of: call)
    #expect(failure?.reason == .attemptsExhausted)
    #expect(failure?.attempts == 3)
    #expect(failure?.firstFailure?.attempt == 1)
    #expect(failure?.lastFailure?.attempt == 3)
    #expect((failure?.firstFailure?.error as? ProviderResponseError)?.response.status == 500)
    #expect((failure?.lastFailure?.error as? ProviderResponseError)?.response.status == 502)
    #expect(failure?.lastFailure?.credential == "key-a")
    #expect(log.count == 3)
  }

  @Test func aFatalAnswerStopsAtOnceAndLeavesTheCredentialAlone() async throws {
    let clock = ManualClock()
    let executor = try makeExecutor(clock: clock)
    let log = CallLog()
    let failure = await expectFailure { () async throws(Failure) in
      try await executor.run { key -> String in
        log.append(key)
        throw answer(400, "context too long")
      }
    }
    #expect(failure?.reason == .fatal)
    #expect(failure?.attempts == 1)
    #expect(failure?.lastFailure?.classification.reason == .badRequest)
    #expect(executor.pool.breaker(for: "key-a")?.state == .closed)
  }

  @Test func aDeadKeyIsNeverSentAgain() async throws {
    let clock = ManualClock()
    let executor = try makeExecutor(clock: clock)
    let log = CallLog()
    for expectedAttempts in [1, 0, 0] {
      let failure = await expectFailure { () async throws(Failure) in
        try await executor.run { key -> String in
          log.append(key)
          throw apiKeyInvalid
        }
      }
      #expect(failure?.reason == .credentialDead)
      #expect(failure?.attempts == expectedAttempts)
    }
    #expect(log.count == 1)
    #expect(executor.pool.breaker(for: "key-a")?.state == .dead)
  }

  @Test func aReplacedKeyIsUsableAgainWithItsNewValue() async throws {
    let clock = ManualClock()
    let executor = try makeExecutor(keys: ["old-secret"], clock: clock)
    let failure = await expectFailure { () async throws(Failure) in
      try await executor.run { key -> String in
        if key == "old-secret" { throw apiKeyInvalid }
        return key
      }
    }
    #expect(failure?.reason == .credentialDead)
    #expect(executor.pool.replace("old-secret", with: "new-secret"))
    #expect(!executor.pool.replace("unknown", with: "x"))
    #expect(executor.pool.breaker(for: "old-secret")?.state == .closed)
    #expect(try await executor.run { $0 } == "new-secret")
  }

  @Test func credentialVerdictsRotateWithoutSpendingAttempts() async throws {
    let clock = ManualClock()
    let executor = try makeExecutor(
      keys: ["dead", "broke", "good"], clock: clock,
      configuration: testRetryConfiguration(maxAttempts: 1))
    let log = CallLog()
    let value = try await executor.run { key in
      log.append(key)
      switch key {
      case "dead": throw answer(403)
      case "broke": throw answer(402)
      default: return key
      }
    }
    #expect(value == "good")
    #expect(log.all == ["dead", "broke", "good"])
    #expect(executor.pool.breaker(for: "dead")?.state == .dead)
    #expect(executor.pool.breaker(for: "broke")?.state == .suspended)
    // Later calls skip both and go straight to the healthy key.
    #expect(try await executor.run { $0 } == "good")
    #expect(log.count == 3)
  }

  @Test func aRateLimitedKeyRotatesAtOnceWithoutSpendingAnAttempt() async throws {
    let clock = ManualClock()
    let budget = RetryBudget()
    let executor = try makeExecutor(
      keys: ["limited", "spare"], clock: clock,
      configuration: testRetryConfiguration(maxAttempts: 1), budget: budget)
    let log = CallLog()
    let value = try await executor.run { key in
      log.append(key)
      if key == "limited" { throw answer(429, retryAfter: 30) }
      return key
    }
    #expect(value == "spare")
    #expect(log.all == ["limited", "spare"])
    #expect(clock.now == .zero)
    #expect(executor.pool.breaker(for: "limited")?.state == .open)
    // The rotation was paid from the budget, then refunded by its success.
    #expect(budget.availableTokens == 500)
  }

  @Test func aRetryableFailureOnAStillUsableKeyWaitsAndSpendsAnAttempt() async throws {
    let clock = ManualClock()
    let executor = try makeExecutor(
      keys: ["a", "b"], clock: clock, configuration: testRetryConfiguration(maxAttempts: 1))
    let failure = await expectFailure { () async throws(Failure) in
      try await executor.run { key -> String in
        if key == "a" { throw answer(503) }
        return key
      }
    }
    #expect(failure?.reason == .attemptsExhausted)
    #expect(failure?.attempts == 1)
  }

  @Test func withNoUsableCredentialTheCallFailsAtOnceSayingUntilWhen() async throws {
    let clock = ManualClock()
    let executor = try makeExecutor(keys: ["a", "b"], clock: clock)
    executor.pool.breaker(for: "a")?.forceOpen(for: .seconds(40))
    executor.pool.breaker(for: "b")?.forceOpen(for: .seconds(25))
    let log = CallLog()
    let failure = await expectFailure { () async throws(Failure) in
      try await executor.run { key -> String in
        log.append(key)
        return key
      }
    }
    #expect(failure?.reason == .credentialsUnavailable(until: .init(offset: .seconds(25))))
    #expect(failure?.retryAt == .init(offset: .seconds(25)))
    #expect(failure?.attempts == 0)
    #expect(log.count == 0)
  }

  @Test func aCredentialWaitSleepsUntilOneIsUsable() async throws {
    let clock = ManualClock()
    let executor = try makeExecutor(
      clock: clock, configuration: testRetryConfiguration(credentialWait: .seconds(60)))
    executor.pool.breaker(for: "key-a")?.forceOpen(for: .seconds(25))
    let call = Task { try await executor.run { $0 } }
    await clock.waitForSleepers(count: 1)
    #expect(clock.nextDeadline == .init(offset: .seconds(25)))
    await clock.advance(by: .seconds(25))
    #expect(try await call.valueCancellingWithCaller == "key-a")
  }

  @Test func aCredentialWaitEndsAtOnceWhenCancelled() async throws {
    let clock = ManualClock()
    let executor = try makeExecutor(
      clock: clock, configuration: testRetryConfiguration(credentialWait: .seconds(60)))
    executor.pool.breaker(for: "key-a")?.forceOpen(for: .seconds(25))
    let call = Task { try await executor.run { $0 } }
    await clock.waitForSleepers(count: 1)
    call.cancel()
    let failure = await expectFailure(of: call)
    #expect(failure?.reason == .cancelled)
    #expect(failure?.attempts == 0)
    #expect(clock.sleeperCount == 0)
  }

  @Test func aCredentialWaitNeverRunsPastTheDeadline() async throws {
    let clock = ManualClock()
    let executor = try makeExecutor(
      clock: clock,
      configuration: testRetryConfiguration(deadline: .seconds(20), credentialWait: .seconds(60)))
    executor.pool.breaker(for: "key-a")?.forceOpen(for: .seconds(25))
    let failure = await expectFailure { () async throws(Failure) in try await executor.run { $0 } }
    #expect(failure?.reason == .credentialsUnavailable(until: .init(offset: .seconds(25))))
    #expect(clock.now == .zero)
  }

  @Test func outOfRangeSettingsAreClampedNotTrappedOn() async throws {
    let clock = ManualClock()
    let executor = try makeExecutor(
      clock: clock,
      configuration: RetryConfiguration(
        maxAttempts: -5, deadline: .seconds(-1), attemptTimeout: .seconds(-3),
        credentialWait: .seconds(-9)))
    let failure = await expectFailure { () async throws(Failure) in try await executor.run { $0 } }
    #expect(failure?.reason == .deadlineExceeded)
    #expect(failure?.attempts == 0)

    let once = try makeExecutor(
      clock: clock, breakerPolicy: testBreakerPolicy(threshold: 10),
      configuration: RetryConfiguration(maxAttempts: 0))
    let log = CallLog()
    let exhausted = await expectFailure { () async throws(Failure) in
      try await once.run { key -> String in
        log.append(key)
        throw answer(503)
      }
    }
    #expect(exhausted?.reason == .attemptsExhausted)
    #expect(log.count == 1)
  }

  @Test func durationsBeyondAnyClockAreClampedOnTheDefaultClock() async throws {
    // Adding `Duration`'s largest value to a real instant would overflow; the configuration
    // clamps every duration to 100 years first.
    let pool = ClockedCredentialPool(id: "key-a", credential: "key-a", registry: BreakerRegistry())
    let farthest = Duration(attoseconds: .max)
    let executor = ClockedRetryExecutor(
      pool: pool, classifier: TestClassifier(),
      configuration: RetryConfiguration(
        deadline: farthest, attemptTimeout: farthest, credentialWait: farthest))
    #expect(try await executor.run { $0 } == "key-a")
  }

  @Test func withoutABudgetRetriesAreLimitedOnlyByAttempts() async throws {
    let clock = ManualClock()
    let executor = try makeExecutor(
      clock: clock, breakerPolicy: testBreakerPolicy(threshold: 10),
      configuration: testRetryConfiguration(maxAttempts: 3), budget: nil)
    let log = CallLog()
    let call = Task { () async throws(Failure) -> String in
      try await executor.run { key in
        log.append(key)
        throw answer(503)
      }
    }
    for _ in 0..<2 {
      await clock.waitForSleepers(count: 1)
      await clock.advance(to: clock.nextDeadline!)
    }
    #expect(await expectFailure(of: call)?.reason == .attemptsExhausted)
    #expect(log.count == 3)
  }

  @Test func noWaitStartsThatWouldEndPastTheDeadline() async throws {
    let clock = ManualClock()
    let executor = try makeExecutor(
      clock: clock, configuration: testRetryConfiguration(deadline: .seconds(10)))
    let log = CallLog()
    let failure = await expectFailure { () async throws(Failure) in
      try await executor.run { key -> String in
        log.append(key)
        throw answer(429, retryAfter: 30)
      }
    }
    #expect(failure?.reason == .deadlineExceeded)
    #expect(failure?.lastFailure?.classification.reason == .rateLimited)
    #expect(log.count == 1)
    #expect(clock.now == .zero)
  }

  @Test func aSlowAttemptIsCutAtItsTimeoutAndRetried() async throws {
    let clock = ManualClock()
    let executor = try makeExecutor(
      clock: clock, configuration: testRetryConfiguration(attemptTimeout: .seconds(2)))
    let log = CallLog()
    let call = Task {
      try await executor.run { key in
        log.append(key)
        if log.count == 1 { try await clock.sleep(for: .seconds(100)) }
        return "fast"
      }
    }
    await clock.waitForSleepers(count: 2)  // the attempt and its timer
    await clock.advance(by: .seconds(2))
    await clock.waitForSleepers(count: 1)  // the backoff
    await clock.advance(by: .seconds(1))
    #expect(try await call.valueCancellingWithCaller == "fast")
    #expect(log.count == 2)
  }

  @Test func theDeadlineCutsARunningAttempt() async throws {
    let clock = ManualClock()
    let executor = try makeExecutor(
      clock: clock, configuration: testRetryConfiguration(deadline: .seconds(5)))
    let call = Task { () async throws(Failure) -> String in
      try await executor.run { _ in
        try await clock.sleep(for: .seconds(100))
        return "late"
      }
    }
    await clock.waitForSleepers(count: 2)
    await clock.advance(by: .seconds(5))
    let failure = await expectFailure(of: call)
    #expect(failure?.reason == .deadlineExceeded)
    #expect(failure?.lastFailure?.classification.reason == .timeout)
    #expect(executor.pool.breaker(for: "key-a")?.state == .closed)
  }

  @Test func cancellationStopsTheBackoffAtOnceAndNoFurtherAttemptIsMade() async throws {
    let clock = ManualClock()
    let executor = try makeExecutor(clock: clock)
    let log = CallLog()
    let call = Task { () async throws(Failure) -> String in
      try await executor.run { key in
        log.append(key)
        throw answer(503)
      }
    }
    await clock.waitForSleepers(count: 1)
    call.cancel()
    let failure = await expectFailure(of: call)
    #expect(failure?.reason == .cancelled)
    #expect(clock.sleeperCount == 0)
    #expect(clock.now == .zero)
    #expect(log.count == 1)
  }

  @Test func anEmptyBudgetStopsRetriesButNotFirstAttempts() async throws {
    let clock = ManualClock()
    let budget = RetryBudget(
      try .init(capacity: 5, retryCost: 5, timeoutRetryCost: 5, successRefund: 1))
    let executor = try makeExecutor(
      clock: clock, breakerPolicy: testBreakerPolicy(threshold: 100), budget: budget)
    let log = CallLog()
    let call = Task { () async throws(Failure) -> String in
      try await executor.run { key in
        log.append(key)
        throw answer(503)
      }
    }
    await clock.waitForSleepers(count: 1)
    await clock.advance(by: .seconds(1))
    let failure = await expectFailure(of: call)
    #expect(failure?.reason == .budgetExhausted)
    #expect(log.count == 2)
    // A new call still gets its first attempt.
    #expect(try await executor.run { $0 } == "key-a")
  }

  @Test func anUnauthorizedCredentialIsRefreshedAndRetried() async throws {
    let clock = ManualClock()
    let refreshes = CallLog()
    let executor = try makeExecutor(
      clock: clock,
      refreshing: CredentialRefreshing(classifier: TestClassifier()) { id, stale in
        refreshes.append("\(id):\(stale)")
        return "fresh"
      })
    let log = CallLog()
    let value = try await executor.run { token in
      log.append(token)
      if token != "fresh" { throw answer(401) }
      return "ok"
    }
    #expect(value == "ok")
    #expect(log.all == ["key-a", "fresh"])
    #expect(refreshes.all == ["key-a:key-a"])
    #expect(executor.pool.breaker(for: "key-a")?.state == .closed)
  }

  @Test func withoutARefresherAnUnauthorizedCredentialIsPaused() async throws {
    let clock = ManualClock()
    let executor = try makeExecutor(clock: clock)
    let failure = await expectFailure { () async throws(Failure) in
      try await executor.run { _ -> String in throw answer(401) }
    }
    #expect(failure?.reason == .credentialsUnavailable(until: nil))
    #expect(executor.pool.breaker(for: "key-a")?.state == .paused)
    #expect(executor.pool.resume("key-a"))
    #expect(try await executor.run { $0 } == "key-a")
  }

  @Test func aRefreshThatComesBackInvalidGrantKillsTheCredential() async throws {
    let clock = ManualClock()
    let executor = try makeExecutor(
      keys: ["a", "b"], clock: clock,
      refreshing: CredentialRefreshing(classifier: TestClassifier()) { _, _ in
        throw ProviderResponseError(
          ProviderResponse(status: 400, body: #"{"error":"invalid_grant"}"#))
      })
    let value = try await executor.run { token in
      if token == "a" { throw answer(401) }
      return token
    }
    #expect(value == "b")
    #expect(executor.pool.breaker(for: "a")?.state == .dead)
  }

  @Test func leastRecentlyFailedPrefersCredentialsThatHaveNotFailed() async throws {
    let clock = ManualClock()
    let executor = try makeExecutor(
      keys: ["a", "b", "c"], clock: clock, selection: .leastRecentlyFailed,
      breakerPolicy: testBreakerPolicy(threshold: 100))
    let log = CallLog()
    let operation: @Sendable (String) async throws -> String = { key in
      log.append(key)
      if key == "a" && log.count(of: "a") == 1 { throw answer(500) }
      return key
    }
    let first = Task { try await executor.run(operation) }
    await clock.waitForSleepers(count: 1)
    await clock.advance(by: .seconds(1))
    #expect(try await first.valueCancellingWithCaller == "b")
    // "a" failed most recently, so the next calls prefer "c" then "b" before it.
    #expect(try await executor.run(operation) == "c")
    #expect(log.all == ["a", "b", "c"])
  }

  @Test func poolsRefuseEmptyAndDuplicateCredentialLists() {
    let registry = BreakerRegistry(clock: ManualClock())
    #expect(throws: CredentialPoolError.empty) {
      try ClockedCredentialPool<String, ManualClock>([], registry: registry)
    }
    #expect(throws: CredentialPoolError.duplicateID("x")) {
      try ClockedCredentialPool([("x", "1"), ("x", "2")], registry: registry)
    }
    #expect(throws: CredentialPoolError.duplicateID("y")) {
      try ClockedCredentialPool(["y": "1", "z": "2", "y": "3"], registry: registry)
    }
    #expect(CredentialPoolError.duplicateID("y").description.contains("y"))
  }

  @Test func aLiteralPoolKeepsItsOrder() throws {
    let pool = try ClockedCredentialPool(
      ["primary": "k1", "backup": "k2", "spare": "k3"],
      registry: BreakerRegistry(clock: ManualClock()))
    #expect(pool.ids == ["primary", "backup", "spare"])
  }
}

@Suite("RetryExecutor Concurrency", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct RetryExecutorConcurrencyTests {
  @Test(arguments: 0..<5)
  func fiftyCallersOnAnExpiredTokenShareOneRefresh(round: Int) async throws {
    let clock = ManualClock()
    let refreshes = CallLog()
    let executor = try makeExecutor(
      clock: clock,
      refreshing: CredentialRefreshing(classifier: TestClassifier()) { _, stale in
        refreshes.append(stale)
        try await clock.sleep(for: .seconds(1))
        return "fresh-\(round)"
      })
    let log = CallLog()
    let results = try await withThrowingTaskGroup(of: String.self) { group in
      for _ in 0..<50 {
        group.addTask {
          try await executor.run { token in
            log.append(token)
            if token == "key-a" { throw answer(401) }
            return token
          }
        }
      }
      await clock.waitForSleepers(count: 1)
      // Callers that lease after the first 401 know key-a is rejected: they join the refresh
      // without sending it.
      let coordinator = try #require(executor.pool.refresher(for: "key-a"))
      while coordinator.waitingCallerCount < 50 && !Task.isCancelled { await Task.yield() }
      await clock.advance(by: .seconds(1))
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(results == Array(repeating: "fresh-\(round)", count: 50))
    #expect((1...50).contains(log.count(of: "key-a")))
    #expect(refreshes.all == ["key-a"])
    #expect(log.count(of: "fresh-\(round)") == 50)
    #expect(executor.pool.breaker(for: "key-a")?.state == .closed)
  }

  @Test(arguments: 0..<5)
  func manyCallersOnARevokedKeyCostOneRequestEach(round: Int) async throws {
    let clock = ManualClock()
    let executor = try makeExecutor(keys: ["a", "b"], clock: clock)
    let log = CallLog()
    let results = try await withThrowingTaskGroup(of: String.self) { group in
      for call in 0..<200 {
        group.addTask {
          try await executor.run { key in
            log.append("\(call):\(key)")
            if key == "a" { throw apiKeyInvalid }
            return key
          }
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(results.count == 200)
    #expect(results.allSatisfy { $0 == "b" })
    // Calls already past selection when "a" died may each have sent one request on it;
    // no call sent two, and no call failed because of it.
    let onA = log.all.filter { $0.hasSuffix(":a") }
    #expect(Set(onA).count == onA.count)
    #expect(!onA.isEmpty)
    #expect(log.all.filter { $0.hasSuffix(":b") }.count == 200)
    #expect(executor.pool.breaker(for: "a")?.state == .dead)
  }
}
