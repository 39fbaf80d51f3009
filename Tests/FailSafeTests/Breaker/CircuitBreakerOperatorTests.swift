import FailSafe
import FailSafeTesting
import Foundation
import Testing

@Suite(
  "CircuitBreaker operator controls and snapshots",
  .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct CircuitBreakerOperatorTests {
  @Test func forceOpenHoldsUntilForceClose() async throws {
    let recorder = EventRecorder()
    let (breaker, clock) = makeBreaker(recorder: recorder)
    breaker.forceOpen()
    await clock.advance(by: .seconds(1_000_000))
    let rejection = try #require(breaker.rejection())
    #expect(rejection.state == .open)
    #expect(rejection.reopenAt == nil)
    #expect(breaker.availability() == .unavailable(until: nil, state: .open))
    #expect(breaker.forceClose())
    #expect(breaker.state == .closed)
    #expect(
      recorder.kinds.contains(
        .transition(from: .closed, to: .open, cause: .operatorAction(.forceOpen))))
    #expect(recorder.kinds.contains(.operatorAction(.forceOpen)))
    #expect(recorder.kinds.contains(.operatorAction(.forceClose)))
  }

  @Test func forceOpenForADurationProbesAfterIt() async throws {
    let (breaker, clock) = makeBreaker()
    breaker.forceOpen(for: .seconds(10))
    #expect(breaker.rejection()?.retryAfter == .seconds(10))
    await clock.advance(by: .seconds(10))
    try #expect(breaker.acquire().isProbe)
  }

  @Test func forceCloseKeepsTheStreakResetStreakClearsIt() async throws {
    let recorder = EventRecorder()
    let (breaker, clock) = makeBreaker(recorder: recorder)
    breaker.fail(3, with: Failures.serverError)
    await clock.advance(by: .seconds(1))
    breaker.recordFailure(try breaker.acquire(), Failures.serverError)
    #expect(breaker.snapshot().streak == 2)
    breaker.forceClose()
    #expect(breaker.snapshot().streak == 2)
    #expect(breaker.snapshot().consecutiveFailures == 0)
    breaker.fail(3, with: Failures.serverError)
    #expect(breaker.rejection()?.retryAfter == .seconds(4))
    breaker.resetStreak()
    #expect(breaker.state == .open)
    #expect(breaker.snapshot().streak == 0)
    #expect(recorder.kinds.contains(.operatorAction(.resetStreak)))
    breaker.forceClose()
    breaker.fail(3, with: Failures.serverError)
    #expect(breaker.rejection()?.retryAfter == .seconds(1))
  }

  @Test func everyOperatorActionEmitsAnEvent() throws {
    let recorder = EventRecorder()
    let (breaker, _) = makeBreaker(recorder: recorder)
    breaker.forceOpen()
    breaker.forceClose()
    breaker.fail(1, with: Failures.keyInvalid)
    breaker.revive()
    breaker.fail(1, with: Failures.tokenExpired)
    breaker.resume()
    breaker.resetStreak()
    breaker.credentialReplaced()
    breaker.restore(BreakerSnapshot())
    let actions = recorder.kinds.compactMap { kind -> BreakerOperatorAction? in
      if case .operatorAction(let action) = kind { return action }
      return nil
    }
    #expect(actions == BreakerOperatorAction.allCases)
  }

  @Test func reviveAndResumeOnlyActOnTheirState() {
    let (breaker, _) = makeBreaker()
    #expect(!breaker.revive())
    #expect(!breaker.resume())
    breaker.fail(1, with: Failures.tokenExpired)
    #expect(!breaker.revive())
    #expect(breaker.resume())
  }

  @Test func credentialReplacedClearsDeadAndPaused() {
    let (breaker, _) = makeBreaker()
    breaker.fail(1, with: Failures.keyInvalid)
    breaker.credentialReplaced()
    #expect(breaker.state == .closed)
    #expect(breaker.snapshot() == BreakerSnapshot(counters: breaker.snapshot().counters))
  }

  @Test func snapshotRoundTripsThroughJSONIntoAnotherBreaker() async throws {
    let (breaker, clock) = makeBreaker()
    breaker.fail(3, with: Failures.serverError)
    await clock.advance(by: .seconds(1))
    breaker.recordFailure(try breaker.acquire(), Failures.serverError)
    await clock.advance(by: .milliseconds(500))
    _ = breaker.rejection()
    let snapshot = breaker.snapshot()
    #expect(snapshot.state == .open)
    #expect(snapshot.streak == 2)
    #expect(snapshot.cooldownRemaining == .milliseconds(1_500))
    #expect(snapshot.counters.trips == 2)
    #expect(snapshot.counters.rejections == 1)
    #expect(snapshot.counters.probes == 1)
    let data = try JSONEncoder().encode(snapshot)
    let decoded = try JSONDecoder().decode(BreakerSnapshot.self, from: data)
    #expect(decoded == snapshot)

    let (restored, otherClock) = makeBreaker()
    await otherClock.advance(by: .seconds(500))
    restored.restore(decoded)
    #expect(restored.snapshot() == snapshot)
    #expect(restored.rejection()?.retryAfter == .milliseconds(1_500))
    await otherClock.advance(by: .milliseconds(1_500))
    let probe = try restored.acquire()
    restored.recordFailure(probe, Failures.serverError)
    // The streak came back: the next cooldown is the third step.
    #expect(restored.rejection()?.retryAfter == .seconds(4))
  }

  @Test func damagedSnapshotsAreClamped() throws {
    let (breaker, _) = makeBreaker()
    breaker.restore(
      BreakerSnapshot(
        state: .suspended, consecutiveFailures: -5, streak: Int.min,
        cooldownRemaining: .seconds(Int64.max), repeatedErrors: -1,
        counters: BreakerCounters(rejections: -1, failures: -2, trips: -3, probes: -4)))
    let snapshot = breaker.snapshot()
    #expect(snapshot.state == .suspended)
    #expect(snapshot.consecutiveFailures == 0)
    #expect(snapshot.streak == 0)
    #expect(snapshot.cooldownRemaining == .seconds(7_200))
    #expect(snapshot.counters == BreakerCounters())
  }

  @Test func halfOpenSnapshotRestoresWithAProbeDue() async throws {
    let (breaker, clock) = makeBreaker()
    breaker.fail(3, with: Failures.serverError)
    await clock.advance(by: .seconds(1))
    _ = try breaker.acquire()
    let snapshot = breaker.snapshot()
    #expect(snapshot.state == .open)
    #expect(snapshot.cooldownRemaining == .zero)
    let (restored, _) = makeBreaker()
    restored.restore(snapshot)
    try #expect(restored.acquire().isProbe)
  }

  @Test func restoredDeadStaysDeadAndOldPermitsCannotChangeIt() throws {
    let (breaker, _) = makeBreaker()
    let old = try breaker.acquire()
    breaker.restore(BreakerSnapshot(state: .dead, firstError: Failures.keyInvalid))
    breaker.recordSuccess(old)
    breaker.recordFailure(old, Failures.tokenExpired)
    #expect(breaker.state == .dead)
    #expect(breaker.rejection()?.firstError == Failures.keyInvalid)
  }

  @Test func hugePolicyValuesAreClamped() async throws {
    let policy = BreakerPolicy(
      failureThreshold: -3,
      backoff: BackoffPolicy(base: .seconds(Int64.max), maximum: .seconds(Int64.max)),
      maximumProviderWait: .seconds(Int64.max), probeLeaseTimeout: .seconds(Int64.min))
    let (breaker, clock) = makeBreaker(policy: policy)
    #expect(breaker.policy.failureThreshold == 1)
    breaker.fail(1, with: Failures.serverError)
    let wait = try #require(breaker.rejection()?.retryAfter)
    #expect(wait <= BreakerPolicy.maximumDuration)
    breaker.forceOpen(for: .seconds(Int64.max))
    await clock.advance(by: BreakerPolicy.maximumDuration)
    let probe = try breaker.acquire()
    #expect(probe.isProbe)
    // A zero lease: the very next caller may take over the probe.
    try #expect(breaker.acquire().isProbe)
  }
}
