import FailSafeTesting
import Testing

@Suite("ManualClock", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct ManualClockTests {
  @Test func startsAtTheGivenInstantAndOnlyMovesWhenAdvanced() async {
    let clock = ManualClock(startingAt: .init(offset: .seconds(100)))
    #expect(clock.now == .init(offset: .seconds(100)))
    await clock.advance(by: .milliseconds(250))
    #expect(clock.now == .init(offset: .milliseconds(100_250)))
    await clock.advance(to: .init(offset: .seconds(50)))  // never backwards
    #expect(clock.now == .init(offset: .milliseconds(100_250)))
    await clock.advance(by: .seconds(-5))
    #expect(clock.now == .init(offset: .milliseconds(100_250)))
  }

  @Test func sleeperWakesOnlyWhenItsDeadlineIsReached() async throws {
    let clock = ManualClock()
    let woke = LockedValue(false)
    let task = Task {
      try await clock.sleep(for: .seconds(30))
      woke.withLock { $0 = true }
    }
    await clock.waitForSleepers(count: 1)
    await clock.advance(by: .seconds(29))
    #expect(!woke.value)
    #expect(clock.sleeperCount == 1)
    await clock.advance(by: .seconds(1))
    try await task.valueCancellingWithCaller
    #expect(woke.value)
    #expect(clock.sleeperCount == 0)
  }

  @Test func sleepingUntilThePastReturnsAtOnce() async throws {
    let clock = ManualClock(startingAt: .init(offset: .seconds(10)))
    try await clock.sleep(until: .init(offset: .seconds(3)))
    try await clock.sleep(for: .zero)
    #expect(clock.sleeperCount == 0)
  }

  @Test func wakesSleepersInDeadlineOrderAndSetsNowToEachDeadline() async throws {
    let clock = ManualClock()
    let log = LockedValue<[Int]>([])
    let instants = LockedValue<[Duration]>([])
    var tasks: [Task<Void, any Error>] = []
    for seconds in [5, 1, 3, 4, 2] {
      tasks.append(
        Task {
          try await clock.sleep(until: .init(offset: .seconds(seconds)))
          log.withLock { $0.append(seconds) }
          instants.withLock { $0.append(clock.now.offset) }
        })
    }
    await clock.waitForSleepers(count: 5)
    // Advance one deadline at a time so each task records before the next one wakes.
    for step in 1...5 {
      await clock.advance(to: .init(offset: .seconds(step)))
      try await tasks[[5, 1, 3, 4, 2].firstIndex(of: step)!].value
    }
    #expect(log.value == [1, 2, 3, 4, 5])
    #expect(instants.value == [1, 2, 3, 4, 5].map { Duration.seconds($0) })
    #expect(clock.now == .init(offset: .seconds(5)))
  }

  @Test func oneAdvanceWakesASleepThatWokenTasksStartBeforeTheTarget() async throws {
    let clock = ManualClock()
    let wakeInstants = LockedValue<[Duration]>([])
    let task = Task {
      for _ in 0..<4 {
        try await clock.sleep(for: .seconds(10))
        wakeInstants.withLock { $0.append(clock.now.offset) }
      }
    }
    await clock.waitForSleepers(count: 1)
    await clock.advance(by: .seconds(40))
    try await task.valueCancellingWithCaller
    #expect(wakeInstants.value == [10, 20, 30, 40].map { Duration.seconds($0) })
  }

  @Test func cancellationDuringSleepThrowsAtOnce() async {
    let clock = ManualClock()
    let task = Task { try await clock.sleep(for: .seconds(3_600)) }
    await clock.waitForSleepers(count: 1)
    task.cancel()
    await #expect(throws: CancellationError.self) { try await task.valueCancellingWithCaller }
    #expect(clock.sleeperCount == 0)
    #expect(clock.now == .zero)
  }

  @Test func cancellationBeforeSleepThrowsWithoutRegistering() async {
    let clock = ManualClock()
    let task = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      try await clock.sleep(for: .seconds(1))
    }
    await #expect(throws: CancellationError.self) { try await task.valueCancellingWithCaller }
    #expect(clock.sleeperCount == 0)
  }

  @Test func manyConcurrentSleepersAllWakeExactlyOnce() async throws {
    let clock = ManualClock()
    let sleeperCount = 1_000
    let woken = LockedValue(0)
    try await withThrowingTaskGroup(of: Void.self) { group in
      for index in 0..<sleeperCount {
        group.addTask {
          try await clock.sleep(for: .milliseconds(index % 97 + 1))
          woken.withLock { $0 += 1 }
        }
      }
      await clock.waitForSleepers(count: sleeperCount)
      await clock.advance(by: .milliseconds(50))
      await clock.advance(by: .milliseconds(47))
      try await group.waitForAll()
    }
    #expect(woken.value == sleeperCount)
    #expect(clock.sleeperCount == 0)
  }

  @Test func cancellingHalfOfManySleepersLeavesTheOthersAsleep() async throws {
    let clock = ManualClock()
    let tasks = (0..<200).map { _ in Task { try await clock.sleep(for: .seconds(1)) } }
    await clock.waitForSleepers(count: 200)
    for task in tasks.enumerated() where task.offset.isMultiple(of: 2) { task.element.cancel() }
    var cancelled = 0
    for task in tasks.enumerated() where task.offset.isMultiple(of: 2) {
      do { try await task.element.value } catch is CancellationError { cancelled += 1 }
    }
    #expect(cancelled == 100)
    #expect(clock.sleeperCount == 100)
    await clock.advance(by: .seconds(1))
    for task in tasks.enumerated() where !task.offset.isMultiple(of: 2) {
      try await task.element.value
    }
    #expect(clock.sleeperCount == 0)
  }

  @Test func waitForSleepersReturnsAtOnceWhenEnoughAreAsleep() async {
    let clock = ManualClock()
    await clock.waitForSleepers(count: 0)
    let task = Task { try? await clock.sleep(for: .seconds(1)) }
    await clock.waitForSleepers(count: 1)
    #expect(clock.nextDeadline == .init(offset: .seconds(1)))
    await clock.advance(by: .seconds(1))
    await task.valueCancellingWithCaller
  }

  @Test func aCancelledWaitForSleepersReturnsAndLeavesNoWaiterBehind() async {
    let clock = ManualClock()
    // Cancelled before or after it registers: either way it returns, and reports cancellation.
    let waiter = Task { () -> Bool in
      await clock.waitForSleepers(count: 1)
      return Task.isCancelled
    }
    waiter.cancel()
    #expect(await waiter.value)
    let alreadyCancelled = Task { () -> Bool in
      withUnsafeCurrentTask { $0?.cancel() }
      await clock.waitForSleepers(count: 5)
      return Task.isCancelled
    }
    #expect(await alreadyCancelled.value)
    // The clock still works for the next wait.
    let sleeper = Task { try? await clock.sleep(for: .seconds(1)) }
    await clock.waitForSleepers(count: 1)
    await clock.advance(by: .seconds(1))
    await sleeper.valueCancellingWithCaller
    #expect(clock.sleeperCount == 0)
  }

  @Test func awaitingATasksValueThisWayCancelsItWithTheCaller() async {
    let clock = ManualClock()
    let sleeper = Task { () -> Bool in
      do {
        try await clock.sleep(for: .seconds(60))
        return false
      } catch {
        return error is CancellationError
      }
    }
    let caller = Task { await sleeper.valueCancellingWithCaller }
    await clock.waitForSleepers(count: 1)
    caller.cancel()
    // Nobody advances the clock: only the passed-on cancellation ends the sleep.
    #expect(await caller.value)
  }

  @Test func instantArithmetic() {
    let start = ManualClock.Instant(offset: .seconds(2))
    #expect(start.advanced(by: .seconds(3)) == .init(offset: .seconds(5)))
    #expect(start.duration(to: .init(offset: .seconds(1))) == .seconds(-1))
    #expect(start < start.advanced(by: .nanoseconds(1)))
  }
}
