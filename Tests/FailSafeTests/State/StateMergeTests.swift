import FailSafe
import FailSafeTesting
import Foundation
import Testing

@Suite("state merge rules", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct StateMergeTests {
  typealias F = StateFixtures

  @Test func deadBeatsANewerAliveEntry() {
    let dead = F.entry(.dead, updated: 10, reason: .keyRevoked)
    let alive = F.entry(.closed, updated: 50)
    for merged in [StateMerge.merge(dead, alive), StateMerge.merge(alive, dead)] {
      #expect(merged.status == .dead)
      #expect(merged.reason == .keyRevoked)
      #expect(merged.updatedAt == F.at(50))
    }
  }

  @Test func aLaterOperatorReviveBeatsAStaleDeadEntry() {
    let dead = F.entry(.dead, updated: 10, reason: .keyRevoked)
    let revived = F.entry(.closed, updated: 20, action: .revive, actionAt: 20)
    for merged in [StateMerge.merge(dead, revived), StateMerge.merge(revived, dead)] {
      #expect(merged == revived)
    }
  }

  @Test func aDeathObservedAfterTheReviveStillWins() {
    let diedAgain = F.entry(.dead, updated: 30, reason: .keyRevoked)
    let revived = F.entry(.closed, updated: 20, action: .revive, actionAt: 20)
    for merged in [StateMerge.merge(diedAgain, revived), StateMerge.merge(revived, diedAgain)] {
      #expect(merged.status == .dead)
      #expect(merged.lastOperatorAction?.kind == .revive)
    }
  }

  @Test func anOperatorPauseBeatsStaleAndFreshAliveEntries() {
    let paused = F.entry(.paused, updated: 20, action: .pause, actionAt: 20)
    for alive in [
      F.entry(.closed, updated: 10), F.entry(.open, streak: 2, reopenIn: 90, updated: 40),
    ] {
      #expect(StateMerge.merge(paused, alive).status == .paused)
      #expect(StateMerge.merge(alive, paused).status == .paused)
    }
  }

  @Test func overlappingCooldownsKeepTheLongerStreakAndTheLaterReopen() {
    let older = F.entry(.open, streak: 5, reopenIn: 300, updated: 10)
    let newer = F.entry(.open, streak: 2, reopenIn: 120, updated: 60)
    for merged in [StateMerge.merge(older, newer), StateMerge.merge(newer, older)] {
      #expect(merged.status == .open)
      #expect(merged.consecutiveFailures == 5)
      #expect(merged.reopenAt == F.at(300))
      #expect(merged.updatedAt == F.at(60))
    }
  }

  @Test func aSuccessDuringAnotherProcesssCooldownDoesNotCloseIt() {
    let open = F.entry(.open, streak: 3, reopenIn: 300, updated: 10)
    let closed = F.entry(.closed, updated: 100)
    #expect(StateMerge.merge(open, closed).status == .open)
    #expect(StateMerge.merge(closed, open).status == .open)
  }

  @Test func aSuccessAfterTheCooldownEndedWins() {
    let open = F.entry(.open, streak: 3, reopenIn: 300, updated: 10)
    let closed = F.entry(.closed, updated: 400)
    for merged in [StateMerge.merge(open, closed), StateMerge.merge(closed, open)] {
      #expect(merged.status == .closed)
      #expect(merged.consecutiveFailures == 0)
      #expect(merged.reopenAt == nil)
    }
  }

  @Test func countersTakeTheLargerOfEach() {
    var first = F.entry(.closed, updated: 10)
    first.counters = BreakerCounters(rejections: 1, failures: 5, trips: 9)
    var second = F.entry(.closed, updated: 20)
    second.counters = BreakerCounters(rejections: 7, failures: 2, trips: 3)
    #expect(
      StateMerge.merge(first, second).counters
        == BreakerCounters(rejections: 7, failures: 5, trips: 9))
  }

  static var samples: [PersistedCredentialState] {
    [
      F.entry(.closed, updated: 0), F.entry(.closed, streak: 2, updated: 15),
      F.entry(.open, streak: 1, reopenIn: 30, updated: 5),
      F.entry(.open, streak: 4, reopenIn: 400, updated: 100),
      F.entry(.halfOpen, streak: 3, updated: 200),
      F.entry(.suspended, reopenIn: 9_000, updated: 50),
      F.entry(.dead, updated: 20, reason: .keyInvalid), F.entry(.paused, updated: 70),
      F.entry(.closed, updated: 80, action: .revive), F.entry(.paused, updated: 90, action: .pause),
      F.entry(.dead, updated: 300, reason: .keyRevoked),
    ]
  }

  @Test func mergingIsIdempotentAndCommutative() {
    for first in Self.samples {
      #expect(StateMerge.merge(first, first) == first)
      for second in Self.samples {
        #expect(StateMerge.merge(first, second) == StateMerge.merge(second, first))
      }
    }
  }

  @Test func aHeldStateNeverLosesToAnAliveOneWithoutALaterOperatorAction() {
    for held in Self.samples where held.status.isHeld {
      for other in Self.samples where !other.status.isHeld {
        let merged = StateMerge.merge(held, other)
        let operatorWins =
          other.lastOperatorAction.map { $0.at >= held.updatedAt && held.lastOperatorAction == nil }
          ?? false
        #expect(merged.status.isHeld || operatorWins)
      }
    }
  }

  @Test func documentsMergeEntryByEntryAndKeepTheUnion() {
    let first = PersistedStateDocument(credentials: [
      "a": F.entry(.dead, updated: 10), "b": F.entry(.closed, updated: 10),
    ])
    let second = PersistedStateDocument(credentials: [
      "b": F.entry(.open, streak: 1, reopenIn: 60, updated: 20), "c": F.entry(.closed, updated: 5),
    ])
    let merged = first.merged(with: second)
    #expect(merged.credentials.keys.sorted() == ["a", "b", "c"])
    #expect(merged.credentials["a"]?.status == .dead)
    #expect(merged.credentials["b"]?.status == .open)
  }
}
