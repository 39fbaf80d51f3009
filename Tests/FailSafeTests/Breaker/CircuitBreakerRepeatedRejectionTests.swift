import FailSafe
import FailSafeTesting
import Testing

/// A refusing state keeps the refusal its first rejection made and hands it to every later
/// rejection (`BreakerMachine.repeatRefusal`). These tests check that the kept refusal never
/// outlives what it states: the state, the reopen deadline and the first error.
@Suite("Repeated rejections", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct CircuitBreakerRepeatedRejectionTests {
  @Test func repeatedRejectionsAgreeAndCountDownTheWait() async throws {
    let (breaker, clock) = makeBreaker()
    breaker.fail(1, with: Failures.rateLimited(wait: .seconds(10)))
    let first = try #require(breaker.rejection())
    await clock.advance(by: .seconds(4))
    let second = try #require(breaker.rejection())
    #expect(first.state == .open && second.state == .open)
    #expect(first.reopenAt == second.reopenAt)
    #expect(first.retryAfter == .seconds(10))
    #expect(second.retryAfter == .seconds(6))
    #expect(second.firstError == Failures.rateLimited(wait: .seconds(10)))
    #expect(second.credential == "key-1")
    #expect(breaker.snapshot().counters.rejections == 2)
  }

  @Test func theDeadlineExpiringAdmitsTheProbeDespiteAKeptRefusal() async throws {
    let (breaker, clock) = makeBreaker()
    breaker.fail(3, with: Failures.serverError)  // opens for 1 s
    _ = try #require(breaker.rejection())
    _ = try #require(breaker.rejection())
    await clock.advance(by: .seconds(1))
    let probe = try #require(breaker.permit())
    #expect(probe.isProbe)
    // Half-open with the probe out: a new refusal, stating half-open, not the open one.
    let whileProbing = try #require(breaker.rejection())
    #expect(whileProbing.state == .halfOpen)
    #expect(whileProbing.reopenAt == nil && whileProbing.retryAfter == nil)
    #expect(try #require(breaker.rejection()).state == .halfOpen)
    // The probe fails: open again with the doubled cooldown, and the rejection says so.
    breaker.recordFailure(probe, Failures.serverError)
    let reopened = try #require(breaker.rejection())
    #expect(reopened.state == .open)
    #expect(reopened.retryAfter == .seconds(2))
    #expect(reopened.firstError == Failures.serverError)
  }

  @Test func aNewDeadlineReplacesTheKeptOne() async throws {
    let (breaker, clock) = makeBreaker()
    breaker.fail(1, with: Failures.rateLimited(wait: .seconds(10)))
    _ = try #require(breaker.rejection())
    breaker.forceOpen(until: clock.now.advanced(by: .seconds(300)))
    let forced = try #require(breaker.rejection())
    #expect(forced.retryAfter == .seconds(300))
    breaker.forceOpen(until: nil)
    let indefinite = try #require(breaker.rejection())
    #expect(indefinite.reopenAt == nil && indefinite.retryAfter == nil)
    await clock.advance(by: .seconds(3_600))
    #expect(try #require(breaker.rejection()).state == .open)
  }

  @Test func aNewStateOrEpisodeReplacesTheKeptRefusal() async throws {
    let (breaker, _) = makeBreaker()
    breaker.fail(1, with: Failures.tokenExpired)
    #expect(try #require(breaker.rejection()).state == .paused)
    #expect(try #require(breaker.rejection()).firstError == Failures.tokenExpired)
    breaker.resume()
    breaker.fail(1, with: Failures.keyInvalid)
    let dead = try #require(breaker.rejection())
    #expect(dead.state == .dead)
    #expect(dead.firstError == Failures.keyInvalid)
    breaker.credentialReplaced()
    breaker.fail(1, with: Failures.quota(wait: .seconds(60)))
    let suspended = try #require(breaker.rejection())
    #expect(suspended.state == .suspended)
    #expect(suspended.firstError == Failures.quota(wait: .seconds(60)))
    #expect(suspended.retryAfter == .seconds(60))
  }

  @Test func everyRejectionIsCountedAndSummarisedOnce() async throws {
    let recorder = EventRecorder()
    let (breaker, clock) = makeBreaker(recorder: recorder)
    breaker.fail(3, with: Failures.serverError)
    for _ in 0..<5 { _ = try #require(breaker.rejection()) }
    await clock.advance(by: .seconds(1))
    let probe = try #require(breaker.permit())
    for _ in 0..<2 { _ = try #require(breaker.rejection()) }
    breaker.recordSuccess(probe)
    let summaries = recorder.kinds.compactMap { kind -> String? in
      guard case .rejectionsSummarized(let count, let state) = kind else { return nil }
      return "\(count) \(state)"
    }
    #expect(summaries == ["5 open", "2 halfOpen"])
    #expect(breaker.snapshot().counters.rejections == 7)
  }

  @Test func aRestoredSnapshotReplacesTheKeptRefusal() async throws {
    let (breaker, _) = makeBreaker()
    breaker.fail(1, with: Failures.rateLimited(wait: .seconds(10)))
    _ = try #require(breaker.rejection())
    var snapshot = breaker.snapshot()
    snapshot.cooldownRemaining = .seconds(40)
    snapshot.firstError = Failures.serverError
    breaker.restore(snapshot)
    let restored = try #require(breaker.rejection())
    #expect(restored.retryAfter == .seconds(40))
    #expect(restored.firstError == Failures.serverError)
  }

  @Test func aLaterVerdictInTheSameStateMovesTheKeptDeadline() async throws {
    let (breaker, _) = makeBreaker()
    let early = try #require(breaker.permit())
    let late = try #require(breaker.permit())
    breaker.recordFailure(early, Failures.quota(wait: .seconds(60)))
    #expect(try #require(breaker.rejection()).retryAfter == .seconds(60))
    breaker.recordFailure(late, Failures.quota(wait: .seconds(600)))
    let rejection = try #require(breaker.rejection())
    let snapshot = breaker.snapshot()
    #expect(rejection.state == snapshot.state)
    #expect(rejection.retryAfter == snapshot.cooldownRemaining)
    #expect(rejection.firstError == snapshot.firstError)
  }

  @Test func forcedDeadlinesOutsideAnyRangeAreClamped() async throws {
    let breaker = CircuitBreaker(credential: "key-1")  // the default, real clock
    breaker.forceOpen(until: .init(offset: Duration(attoseconds: .max)))
    let far = try #require(breaker.rejection())
    #expect(far.retryAfter.map { $0 <= BreakerPolicy.maximumDuration } == true)
    #expect(
      breaker.snapshot().cooldownRemaining.map { $0 <= BreakerPolicy.maximumDuration } == true)
    // Long past: the probe is due at once, and the snapshot says so instead of trapping.
    breaker.forceOpen(until: .init(offset: Duration(attoseconds: .min)))
    #expect(breaker.snapshot().cooldownRemaining == .zero)
    #expect(try #require(breaker.permit()).isProbe)
  }
}
