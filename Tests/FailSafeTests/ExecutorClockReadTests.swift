import FailSafe
import FailSafeTesting
import Testing

/// The clock reads a successful call costs: none without a deadline or an attempt timeout,
/// one with them (the instant the limits are measured from).
@Suite(
  "Executor clock reads", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct ExecutorClockReadTests {
  private func executor(
    _ clock: ReadCountingClock, configuration: RetryConfiguration
  ) throws -> ClockedRetryExecutor<String, ReadCountingClock> {
    let registry = BreakerRegistry(
      policy: testBreakerPolicy(), clock: clock, random: { _ in .seeded(1) })
    let pool = try ClockedCredentialPool([("key-a", "key-a")], registry: registry)
    return ClockedRetryExecutor(pool: pool, configuration: configuration, random: .seeded(7))
  }

  /// How many times one successful `run` reads the clock.
  private func readsOfOneSuccess(_ configuration: RetryConfiguration) async throws -> Int {
    let clock = ReadCountingClock()
    let executor = try executor(clock, configuration: configuration)
    let before = clock.readCount
    let value = try await executor.run { key in key.count }
    #expect(value == 5)
    return clock.readCount - before
  }

  @Test func withoutTimeLimitsASuccessReadsNoClock() async throws {
    #expect(try await readsOfOneSuccess(testRetryConfiguration()) == 0)
  }

  @Test func withADeadlineASuccessReadsTheClockOnce() async throws {
    #expect(try await readsOfOneSuccess(testRetryConfiguration(deadline: .seconds(30))) == 1)
  }

  @Test func withAnAttemptTimeoutASuccessReadsTheClockOnce() async throws {
    #expect(
      try await readsOfOneSuccess(testRetryConfiguration(attemptTimeout: .seconds(5))) == 1)
  }

  @Test func aDeadlineStillCutsASlowAttempt() async throws {
    let clock = ReadCountingClock()
    let executor = try executor(
      clock, configuration: testRetryConfiguration(maxAttempts: 1, deadline: .seconds(10)))
    let call = Task {
      try await executor.run { _ in
        try await clock.sleep(until: clock.base.now.advanced(by: .seconds(60)), tolerance: nil)
        return 0
      }
    }
    // The attempt and the deadline's timer are both asleep.
    await clock.base.waitForSleepers(count: 2)
    await clock.base.advance(by: .seconds(10))
    do {
      _ = try await call.valueCancellingWithCaller
      Issue.record("a call past its deadline succeeded")
    } catch let failure as RetryFailure<ManualClock.Instant> {
      #expect(failure.reason == .deadlineExceeded)
    }
  }
}
