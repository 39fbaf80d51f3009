import FailSafe
import FailSafeTesting
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite("CoarseMonotonicClock", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct CoarseMonotonicClockTests {
  @Test func readingsNeverGoBackwards() {
    let clock = CoarseMonotonicClock()
    var previous = clock.now
    for _ in 0..<10_000 {
      let current = clock.now
      #expect(current >= previous)
      previous = current
    }
  }

  @Test func resolutionIsPositiveAndCoarse() {
    let resolution = CoarseMonotonicClock().minimumResolution
    #expect(resolution > .zero)
    #expect(resolution <= .milliseconds(100))
  }

  @Test func instantArithmeticRoundTrips() {
    let start = CoarseMonotonicClock.Instant(offset: .seconds(100))
    let later = start.advanced(by: .milliseconds(1_500))
    #expect(start.duration(to: later) == .milliseconds(1_500))
    #expect(later.duration(to: start) == .milliseconds(-1_500))
    #expect(start < later)
    #expect(later.advanced(by: .milliseconds(-1_500)) == start)
  }

  @Test func instantArithmeticClampsInsteadOfTrapping() {
    let latest = CoarseMonotonicClock.Instant(offset: Duration(attoseconds: .max))
    let earliest = CoarseMonotonicClock.Instant(offset: Duration(attoseconds: .min))
    #expect(latest.advanced(by: .seconds(1)) == latest)
    #expect(earliest.advanced(by: .seconds(-1)) == earliest)
    #expect(earliest.duration(to: latest) == Duration(attoseconds: .max))
    #expect(latest.duration(to: earliest) == Duration(attoseconds: .min))
    #expect(earliest < latest && !(latest < earliest) && !(latest < latest))
  }

  @Test func readingsAreWholeNanoseconds() {
    // Built from nanoseconds: a reading never carries sub-nanosecond attoseconds.
    #expect(CoarseMonotonicClock().now.offset.attoseconds % 1_000_000_000 == 0)
  }

  #if os(Linux)
    @Test func followsThePreciseMonotonicClockWithoutLeadingIt() {
      // Both read the kernel's monotonic clock: the coarse one lags by a few ticks (about 8 ms
      // at most here), never leads. The one-second bound only catches a wrong clock or unit.
      let clock = CoarseMonotonicClock()
      for _ in 0..<1_000 {
        let before = preciseMonotonicNow()
        let reading = clock.now.offset
        let after = preciseMonotonicNow()
        #expect(reading <= after)
        #expect(reading >= before - .seconds(1))
      }
    }

    private func preciseMonotonicNow() -> Duration {
      var time = timespec()
      clock_gettime(CLOCK_MONOTONIC, &time)
      return .seconds(Int64(time.tv_sec)) + .nanoseconds(Int64(time.tv_nsec))
    }
  #endif

  @Test func sleepingTowardsTheFarthestDeadlineIsCancellable() async throws {
    let clock = CoarseMonotonicClock()
    let farthest = clock.now.advanced(by: Duration(attoseconds: .max))
    let sleeper = Task { try await clock.sleep(until: farthest) }
    sleeper.cancel()
    await #expect(throws: CancellationError.self) { try await sleeper.valueCancellingWithCaller }
  }

  @Test func sleepingUntilAPastDeadlineReturnsAtOnce() async throws {
    let clock = CoarseMonotonicClock()
    try await clock.sleep(until: clock.now.advanced(by: .seconds(-1)))
  }

  @Test func sleepingIsCancellable() async {
    let clock = CoarseMonotonicClock()
    let sleeper = Task { try await clock.sleep(until: clock.now.advanced(by: .seconds(3_600))) }
    sleeper.cancel()
    await #expect(throws: CancellationError.self) { try await sleeper.valueCancellingWithCaller }
  }
}
