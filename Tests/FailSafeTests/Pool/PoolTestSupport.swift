import FailSafe
import FailSafeTesting
import Foundation
import Testing

/// Yields until `condition` holds: for state another task reaches without touching the clock
/// (a waiter registering). Never sleeps; the suite's time limit bounds it.
func yieldUntil(_ condition: () -> Bool) async {
  while !condition() && !Task.isCancelled { await Task.yield() }
}

/// A pool of `keys` (ids equal to the initial values) on `clock`, with `sourcing`.
func makePool(
  keys: [String] = ["key-a"], clock: ManualClock,
  sourcing: CredentialSourcing<String>? = nil
) throws -> ClockedCredentialPool<String, ManualClock> {
  let registry = BreakerRegistry(
    policy: testBreakerPolicy(), clock: clock, random: { _ in .seeded(1) })
  return try ClockedCredentialPool(
    keys.map { (CredentialID($0), $0) }, registry: registry, sourcing: sourcing)
}

/// Kills credential `id` as a `400 API_KEY_INVALID` answer would.
func kill(_ id: CredentialID, in pool: ClockedCredentialPool<String, ManualClock>) throws {
  let breaker = try #require(pool.breaker(for: id))
  let permit = try breaker.acquire()
  breaker.recordFailure(
    permit,
    Classification(disposition: .permanent, reason: .keyInvalid, evidence: "API_KEY_INVALID"))
  #expect(breaker.state == .dead)
}

/// A temporary folder removed when the value is released.
final class TemporaryFolder: Sendable {
  let url: URL
  init() throws { url = URL(fileURLWithPath: try StateFixtures.temporaryDirectory()) }
  func path(_ name: String) -> String { url.appendingPathComponent(name).path }
  func write(_ text: String, to name: String) throws {
    try Data(text.utf8).write(to: url.appendingPathComponent(name), options: .atomic)
  }
  deinit { try? FileManager.default.removeItem(at: url) }
}

/// Problems a pool reported about its sources.
final class SourceProblems: Sendable {
  private let recorded = LockedValue<[String]>([])
  var all: [String] { recorded.value }
  var handler: @Sendable (CredentialID, any Error) -> Void {
    { id, error in self.recorded.withLock { $0.append("\(id): \(error)") } }
  }
}
