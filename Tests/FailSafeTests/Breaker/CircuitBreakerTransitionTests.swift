import FailSafe
import FailSafeTesting
import Testing

@Suite("CircuitBreaker transitions", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct CircuitBreakerTransitionTests {
  @Test func closedAdmitsAndSuccessKeepsItClosed() throws {
    let (breaker, _) = makeBreaker()
    let permit = try breaker.acquire()
    #expect(!permit.isProbe)
    breaker.recordSuccess(permit)
    #expect(breaker.state == .closed)
    #expect(breaker.availability() == .available)
  }

  @Test func retryableFailuresOpenAtTheThreshold() throws {
    let recorder = EventRecorder()
    let (breaker, clock) = makeBreaker(recorder: recorder)
    breaker.fail(2, with: Failures.serverError)
    #expect(breaker.state == .closed)
    #expect(breaker.snapshot().consecutiveFailures == 2)
    breaker.fail(1, with: Failures.serverError)
    #expect(breaker.state == .open)
    let rejection = try #require(breaker.rejection())
    #expect(rejection.state == .open)
    #expect(rejection.reopenAt == clock.now.advanced(by: .seconds(1)))
    #expect(rejection.retryAfter == .seconds(1))
    #expect(rejection.firstError == Failures.serverError)
    #expect(rejection.credential == "key-1")
    #expect(recorder.transitions == ["closed->open"])
    #expect(
      breaker.availability()
        == .unavailable(until: ManualClock.Instant(offset: .seconds(1)), state: .open))
  }

  @Test func successInClosedClearsTheCount() throws {
    let (breaker, _) = makeBreaker()
    breaker.fail(2, with: Failures.serverError)
    breaker.recordSuccess(try breaker.acquire())
    breaker.fail(2, with: Failures.serverError)
    #expect(breaker.state == .closed)
    #expect(breaker.snapshot().consecutiveFailures == 2)
  }

  @Test func providerWaitOpensAtOnceAndOverridesTheBackoff() throws {
    let (breaker, _) = makeBreaker()
    breaker.fail(1, with: Failures.rateLimited(wait: .seconds(42)))
    #expect(breaker.state == .open)
    #expect(breaker.rejection()?.retryAfter == .seconds(42))
  }

  @Test func providerWaitIsCapped() throws {
    let (breaker, _) = makeBreaker()
    breaker.fail(1, with: Failures.rateLimited(wait: .seconds(86_400)))
    #expect(breaker.rejection()?.retryAfter == .seconds(60))
  }

  @Test func negativeProviderWaitMeansNoWait() throws {
    let (breaker, _) = makeBreaker()
    breaker.fail(1, with: Failures.rateLimited(wait: .seconds(-5)))
    #expect(breaker.state == .open)
    let probe = try breaker.acquire()
    #expect(probe.isProbe)
  }

  @Test func providerWaitCanBeIgnoredByPolicy() {
    var policy = plainPolicy
    policy.opensOnProviderWait = false
    let (breaker, _) = makeBreaker(policy: policy)
    breaker.fail(1, with: Failures.rateLimited(wait: .seconds(5)))
    #expect(breaker.state == .closed)
  }

  @Test func cooldownExpiryAdmitsExactlyOneProbe() async throws {
    let recorder = EventRecorder()
    let (breaker, clock) = makeBreaker(recorder: recorder)
    breaker.fail(3, with: Failures.serverError)
    await clock.advance(by: .milliseconds(999))
    #expect(breaker.rejection()?.state == .open)
    await clock.advance(by: .milliseconds(1))
    #expect(breaker.availability() == .available)
    let probe = try breaker.acquire()
    #expect(probe.isProbe)
    #expect(breaker.state == .halfOpen)
    let second = try #require(breaker.rejection())
    #expect(second.state == .halfOpen)
    #expect(second.reopenAt == nil)
    #expect(breaker.availability() == .unavailable(until: nil, state: .halfOpen))
    #expect(
      recorder.kinds.contains(.probeAdmitted(leaseUntil: clock.now.advanced(by: .seconds(30)))))
  }

  @Test func probeSuccessClosesAndClearsTheStreak() async throws {
    let recorder = EventRecorder()
    let (breaker, clock) = makeBreaker(recorder: recorder)
    breaker.fail(3, with: Failures.serverError)
    await clock.advance(by: .seconds(1))
    breaker.recordSuccess(try breaker.acquire())
    #expect(breaker.state == .closed)
    let snapshot = breaker.snapshot()
    #expect(snapshot.streak == 0)
    #expect(snapshot.consecutiveFailures == 0)
    #expect(snapshot.firstError == nil)
    #expect(recorder.transitions == ["closed->open", "open->halfOpen", "halfOpen->closed"])
    // A fresh episode starts from the base cooldown again.
    breaker.fail(3, with: Failures.serverError)
    #expect(breaker.rejection()?.retryAfter == .seconds(1))
  }

  @Test func streakSurvivesExpiryAndDoublesTheCooldownUpToTheCap() async throws {
    let (breaker, clock) = makeBreaker()
    breaker.fail(3, with: Failures.serverError)
    var cooldowns: [Duration] = []
    for _ in 0..<6 {
      let rejection = try #require(breaker.rejection())
      let wait = try #require(rejection.retryAfter)
      cooldowns.append(wait)
      await clock.advance(by: wait)
      let probe = try breaker.acquire()
      #expect(probe.isProbe)
      breaker.recordFailure(probe, Failures.serverError)
      #expect(breaker.state == .open)
    }
    #expect(cooldowns == [1, 2, 4, 8, 8, 8].map { Duration.seconds($0) })
    #expect(breaker.snapshot().streak == 7)
    #expect(breaker.snapshot().repeatedErrors == 8)
    #expect(breaker.snapshot().firstError == Failures.serverError)
  }

  @Test func probeLeaseExpiresAndTheNextCallerProbes() async throws {
    let recorder = EventRecorder()
    let (breaker, clock) = makeBreaker(recorder: recorder)
    breaker.fail(3, with: Failures.serverError)
    await clock.advance(by: .seconds(1))
    let lost = try breaker.acquire()
    await clock.advance(by: .seconds(29))
    #expect(breaker.rejection()?.state == .halfOpen)
    await clock.advance(by: .seconds(1))
    #expect(breaker.availability() == .available)
    let replacement = try breaker.acquire()
    #expect(replacement.isProbe)
    #expect(recorder.kinds.contains(.probeLeaseExpired))
    // The lost probe finally reports: stale, ignored.
    breaker.recordSuccess(lost)
    #expect(breaker.state == .halfOpen)
    breaker.recordFailure(lost, Failures.serverError)
    #expect(breaker.state == .halfOpen)
    breaker.recordSuccess(replacement)
    #expect(breaker.state == .closed)
  }

  @Test func staleResultsFromAnEarlierGenerationAreIgnored() async throws {
    let (breaker, clock) = makeBreaker()
    let inFlight = (0..<5).map { _ in try? breaker.acquire() }.compactMap { $0 }
    #expect(inFlight.count == 5)
    for permit in inFlight.prefix(3) { breaker.recordFailure(permit, Failures.serverError) }
    #expect(breaker.state == .open)
    // The other in-flight calls answer after the breaker opened: ignored.
    breaker.recordFailure(inFlight[3], Failures.serverError)
    breaker.recordSuccess(inFlight[4])
    #expect(breaker.state == .open)
    #expect(breaker.snapshot().streak == 1)
    await clock.advance(by: .seconds(1))
    let probe = try breaker.acquire()
    breaker.recordSuccess(probe)
    breaker.fail(2, with: Failures.serverError)
    // A late failure from the first closed generation does not count in the new one.
    breaker.recordFailure(inFlight[3], Failures.serverError)
    #expect(breaker.state == .closed)
    #expect(breaker.snapshot().consecutiveFailures == 2)
  }

  @Test func permanentKillsAtOnceAndStaysDeadUntilRevived() async throws {
    let recorder = EventRecorder()
    let (breaker, clock) = makeBreaker(recorder: recorder)
    breaker.fail(1, with: Failures.keyInvalid)
    #expect(breaker.state == .dead)
    #expect(breaker.availability() == .dead)
    let rejection = try #require(breaker.rejection())
    #expect(rejection.state == .dead)
    #expect(rejection.reopenAt == nil)
    #expect(rejection.retryAfter == nil)
    #expect(rejection.firstError == Failures.keyInvalid)
    // No probe, however long we wait.
    await clock.advance(by: .seconds(1_000_000))
    #expect(breaker.rejection()?.state == .dead)
    #expect(breaker.forceClose() == false)
    #expect(breaker.forceOpen(for: .seconds(1)) == false)
    #expect(breaker.resume() == false)
    #expect(breaker.state == .dead)
    #expect(breaker.revive())
    #expect(breaker.state == .closed)
    #expect(breaker.snapshot().firstError == nil)
    #expect(recorder.transitions == ["closed->dead", "dead->closed"])
    #expect(recorder.kinds.contains(.rejectionsSummarized(count: 2, state: .dead)))
  }

  @Test func permanentFromAnInFlightCallKillsAnOpenBreaker() throws {
    let (breaker, _) = makeBreaker()
    let slow = try breaker.acquire()
    breaker.fail(1, with: Failures.rateLimited(wait: .seconds(10)))
    #expect(breaker.state == .open)
    breaker.recordFailure(slow, Failures.keyInvalid)
    #expect(breaker.state == .dead)
    #expect(breaker.rejection()?.firstError == Failures.keyInvalid)
  }

  @Test func permanentFromBeforeAReplacementIsIgnored() throws {
    let (breaker, _) = makeBreaker()
    let old = try breaker.acquire()
    breaker.credentialReplaced()
    breaker.recordFailure(old, Failures.keyInvalid)
    #expect(breaker.state == .closed)
  }

  @Test func probePermanentKills() async throws {
    let (breaker, clock) = makeBreaker()
    breaker.fail(3, with: Failures.serverError)
    await clock.advance(by: .seconds(1))
    breaker.recordFailure(try breaker.acquire(), Failures.keyInvalid)
    #expect(breaker.state == .dead)
  }

  @Test func fatalLeavesTheCredentialUntouched() async throws {
    let (breaker, clock) = makeBreaker()
    breaker.fail(2, with: Failures.serverError)
    breaker.fail(5, with: Failures.badRequest)
    #expect(breaker.state == .closed)
    #expect(breaker.snapshot().consecutiveFailures == 2)
    breaker.fail(1, with: Failures.serverError)
    await clock.advance(by: .seconds(1))
    // A fatal probe answer frees the probe slot; the state stays half-open.
    let probe = try breaker.acquire()
    breaker.recordFailure(probe, Failures.badRequest)
    #expect(breaker.state == .halfOpen)
    #expect(breaker.snapshot().streak == 1)
    let next = try breaker.acquire()
    #expect(next.isProbe)
  }

  @Test func cancellationIsNeutral() async throws {
    let (breaker, clock) = makeBreaker()
    breaker.fail(2, with: Failures.serverError)
    breaker.recordCancellation(try breaker.acquire())
    #expect(breaker.snapshot().consecutiveFailures == 2)
    breaker.fail(1, with: Failures.serverError)
    await clock.advance(by: .seconds(1))
    let probe = try breaker.acquire()
    breaker.recordCancellation(probe)
    #expect(breaker.state == .halfOpen)
    #expect(breaker.snapshot().streak == 1)
    let next = try breaker.acquire()
    #expect(next.isProbe)
    // The cancelled probe's permit is spent.
    breaker.recordSuccess(probe)
    #expect(breaker.state == .halfOpen)
  }

  @Test func unauthorizedPausesUntilResumedOrReplaced() async throws {
    let (breaker, clock) = makeBreaker()
    breaker.fail(1, with: Failures.tokenExpired)
    #expect(breaker.state == .paused)
    #expect(breaker.availability() == .unavailable(until: nil, state: .paused))
    await clock.advance(by: .seconds(100_000))
    let rejection = try #require(breaker.rejection())
    #expect(rejection.state == .paused)
    #expect(rejection.firstError == Failures.tokenExpired)
    #expect(breaker.resume())
    #expect(breaker.state == .closed)
    breaker.fail(1, with: Failures.tokenExpired)
    breaker.credentialReplaced()
    #expect(breaker.state == .closed)
    breaker.fail(1, with: Failures.tokenExpired)
    #expect(breaker.rejection()?.state == .paused)
  }

  @Test func pausedCredentialStillDiesOnAPermanentVerdict() throws {
    let (breaker, _) = makeBreaker()
    let inFlight = try breaker.acquire()
    breaker.fail(1, with: Failures.tokenExpired)
    breaker.recordFailure(inFlight, Failures.keyInvalid)
    #expect(breaker.state == .dead)
  }

  @Test func quotaSuspendsUntilTheProviderResetThenProbes() async throws {
    let (breaker, clock) = makeBreaker()
    breaker.fail(1, with: Failures.quota(wait: .seconds(600)))
    #expect(breaker.state == .suspended)
    let rejection = try #require(breaker.rejection())
    #expect(rejection.state == .suspended)
    #expect(rejection.retryAfter == .seconds(600))
    #expect(
      breaker.availability()
        == .unavailable(until: ManualClock.Instant(offset: .seconds(600)), state: .suspended))
    await clock.advance(by: .seconds(600))
    let probe = try breaker.acquire()
    #expect(probe.isProbe)
    breaker.recordSuccess(probe)
    #expect(breaker.state == .closed)
    #expect(breaker.snapshot().streak == 0)
  }

  @Test func quotaWithoutResetUsesTheLongCooldownAndResetsAreCapped() async throws {
    let (breaker, clock) = makeBreaker()
    breaker.fail(1, with: Failures.quota(wait: nil))
    #expect(breaker.rejection()?.retryAfter == .seconds(3_600))
    breaker.credentialReplaced()
    let inFlight = try breaker.acquire()
    breaker.fail(1, with: Failures.quota(wait: .seconds(999_999)))
    #expect(breaker.rejection()?.retryAfter == .seconds(7_200))
    // A later in-flight quota answer with an earlier reset does not shorten the suspension.
    await clock.advance(by: .seconds(100))
    breaker.recordFailure(inFlight, Failures.quota(wait: .seconds(10)))
    #expect(breaker.rejection()?.retryAfter == .seconds(7_100))
    #expect(breaker.snapshot().repeatedErrors == 1)
  }

  @Test func quotaOnAProbeSuspends() async throws {
    let (breaker, clock) = makeBreaker()
    breaker.fail(3, with: Failures.serverError)
    await clock.advance(by: .seconds(1))
    breaker.recordFailure(try breaker.acquire(), Failures.quota(wait: .seconds(50)))
    #expect(breaker.state == .suspended)
  }

  @Test func runReportsOutcomesAndRejectsBeforeStarting() async throws {
    let (breaker, _) = makeBreaker()
    let classifier = CarriedClassifier()
    let value = try await breaker.run(classifier: classifier) { 7 }
    #expect(value == 7)
    await #expect(throws: CarriedFailure.self) {
      try await breaker.run(classifier: classifier) { () async throws -> Int in
        throw CarriedFailure(classification: Failures.keyInvalid)
      }
    }
    #expect(breaker.state == .dead)
    var started = false
    do {
      _ = try await breaker.run(classifier: classifier) { started = true }
      Issue.record("a dead breaker admitted a call")
    } catch let rejection as BreakerRejection<ManualClock.Instant> {
      #expect(rejection.state == .dead)
    }
    #expect(!started)
  }

  @Test func runTreatsCancellationAsNeutral() async throws {
    let (breaker, _) = makeBreaker()
    breaker.fail(2, with: Failures.serverError)
    await #expect(throws: CancellationError.self) {
      try await breaker.run(classifier: CarriedClassifier()) { throw CancellationError() }
    }
    let cancelled = Classification(disposition: .retryable, reason: .cancelled)
    await #expect(throws: CarriedFailure.self) {
      try await breaker.run(classifier: CarriedClassifier()) {
        throw CarriedFailure(classification: cancelled)
      }
    }
    #expect(breaker.state == .closed)
    #expect(breaker.snapshot().consecutiveFailures == 2)
  }

  @Test func eventsCarryTheCauseAndTheFirstError() throws {
    let recorder = EventRecorder()
    let (breaker, _) = makeBreaker(recorder: recorder)
    breaker.fail(3, with: Failures.serverError)
    _ = breaker.rejection()
    _ = breaker.rejection()
    breaker.forceClose()
    let kinds = recorder.kinds
    #expect(kinds.first == .firstErrorRecorded(Failures.serverError))
    #expect(kinds.filter { if case .firstErrorRecorded = $0 { true } else { false } }.count == 1)
    #expect(
      kinds.contains(.transition(from: .closed, to: .open, cause: .failure(Failures.serverError))))
    #expect(kinds.contains(.rejectionsSummarized(count: 2, state: .open)))
    #expect(recorder.events.allSatisfy { $0.credential == "key-1" })
  }

  @Test func asyncStreamReceivesEvents() async throws {
    let (breaker, _) = makeBreaker()
    let stream = breaker.events()
    breaker.fail(3, with: Failures.serverError)
    var iterator = stream.makeAsyncIterator()
    #expect(await iterator.next()?.kind == .firstErrorRecorded(Failures.serverError))
    let transition = await iterator.next()?.kind
    #expect(
      transition == .transition(from: .closed, to: .open, cause: .failure(Failures.serverError)))
  }
}
