import FailSafe
import FailSafeTesting
import Foundation
import Testing

@Suite(
  "wall and monotonic reopen times", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct ReopenTimeConversionTests {
  let conversion = ReopenTimeConversion<ManualClock>(
    wallNow: StateFixtures.epoch, monotonicNow: ManualClock.Instant(offset: .seconds(5)),
    maximumCooldown: .seconds(3_600))

  @Test func aReopenTimeInThePastIsDueNow() {
    #expect(conversion.reopen(forPersisted: StateFixtures.at(-1)) == .due)
    #expect(conversion.reopen(forPersisted: StateFixtures.epoch) == .due)
    #expect(conversion.reopen(forPersisted: .distantPast) == .due)
  }

  @Test func aFutureReopenTimeKeepsItsRemainingCooldown() {
    #expect(
      conversion.reopen(forPersisted: StateFixtures.at(90))
        == .at(ManualClock.Instant(offset: .seconds(95))))
  }

  @Test func anAbsurdlyFarReopenTimeIsCappedByTheMaximumCooldown() {
    for date in [StateFixtures.at(1e9), .distantFuture, Date(timeIntervalSince1970: 1e300)] {
      #expect(
        conversion.reopen(forPersisted: date)
          == .at(ManualClock.Instant(offset: .seconds(3_605))))
    }
  }

  @Test func anUnknownReopenTimeGetsTheMaximumCooldown() {
    #expect(
      conversion.reopen(forPersisted: nil) == .at(ManualClock.Instant(offset: .seconds(3_605))))
  }

  @Test func instantsBecomeDatesByTheSameReading() {
    #expect(
      conversion.date(for: ManualClock.Instant(offset: .seconds(65))) == StateFixtures.at(60))
    #expect(
      conversion.date(for: ManualClock.Instant(offset: .seconds(Int64.max)))
        == StateFixtures.at(1e12))
  }
}
