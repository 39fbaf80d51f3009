import FailSafe
import FailSafeTesting
import Foundation
import Testing

@Suite(
  "two processes share one state file", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1)))
)
struct TwoProcessStateTests {
  typealias Worker = BreakerStatePersistenceTests.Worker

  @Test func aKeyKilledInAnotherProcessIsRejectedHereWithoutARestart() async throws {
    let directory = try StateFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/state.json"
    let worker = try await Worker(
      store: FileBreakerStateStore(path: path),
      wall: BreakerStatePersistenceTests.MovableWallClock(Date()), syncInterval: .seconds(5))
    await worker.clock.waitForSleepers(count: 1)  // the periodic sync is waiting
    let breaker = worker.registry.breaker(for: "shared")
    breaker.recordSuccess(try breaker.acquire())  // in use here, healthy

    let child = try StateHelperProcess(["kill-key", path, "shared"])
    defer { child.kill() }
    let line = child.waitForLine { $0 == "dead" }
    #expect(line != nil, "helper: \(child.errorText)")
    #expect(child.waitForExit() == 0)

    #expect(breaker.state == .closed)  // nothing learned yet
    // The next periodic sync merges what the other process wrote; once the sync task is
    // asleep again, it is done.
    await worker.clock.advance(by: .seconds(5))
    await worker.clock.waitForSleepers(count: 1)
    #expect(worker.persistence.synchronizationCount == 1)
    #expect(breaker.state == .dead)
    let rejection = #expect(throws: BreakerRejection<ManualClock.Instant>.self) {
      _ = try breaker.acquire()
    }
    #expect(rejection?.state == .dead)
    #expect(rejection?.firstError?.evidence.contains("from the helper process") == true)
    await worker.persistence.close()
    #expect(
      try await FileBreakerStateStore(path: path).load().document.credentials["shared"]?.status
        == .dead)
  }

  @Test func aKilledWorkersDeadKeyAndCooldownSurviveItsRestart() async throws {
    let directory = try StateFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/state.json"
    let child = try StateHelperProcess(["crash-worker", path])
    defer { child.kill() }
    let line = try #require(
      child.waitForLine { $0.hasPrefix("saved ") }, "helper: \(child.errorText)")
    child.kill()
    #expect(child.wasKilled)
    let fields = Dictionary(
      uniqueKeysWithValues: line.dropFirst("saved ".count).split(separator: " ").map {
        let parts = $0.split(separator: "=")
        return (String(parts[0]), Int(parts[1]) ?? -1)
      })
    let streak = try #require(fields["streak"])
    let remaining = try #require(fields["remaining"])
    #expect(streak == 4)
    #expect(remaining == 4_800)

    // The worker starts again: a new registry on a new monotonic clock, the same file.
    let restarted = try await Worker(
      store: FileBreakerStateStore(path: path),
      wall: BreakerStatePersistenceTests.MovableWallClock(Date()))
    #expect(restarted.state("dead-key") == .dead)
    let dead = #expect(throws: BreakerRejection<ManualClock.Instant>.self) {
      _ = try restarted.registry.breaker(for: "dead-key").acquire()
    }
    #expect(dead?.firstError?.reason == .keyInvalid)
    let slow = restarted.registry.breaker(for: "slow-key")
    let snapshot = slow.snapshot()
    #expect(snapshot.state == .open)
    #expect(snapshot.streak == streak)
    // The cooldown still runs from where it was (less the moments the restart took).
    let left = snapshot.cooldownRemaining ?? .zero
    #expect(left <= .seconds(remaining) && left > .seconds(remaining - 60))
    await restarted.clock.advance(by: left - .seconds(1))
    #expect(throws: BreakerRejection<ManualClock.Instant>.self) { _ = try slow.acquire() }
    await restarted.clock.advance(by: .seconds(1))
    #expect(try slow.acquire().isProbe)
    await restarted.persistence.close()
  }
}
