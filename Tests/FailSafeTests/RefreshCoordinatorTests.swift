import FailSafe
import FailSafeTesting
import Foundation
import Testing

private typealias Coordinator = RefreshCoordinator<String, ManualClock>

private func busy(_ status: Int = 429, retryAfter: Int? = nil) -> ProviderResponseError {
  var headers = HTTPHeaderFields()
  if let retryAfter { headers.append(name: "Retry-After", value: "\(retryAfter)") }
  return ProviderResponseError(ProviderResponse(status: status, headers: headers, body: "busy"))
}

/// Answers from a list, one per call, and counts the calls.
private final class ScriptedRefresher: Sendable {
  let answers: LockedValue<[Result<String, ScriptedRefresherError>]>
  let clock: ManualClock
  let callDuration: Duration

  init(
    _ answers: [Result<String, ScriptedRefresherError>], clock: ManualClock,
    callDuration: Duration = .zero
  ) {
    self.answers = LockedValue(answers)
    self.clock = clock
    self.callDuration = callDuration
  }

  func refresh(_ stale: String) async throws -> String {
    if callDuration > .zero { try await clock.sleep(for: callDuration) }
    let answer = answers.withLock { answers in answers.isEmpty ? nil : answers.removeFirst() }
    switch answer {
    case .success(let token): return token
    case .failure(let error): throw error.underlying
    case nil: throw ScriptedFailure(.fatal, .unknown)
    }
  }
}

private struct ScriptedRefresherError: Error {
  let underlying: any Error & Sendable
}

private func fail(_ error: any Error & Sendable) -> Result<String, ScriptedRefresherError> {
  .failure(ScriptedRefresherError(underlying: error))
}

private func makeCoordinator(
  _ refresher: ScriptedRefresher, policy: RefreshPolicy = .standard
) -> Coordinator {
  Coordinator(
    credential: "old", policy: policy, classifier: TestClassifier(), clock: refresher.clock
  ) { try await refresher.refresh($0) }
}

@Suite("RefreshCoordinator", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct RefreshCoordinatorTests {
  @Test func aRefreshReplacesTheCredentialAndLateCallersReuseIt() async throws {
    let clock = ManualClock()
    let coordinator = makeCoordinator(ScriptedRefresher([.success("new")], clock: clock))
    #expect(try await coordinator.refresh(replacing: "old") == .refreshed("new"))
    #expect(coordinator.current == "new")
    // A caller still holding the old token gets the new one without another refresh.
    #expect(try await coordinator.refresh(replacing: "old") == .refreshed("new"))
    #expect(coordinator.refresherCallCount == 1)
  }

  @Test func aBusyEndpointIsRetriedOnItsOwnCappedExponentialSchedule() async throws {
    let clock = ManualClock()
    let policy = try RefreshPolicy(
      maxAttempts: 5, initialBackoff: .seconds(1), maxBackoff: .seconds(3), pauseAfterFailures: 1)
    let refresher = ScriptedRefresher(
      [fail(busy()), fail(busy(503)), fail(busy()), fail(busy(retryAfter: 2)), .success("new")],
      clock: clock)
    let coordinator = makeCoordinator(refresher, policy: policy)
    let caller = Task { try await coordinator.refresh(replacing: "old") }
    var wakeTimes: [Duration] = []
    for _ in 0..<4 {
      await clock.waitForSleepers(count: 1)
      let deadline = try #require(clock.nextDeadline)
      wakeTimes.append(deadline.offset)
      await clock.advance(to: deadline)
    }
    #expect(try await caller.valueCancellingWithCaller == .refreshed("new"))
    // 1 s, 2 s, capped at 3 s, then 3 s again (the provider's 2 s is shorter than the backoff).
    #expect(wakeTimes == [.seconds(1), .seconds(3), .seconds(6), .seconds(9)])
    #expect(coordinator.refresherCallCount == 5)
    // Busy answers are not authentication failures: even with pauseAfterFailures 1, not paused.
    guard case .usable = coordinator.status else {
      Issue.record("expected usable, got \(coordinator.status)")
      return
    }
  }

  @Test func aBusyEndpointThatStaysBusyReportsWhenToTryAgain() async throws {
    let clock = ManualClock()
    let policy = try RefreshPolicy(
      maxAttempts: 2, initialBackoff: .seconds(10), maxBackoff: .seconds(60),
      pauseAfterFailures: 3)
    let refresher = ScriptedRefresher(
      [fail(busy()), fail(busy()), fail(busy()), .success("new")], clock: clock)
    let coordinator = makeCoordinator(refresher, policy: policy)
    let caller = Task { try await coordinator.refresh(replacing: "old") }
    await clock.waitForSleepers(count: 1)
    await clock.advance(by: .seconds(10))
    let outcome = try await caller.valueCancellingWithCaller
    guard case .unavailable(let until, let classification) = outcome else {
      Issue.record("expected unavailable, got \(outcome)")
      return
    }
    #expect(until == ManualClock.Instant(offset: .seconds(30)))
    #expect(classification.reason == .rateLimited)
    // Until then, callers are answered without touching the endpoint.
    guard case .unavailable = try await coordinator.refresh(replacing: "old") else {
      Issue.record("expected unavailable before the next allowed instant")
      return
    }
    #expect(coordinator.refresherCallCount == 2)
    await clock.advance(to: until)
    // The streak survives across refreshes: the next busy answer waits 40 s.
    let next = Task { try await coordinator.refresh(replacing: "old") }
    await clock.waitForSleepers(count: 1)
    #expect(clock.nextDeadline == ManualClock.Instant(offset: .seconds(70)))
    await clock.advance(by: .seconds(40))
    #expect(try await next.valueCancellingWithCaller == .refreshed("new"))
  }

  @Test func aProviderWaitBeyondTheCapIsCutToTheCapAndReportedNotSlept() async throws {
    let clock = ManualClock()
    let coordinator = makeCoordinator(
      ScriptedRefresher([fail(busy(retryAfter: 3_600))], clock: clock))
    let outcome = try await coordinator.refresh(replacing: "old")
    guard case .unavailable(let until, _) = outcome else {
      Issue.record("expected unavailable, got \(outcome)")
      return
    }
    #expect(until == ManualClock.Instant(offset: .seconds(1_800)))
    #expect(clock.sleeperCount == 0)
  }

  @Test func invalidGrantKillsTheCredentialWhateverTheStatusSays() async throws {
    let clock = ManualClock()
    let invalidGrant = ProviderResponseError(
      ProviderResponse(
        status: 400, body: #"{"error":"invalid_grant","error_description":"revoked"}"#))
    let coordinator = makeCoordinator(
      ScriptedRefresher([fail(invalidGrant), .success("new")], clock: clock))
    let outcome = try await coordinator.refresh(replacing: "old")
    guard case .dead(let classification) = outcome else {
      Issue.record("expected dead, got \(outcome)")
      return
    }
    #expect(classification.disposition == .permanent)
    // Dead stays dead: no further refresh burns anything.
    guard case .dead = try await coordinator.refresh(replacing: "old") else {
      Issue.record("expected dead to stay dead")
      return
    }
    #expect(coordinator.refresherCallCount == 1)
    coordinator.replace(with: "replacement")
    #expect(coordinator.current == "replacement")
    #expect(try await coordinator.refresh(replacing: "replacement") == .refreshed("new"))
  }

  @Test func aPermanentClassificationKillsTheCredential() async throws {
    let clock = ManualClock()
    let coordinator = makeCoordinator(
      ScriptedRefresher([fail(ScriptedFailure(.permanent, .accountDisabled))], clock: clock))
    guard case .dead(let classification) = try await coordinator.refresh(replacing: "old") else {
      Issue.record("expected dead")
      return
    }
    #expect(classification.reason == .accountDisabled)
  }

  @Test func repeatedFailuresPauseTheCredentialUntilResumed() async throws {
    let clock = ManualClock()
    let unauthorized = ProviderResponseError(ProviderResponse(status: 401, body: "no"))
    let coordinator = makeCoordinator(
      ScriptedRefresher(
        [fail(unauthorized), fail(unauthorized), fail(unauthorized), .success("new")],
        clock: clock))
    for _ in 0..<2 {
      guard case .failed = try await coordinator.refresh(replacing: "old") else {
        Issue.record("expected a counted failure")
        return
      }
    }
    guard case .paused = try await coordinator.refresh(replacing: "old") else {
      Issue.record("expected paused after three failures")
      return
    }
    guard case .paused = try await coordinator.refresh(replacing: "old") else {
      Issue.record("expected paused to stay paused")
      return
    }
    #expect(coordinator.refresherCallCount == 3)
    coordinator.resume()
    #expect(try await coordinator.refresh(replacing: "old") == .refreshed("new"))
  }

  @Test func aCancelledCallerStopsWaitingAtOnceAndOthersGetTheResult() async throws {
    let clock = ManualClock()
    let refresher = ScriptedRefresher([.success("new")], clock: clock, callDuration: .seconds(1))
    let coordinator = makeCoordinator(refresher)
    let first = Task { try await coordinator.refresh(replacing: "old") }
    let second = Task { try await coordinator.refresh(replacing: "old") }
    await clock.waitForSleepers(count: 1)
    while coordinator.waitingCallerCount < 2 && !Task.isCancelled { await Task.yield() }
    second.cancel()
    await #expect(throws: CancellationError.self) { try await second.valueCancellingWithCaller }
    #expect(coordinator.waitingCallerCount == 1)
    await clock.advance(by: .seconds(1))
    #expect(try await first.valueCancellingWithCaller == .refreshed("new"))
  }

  @Test func whenEveryCallerLeavesTheBackoffStopsAndNothingMoreIsCalled() async throws {
    let clock = ManualClock()
    // Retries inside the refresh: only a policy with more than one attempt sleeps in it.
    let policy = try RefreshPolicy(
      maxAttempts: 4, initialBackoff: .seconds(1), maxBackoff: .seconds(60),
      pauseAfterFailures: 3)
    let coordinator = makeCoordinator(
      ScriptedRefresher([fail(busy()), .success("new")], clock: clock), policy: policy)
    let caller = Task { try await coordinator.refresh(replacing: "old") }
    await clock.waitForSleepers(count: 1)
    caller.cancel()
    await #expect(throws: CancellationError.self) { try await caller.valueCancellingWithCaller }
    while coordinator.isRefreshing && !Task.isCancelled { await Task.yield() }
    #expect(clock.sleeperCount == 0)
    #expect(coordinator.refresherCallCount == 1)
    // The busy schedule is remembered: the next caller is told when to try again.
    guard case .unavailable(let until, _) = try await coordinator.refresh(replacing: "old") else {
      Issue.record("expected unavailable")
      return
    }
    #expect(until == ManualClock.Instant(offset: .seconds(1)))
  }

  @Test func anAlreadyCancelledCallerThrowsWithoutRefreshing() async throws {
    let clock = ManualClock()
    let coordinator = makeCoordinator(ScriptedRefresher([.success("new")], clock: clock))
    let caller = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      return try await coordinator.refresh(replacing: "old")
    }
    await #expect(throws: CancellationError.self) { try await caller.valueCancellingWithCaller }
    #expect(coordinator.refresherCallCount == 0)
  }

  @Test func aReplacementDuringARefreshWins() async throws {
    let clock = ManualClock()
    let coordinator = makeCoordinator(
      ScriptedRefresher([.success("refreshed")], clock: clock, callDuration: .seconds(1)))
    let caller = Task { try await coordinator.refresh(replacing: "old") }
    await clock.waitForSleepers(count: 1)
    coordinator.replace(with: "operator")
    await clock.advance(by: .seconds(1))
    #expect(try await caller.valueCancellingWithCaller == .refreshed("operator"))
    #expect(coordinator.current == "operator")
  }

  @Test func policyBackoffIsCappedAndNeverTraps() throws {
    let policy = try RefreshPolicy(
      maxAttempts: 3, initialBackoff: .seconds(1), maxBackoff: .seconds(60),
      pauseAfterFailures: 2)
    let table = (1...8).map { policy.backoff(afterStreak: $0) }
    #expect(table == [1, 2, 4, 8, 16, 32, 60, 60].map { Duration.seconds($0) })
    #expect(policy.backoff(afterStreak: .max) == .seconds(60))
    #expect(policy.backoff(afterStreak: 0) == .seconds(1))
    #expect(policy.backoff(afterStreak: -5) == .seconds(1))
    #expect(policy.backoff(afterStreak: .min) == .seconds(1))
  }

  @Test func badPoliciesAreRefusedWithAReason() {
    #expect(throws: RefreshPolicyError.countBelowOne(name: "maxAttempts", value: 0)) {
      try RefreshPolicy(
        maxAttempts: 0, initialBackoff: .seconds(1), maxBackoff: .seconds(2),
        pauseAfterFailures: 1)
    }
    #expect(
      throws: RefreshPolicyError.backoffOutOfOrder(initial: .seconds(5), maximum: .seconds(2))
    ) {
      try RefreshPolicy(
        maxAttempts: 1, initialBackoff: .seconds(5), maxBackoff: .seconds(2),
        pauseAfterFailures: 1)
    }
    #expect(throws: RefreshPolicyError.self) {
      try RefreshPolicy(
        maxAttempts: 1, initialBackoff: .zero, maxBackoff: .seconds(2), pauseAfterFailures: 1)
    }
  }
}

@Suite(
  "RefreshCoordinator Concurrency", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct RefreshCoordinatorConcurrencyTests {
  @Test(arguments: 0..<10)
  func fiftyCallersOnOneExpiredTokenCauseExactlyOneRefresh(round: Int) async throws {
    let clock = ManualClock()
    let refresher = ScriptedRefresher(
      [.success("new-\(round)")], clock: clock, callDuration: .seconds(1))
    let coordinator = makeCoordinator(refresher)
    let outcomes = try await withThrowingTaskGroup(of: Coordinator.Outcome.self) { group in
      for _ in 0..<50 {
        group.addTask { try await coordinator.refresh(replacing: "old") }
      }
      await clock.waitForSleepers(count: 1)
      while coordinator.waitingCallerCount < 50 && !Task.isCancelled { await Task.yield() }
      await clock.advance(by: .seconds(1))
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(outcomes.count == 50)
    #expect(outcomes.allSatisfy { $0 == .refreshed("new-\(round)") })
    #expect(coordinator.refresherCallCount == 1)
  }

  @Test(arguments: 0..<10)
  func callersArrivingWhileARefreshEndsNeverStartASecondOne(round: Int) async throws {
    let clock = ManualClock()
    let coordinator = makeCoordinator(
      ScriptedRefresher([.success("new")], clock: clock))
    let outcomes = try await withThrowingTaskGroup(of: Coordinator.Outcome.self) { group in
      for _ in 0..<200 {
        group.addTask { try await coordinator.refresh(replacing: "old") }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(outcomes.allSatisfy { $0 == .refreshed("new") })
    #expect(coordinator.refresherCallCount == 1)
  }
}
