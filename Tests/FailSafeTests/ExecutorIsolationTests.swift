import FailSafe
import FailSafeTesting
import Testing

/// The isolation a call runs in, as the operation sees it: `#isolation` of a
/// `nonisolated(nonsending)` function is its caller's.
nonisolated(nonsending) private func isolationOfCaller() async -> (any Actor)? { #isolation }

/// A caller with an actor of its own: what isolation does the operation run in?
private actor IsolatedCaller {
  /// Whether every attempt of one call ran on this actor, and how many attempts there were.
  func attemptsRunHere(_ executor: ClockedRetryExecutor<String, ManualClock>) async throws -> (
    allHere: Bool, attempts: Int
  ) {
    // A plain reference, not the isolated `self`: a closure that captures an isolated
    // parameter is not inferred `nonisolated(nonsending)`.
    let caller = self
    let seen = LockedValue<[Bool]>([])
    _ = try await executor.run { key in
      let here = await isolationOfCaller() === caller
      seen.withLock { $0.append(here) }
      // The first credential's verdict rotates the call to the second at once: a second
      // attempt, made by the retry loop rather than the success path.
      if key == "revoked" { throw answer(403) }
      return key
    }
    let all = seen.value
    return (!all.isEmpty && all.allSatisfy { $0 }, all.count)
  }
}

/// `run` is `nonisolated(nonsending)`: the call, and the operation of every attempt without a
/// time limit, run in the caller's isolation, so the success path hops to no executor.
@Suite("Executor isolation", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct ExecutorIsolationTests {
  @Test func everyAttemptRunsInTheCallersActor() async throws {
    let executor = try makeExecutor(
      keys: ["revoked", "good"], clock: ManualClock(),
      configuration: testRetryConfiguration(maxAttempts: 1))
    let outcome = try await IsolatedCaller().attemptsRunHere(executor)
    #expect(outcome.attempts == 2)
    #expect(outcome.allHere)
  }

  @Test func fromNoActorTheOperationRunsOnNoActor() async throws {
    let executor = try makeExecutor(keys: ["good"], clock: ManualClock())
    let isolated = try await Task.detached {
      try await executor.run { _ in await isolationOfCaller() != nil }
    }.valueCancellingWithCaller
    #expect(!isolated)
  }
}
