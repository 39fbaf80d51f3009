import FailSafe
import FailSafeTesting
import Synchronization
import Testing

@Suite("debounced saving", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct SaveDebouncerTests {
  final class SaveLog: Sendable {
    let count = Atomic<Int>(0)
  }

  @Test func aStormOfChangesIsOneWrite() async {
    let clock = ManualClock()
    let log = SaveLog()
    let debouncer = SaveDebouncer(clock: clock, interval: .seconds(1)) {
      log.count.add(1, ordering: .relaxed)
    }
    for _ in 0..<10_000 { debouncer.noteChange() }
    await clock.waitForSleepers(count: 1)
    #expect(log.count.load(ordering: .relaxed) == 0)
    await clock.advance(by: .seconds(1))
    await debouncer.flush()
    #expect(log.count.load(ordering: .relaxed) == 1)
    #expect(!debouncer.hasPendingChanges)
    await debouncer.close()
    #expect(log.count.load(ordering: .relaxed) == 1)
  }

  @Test func aChangeAfterASaveIsSavedOneIntervalLater() async {
    let clock = ManualClock()
    let log = SaveLog()
    let debouncer = SaveDebouncer(clock: clock, interval: .seconds(2)) {
      log.count.add(1, ordering: .relaxed)
    }
    debouncer.noteChange()
    await clock.waitForSleepers(count: 1)
    await clock.advance(by: .seconds(2))
    debouncer.noteChange()
    await clock.waitForSleepers(count: 1)
    await clock.advance(by: .seconds(1))
    #expect(log.count.load(ordering: .relaxed) == 1)
    #expect(debouncer.hasPendingChanges)
    await clock.advance(by: .seconds(1))
    await debouncer.close()
    #expect(log.count.load(ordering: .relaxed) == 2)
  }

  @Test func flushSavesAtOnceAndCloseSavesWhatIsPending() async {
    let clock = ManualClock()
    let log = SaveLog()
    let debouncer = SaveDebouncer(clock: clock, interval: .seconds(60)) {
      log.count.add(1, ordering: .relaxed)
    }
    await debouncer.flush()
    #expect(log.count.load(ordering: .relaxed) == 0)
    debouncer.noteChange()
    await debouncer.flush()
    #expect(log.count.load(ordering: .relaxed) == 1)
    debouncer.noteChange()
    await debouncer.close()
    #expect(log.count.load(ordering: .relaxed) == 2)
  }
}
