import FailSafe
import FailSafeTesting
import Foundation
import Testing

@Suite("two processes share one state file", .timeLimit(.minutes(1)))
struct TwoProcessStateTests {
  typealias Worker = BreakerStatePersistenceTests.Worker

  @Test func aKeyKilledInAnotherProcessIsRejectedHereWithoutARestart() async throws {
    let directory = try StateFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/state.json"
    let worker = try Worker(
      store: FileBreakerStateStore(path: path),
      wall: BreakerStatePersistenceTests.MovableWallClock(Date()))
    let breaker = worker.registry.breaker(for: "shared")
    breaker.recordSuccess(try breaker.acquire())  // in use here, healthy

    let child = try StateHelperProcess(["kill-key", path, "shared"])
    defer { child.kill() }
    let line = child.waitForLine { $0 == "dead" }
    #expect(line != nil, "helper: \(child.errorText)")
    #expect(child.waitForExit() == 0)

    #expect(breaker.state == .closed)  // nothing learned yet
    try worker.persistence.synchronize()
    #expect(breaker.state == .dead)
    let rejection = #expect(throws: BreakerRejection<ManualClock.Instant>.self) {
      _ = try breaker.acquire()
    }
    #expect(rejection?.state == .dead)
    #expect(rejection?.firstError?.evidence.contains("from the helper process") == true)
    await worker.persistence.close()
    #expect(
      try FileBreakerStateStore(path: path).load().document.credentials["shared"]?.status == .dead)
  }
}
