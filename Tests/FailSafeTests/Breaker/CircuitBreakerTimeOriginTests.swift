import FailSafe
import FailSafeTesting
import Testing

/// The breaker keeps deadlines as offsets from the instant it was created at; these check that
/// every instant it hands out converts back exactly, from a clock that did not start at zero,
/// and across an episode record that was dropped and created again.
@Suite("CircuitBreaker time origin", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct CircuitBreakerTimeOriginTests {
  @Test func instantsRoundTripFromALateOrigin() async throws {
    let clock = ManualClock(startingAt: ManualClock.Instant(offset: .seconds(1_000)))
    let recorder = EventRecorder()
    let breaker = CircuitBreaker(
      credential: "key-1", policy: plainPolicy, clock: clock, random: .seeded(7),
      observer: recorder.observer)
    await clock.advance(by: .seconds(5))
    let until = clock.now.advanced(by: .seconds(30))
    #expect(breaker.forceOpen(until: until))

    let rejection = try #require(breaker.rejection())
    #expect(rejection.reopenAt == until)
    #expect(rejection.retryAfter == .seconds(30))
    #expect(breaker.availability() == .unavailable(until: until, state: .open))
    #expect(recorder.events.allSatisfy { $0.instant == clock.now })

    await clock.advance(by: .seconds(30))
    let probe = try breaker.acquire()
    #expect(probe.isProbe)
    let leases = recorder.kinds.compactMap { kind -> ManualClock.Instant? in
      if case .probeAdmitted(let leaseUntil) = kind { return leaseUntil }
      return nil
    }
    #expect(leases == [clock.now.advanced(by: .seconds(30))])
  }

  @Test func aSecondEpisodeStartsClean() async throws {
    let (breaker, clock) = makeBreaker()
    await clock.advance(by: .seconds(100))
    breaker.fail(1, with: Failures.rateLimited(wait: .seconds(5)))
    await clock.advance(by: .seconds(5))
    breaker.recordSuccess(try breaker.acquire())
    #expect(breaker.state == .closed)
    #expect(breaker.snapshot() == BreakerSnapshot(counters: breaker.snapshot().counters))

    await clock.advance(by: .seconds(50))
    breaker.fail(3, with: Failures.serverError)
    let rejection = try #require(breaker.rejection())
    #expect(rejection.reopenAt == clock.now.advanced(by: .seconds(1)))
    #expect(rejection.firstError == Failures.serverError)
    #expect(breaker.snapshot().repeatedErrors == 2)
  }
}
