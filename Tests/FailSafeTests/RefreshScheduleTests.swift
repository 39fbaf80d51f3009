import FailSafeTesting
import Foundation
import Testing

@testable import FailSafe

private typealias Coordinator = RefreshCoordinator<String, ManualClock>

private let minute = Duration.seconds(60)

private func busy(retryAfter seconds: Int? = nil) -> ProviderResponseError {
  answer(429, "rate limited", retryAfter: seconds)
}

/// A coordinator on the standard policy whose refresher is always answered `answers` in turn
/// (the last one repeated), counting its calls.
private func busyCoordinator(
  _ answers: [ProviderResponseError], clock: ManualClock, calls: LockedValue<Int>
) -> Coordinator {
  Coordinator(credential: "old", classifier: TestClassifier(), clock: clock) { _ in
    let index = calls.withLock { calls in
      calls += 1
      return calls - 1
    }
    throw answers[min(index, answers.count - 1)]
  }
}

/// The instant until which `outcome` says no refresh may be tried, or `nil` if it is not
/// `unavailable`.
private func unavailableUntil(_ outcome: Coordinator.Outcome) -> ManualClock.Instant? {
  guard case .unavailable(let until, _) = outcome else { return nil }
  return until
}

@Suite("Refresh schedule", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct RefreshScheduleTests {
  @Test func theStandardPolicyIsOneCallFiveMinutesDoublingToThirtyAndAThirtySecondMargin() {
    let policy = RefreshPolicy.standard
    #expect(policy.maxAttempts == 1)
    #expect(policy.expiryMargin == .seconds(30))
    let waits = (1...6).map { policy.busyWait(afterStreak: $0, retryAfter: nil) }
    #expect(waits == [5, 10, 20, 30, 30, 30].map { minute * $0 })
    #expect(policy.busyWait(afterStreak: .max, retryAfter: .seconds(-5)) == minute * 30)
    #expect(policy.busyWait(afterStreak: 1, retryAfter: minute * 45) == minute * 30)
  }

  @Test func aBusyEndpointIsTriedAgainAfterFiveTenTwentyThirtyThirtyMinutes() async throws {
    let clock = ManualClock()
    let calls = LockedValue(0)
    let coordinator = busyCoordinator([busy()], clock: clock, calls: calls)
    var waits: [Duration] = []
    for _ in 0..<5 {
      let before = clock.now
      let until = try #require(unavailableUntil(try await coordinator.refresh(replacing: "old")))
      // Answered at once: the refresh does not hold its callers through the wait.
      #expect(clock.sleeperCount == 0)
      #expect(!coordinator.isRefreshing)
      waits.append(before.duration(to: until))
      await clock.advance(to: until)
    }
    #expect(waits == [5, 10, 20, 30, 30].map { minute * $0 })
    #expect(calls.value == 5)
  }

  @Test func aRetryAfterOfFortyFiveMinutesIsCappedAtThirty() async throws {
    let clock = ManualClock()
    let calls = LockedValue(0)
    let coordinator = busyCoordinator([busy(retryAfter: 2_700)], clock: clock, calls: calls)
    let until = try #require(unavailableUntil(try await coordinator.refresh(replacing: "old")))
    #expect(until == ManualClock.Instant(offset: minute * 30))
    #expect(clock.sleeperCount == 0)
  }

  @Test func aRetryAfterOfTwelveMinutesOnTheFirstAnswerIsHonouredOverFive() async throws {
    let clock = ManualClock()
    let calls = LockedValue(0)
    let coordinator = busyCoordinator(
      [busy(retryAfter: 720), busy()], clock: clock, calls: calls)
    let first = try #require(unavailableUntil(try await coordinator.refresh(replacing: "old")))
    #expect(first == ManualClock.Instant(offset: minute * 12))
    await clock.advance(to: first)
    // The second busy answer in a row, without a provider wait: the schedule's 10 minutes.
    let second = try #require(unavailableUntil(try await coordinator.refresh(replacing: "old")))
    #expect(first.duration(to: second) == minute * 10)
  }

  @Test func noRefreshTokenIsSpentWhileTheEndpointRateLimits() async throws {
    let clock = ManualClock()
    let calls = LockedValue(0)
    let coordinator = busyCoordinator([busy()], clock: clock, calls: calls)
    let until = try #require(unavailableUntil(try await coordinator.refresh(replacing: "old")))
    for offset in [0, 60, 240, 299] {
      await clock.advance(to: ManualClock.Instant(offset: .seconds(offset)))
      // Many callers at once, all told when to come back, none reaching the endpoint.
      let outcomes = try await withThrowingTaskGroup(of: ManualClock.Instant?.self) { group in
        for _ in 0..<20 {
          group.addTask { unavailableUntil(try await coordinator.refresh(replacing: "old")) }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      #expect(outcomes == Array(repeating: until, count: 20))
    }
    #expect(calls.value == 1)
    await clock.advance(to: until)
    _ = try await coordinator.refresh(replacing: "old")
    #expect(calls.value == 2)
  }

  @Test func aRateLimitedRefreshKeepsTheCredentialOutAndNeverSendsItAgainUnrefreshed()
    async throws
  {
    let clock = ManualClock()
    let presented = CallLog()
    let busyUntil = ManualClock.Instant(offset: minute * 5)
    let refreshing = CredentialRefreshing<String>(classifier: TestClassifier()) { _, _ in
      presented.append("refresh-token")
      if clock.now < busyUntil { throw busy() }
      return "fresh"
    }
    let executor = try makeExecutor(clock: clock, refreshing: refreshing)
    let sent = CallLog()
    let operation: @Sendable (String) async throws -> String = { token in
      sent.append(token)
      if token != "fresh" { throw answer(401) }
      return token
    }
    var failure: RetryFailure<ManualClock.Instant>?
    do { _ = try await executor.run(operation) } catch { failure = error }
    // At once: the job is the worker's to hold until the refresh may be tried.
    #expect(failure?.reason == .credentialsUnavailable(until: busyUntil))
    #expect(clock.now == .init(offset: .zero))
    for offset in [60, 180, 299] {
      await clock.advance(to: ManualClock.Instant(offset: .seconds(offset)))
      do { _ = try await executor.run(operation) } catch { failure = error }
      #expect(failure?.reason == .credentialsUnavailable(until: busyUntil))
    }
    #expect(presented.count == 1)
    #expect(sent.all == ["key-a"])
    await clock.advance(to: busyUntil)
    // The rejected token is refreshed first, not sent again.
    #expect(try await executor.run(operation) == "fresh")
    #expect(presented.count == 2)
    #expect(sent.all == ["key-a", "fresh"])
  }
}

@Suite("Refresh before expiry", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct EarlyRefreshTests {
  /// A refresher issuing `token-1`, `token-2`... each valid for an hour; from the second call
  /// on, each call takes `duration` on the clock.
  private static func hourlyTokens(
    clock: ManualClock, issued: LockedValue<Int>, duration: Duration = .zero
  ) -> CredentialRefreshing<String> {
    .withExpiry(classifier: TestClassifier()) { _, _ in
      let number = issued.withLock { issued in
        issued += 1
        return issued
      }
      if number > 1, duration > .zero { try await clock.sleep(for: duration) }
      return RefreshedCredential("token-\(number)", lifetime: .seconds(3_600))
    }
  }

  private static func operation(_ sent: CallLog) -> @Sendable (String) async throws -> String {
    { token in
      sent.append(token)
      if token == "key-a" { throw answer(401) }
      return token
    }
  }

  @Test func aTokenWithAKnownExpiryIsRefreshedBeforeItIsSent() async throws {
    let clock = ManualClock()
    let issued = LockedValue(0)
    let executor = try makeExecutor(
      clock: clock, refreshing: Self.hourlyTokens(clock: clock, issued: issued))
    let sent = CallLog()
    // key-a's expiry is unknown: sent, rejected, refreshed.
    #expect(try await executor.run(Self.operation(sent)) == "token-1")
    let coordinator = try #require(executor.pool.refresher(for: "key-a"))
    #expect(coordinator.earlyRefreshAt == ManualClock.Instant(offset: .seconds(3_570)))
    await clock.advance(by: .seconds(3_569))
    #expect(try await executor.run(Self.operation(sent)) == "token-1")
    // 30 s before the expiry: refreshed first, the old token is not sent.
    await clock.advance(by: .seconds(1))
    #expect(try await executor.run(Self.operation(sent)) == "token-2")
    // Long past the next expiry: the same.
    await clock.advance(by: .seconds(86_400))
    #expect(try await executor.run(Self.operation(sent)) == "token-3")
    #expect(sent.all == ["key-a", "token-1", "token-1", "token-2", "token-3"])
    #expect(issued.value == 3)
    #expect(executor.pool.breaker(for: "key-a")?.state == .closed)
  }

  @Test func aTokenWithNoKnownExpiryIsSentAsBefore() async throws {
    let clock = ManualClock()
    let issued = LockedValue(0)
    let refreshing = CredentialRefreshing<String>(classifier: TestClassifier()) { _, _ in
      let number = issued.withLock { issued in
        issued += 1
        return issued
      }
      return "token-\(number)"
    }
    let executor = try makeExecutor(clock: clock, refreshing: refreshing)
    let sent = CallLog()
    #expect(try await executor.run(Self.operation(sent)) == "token-1")
    #expect(executor.pool.refresher(for: "key-a")?.earlyRefreshAt == nil)
    await clock.advance(by: .seconds(86_400 * 30))
    #expect(try await executor.run(Self.operation(sent)) == "token-1")
    #expect(sent.all == ["key-a", "token-1", "token-1"])
    #expect(issued.value == 1)
  }

  @Test(arguments: 0..<5)
  func manyCallersAtTheExpiryInstantShareOneRefresh(round: Int) async throws {
    let clock = ManualClock()
    let issued = LockedValue(0)
    let executor = try makeExecutor(
      clock: clock,
      refreshing: Self.hourlyTokens(clock: clock, issued: issued, duration: .seconds(1)))
    let sent = CallLog()
    #expect(try await executor.run(Self.operation(sent)) == "token-1")
    await clock.advance(to: ManualClock.Instant(offset: .seconds(3_600)))
    let coordinator = try #require(executor.pool.refresher(for: "key-a"))
    let results = try await withThrowingTaskGroup(of: String.self) { group in
      for _ in 0..<50 {
        group.addTask { try await executor.run(Self.operation(sent)) }
      }
      await clock.waitForSleepers(count: 1)
      while coordinator.waitingCallerCount < 50 && !Task.isCancelled { await Task.yield() }
      await clock.advance(by: .seconds(1))
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(results == Array(repeating: "token-2", count: 50))
    #expect(issued.value == 2)
    #expect(sent.count(of: "token-1") == 1)
    #expect(sent.count(of: "token-2") == 50)
  }

  @Test func theMarginIsAtMostHalfTheLifetimeAndNeverTraps() throws {
    let policy = RefreshPolicy.standard
    let start = ManualClock.Instant(offset: .seconds(100))
    #expect(
      policy.earlyRefreshInstant(issuedAt: start, lifetime: .seconds(3_600))
        == ManualClock.Instant(offset: .seconds(3_670)))
    #expect(
      policy.earlyRefreshInstant(issuedAt: start, lifetime: .seconds(40))
        == ManualClock.Instant(offset: .seconds(120)))
    #expect(policy.earlyRefreshInstant(issuedAt: start, lifetime: nil) == nil)
    #expect(policy.earlyRefreshInstant(issuedAt: start, lifetime: .zero) == nil)
    #expect(policy.earlyRefreshInstant(issuedAt: start, lifetime: .seconds(-1)) == nil)
    #expect(policy.earlyRefreshInstant(issuedAt: start, lifetime: .seconds(Int64.max)) != nil)
    let noMargin = try RefreshPolicy(
      maxAttempts: 1, initialBackoff: .seconds(1), maxBackoff: .seconds(1),
      pauseAfterFailures: 1, expiryMargin: .seconds(-30))
    #expect(noMargin.expiryMargin == .zero)
    // A coordinator given the initial credential's lifetime knows its expiry from the start.
    let clock = ManualClock()
    let coordinator = Coordinator(
      credential: "old", lifetime: .seconds(600), classifier: TestClassifier(), clock: clock
    ) { _ in RefreshedCredential("new") }
    #expect(coordinator.earlyRefreshAt == ManualClock.Instant(offset: .seconds(570)))
    #expect(coordinator.currentForUse().refreshFirst == false)
  }
}
