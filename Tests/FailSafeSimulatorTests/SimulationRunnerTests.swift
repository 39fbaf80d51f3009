import FailSafe
import FailSafeSimulator
import FailSafeTesting
import Foundation
import Testing

/// Takes one job and drops it: the ledger must call it lost.
private struct DroppingWorker: SimulatedWorker {
  var name: String { "dropping" }
  func work(_ session: SimulationSession) async {
    _ = try? await session.nextJob()
    try? await session.environment.clock.sleep(until: .init(offset: session.shift.upperBound))
  }
}

// Whole incidents replayed, side by side with the rest of the suite: 68 s seen on a loaded
// two-core machine, so 3 minutes (the limit is there to end a hang, not to time the run).
@Suite("SimulationRunner", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(3))))
struct SimulationRunnerTests {
  private let hour = Duration.seconds(3_600)

  private func smallDeadKey(sessions: Int = 3) -> SimulationScenario {
    SimulationScenario(
      name: "small-dead-key", summary: "a dead key, three sessions, one hour",
      duration: hour, shifts: SimulationScenario.alwaysOn(sessions: sessions, until: hour),
      jobs: JobSchedule(arrivals: 60, over: .zero..<hour),
      script: UpstreamScript(rules: [
        .init(window: .zero..<(hour * 2), responses: [ProviderResponses.geminiAPIKeyInvalid])
      ]),
      credentials: ["key"],
      naiveWorker: .naive(.init(credentials: ["key"])),
      failSafeWorker: .failSafe(credentials: ["key"]))
  }

  @Test func theNaiveWorkerStormsADeadKeyAndKeepsItsJobsQueued() async throws {
    let outcome = try await SimulationRunner(classifier: StatusClassifier()).run(smallDeadKey())
    let naive = outcome.naive.report
    // Three sessions restarting every 4-14 s for an hour: hundreds of requests, none useful.
    #expect(naive.upstreamRequests > 700)
    #expect(naive.failedUpstreamRequests == naive.upstreamRequests)
    #expect(naive.requestsAfterDead >= naive.upstreamRequests - 3)
    #expect(naive.jobsCompleted == 0)
    #expect(naive.jobsQueued == 60)
    #expect(naive.jobsLost == 0)
    #expect(naive.virtualSeconds == 3_600)
  }

  @Test func failSafeSendsAtMostOneRequestPerSessionInFlightToADeadKeyAndHoldsTheJobs() async throws
  {
    let outcome = try await SimulationRunner(classifier: StatusClassifier()).run(smallDeadKey())
    let failSafe = outcome.failSafe.report
    #expect(failSafe.upstreamRequests <= 3)
    #expect(failSafe.upstreamRequests >= 1)
    #expect(failSafe.requestsAfterDead == 0)
    // Held, never failed: the key is never replaced here, so every job is still queued.
    #expect(failSafe.jobsFailed == 0)
    #expect(failSafe.jobsQueued == 60)
    #expect(failSafe.heldJobsPeak == 60)
    #expect(failSafe.jobsLost == 0)
  }

  @Test func runsWithTheSameSeedRepeatExactly() async throws {
    let runner = SimulationRunner(classifier: StatusClassifier(), seed: 42)
    let first = try await expectRepeatsExactly(
      smallDeadKey(), worker: smallDeadKey().naiveWorker, on: runner)
    let other = try await SimulationRunner(classifier: StatusClassifier(), seed: 43)
      .run(smallDeadKey(), worker: smallDeadKey().naiveWorker)
    #expect(other.requests != first.requests)
  }

  /// The small dead key, replaced in the key source at 30 minutes.
  private func smallReplacedKey() -> SimulationScenario {
    var scenario = smallDeadKey()
    scenario.script.rules[0].credential = "key"
    scenario.script.recovery = hour / 2
    scenario.keyChanges = [SimulationKeyChange(at: hour / 2, credential: "key", value: "key-2")]
    return scenario
  }

  @Test func failSafeHoldsUntilTheKeyIsReplacedThenDrainsTheQueue() async throws {
    let run = try await SimulationRunner(classifier: StatusClassifier())
      .run(smallReplacedKey(), worker: smallReplacedKey().failSafeWorker)
    #expect(run.requests.filter { $0.credential == "key" }.count <= 3)
    #expect(run.report.jobsFailed == 0)
    #expect(run.report.jobsCompleted == 60)
    #expect((run.report.recoverySeconds ?? .infinity) <= 30)
  }

  @Test func failSafeRunsWithASourceWatcherRepeatExactly() async throws {
    let runner = SimulationRunner(classifier: StatusClassifier(), seed: 42)
    try await expectRepeatsExactly(
      smallReplacedKey(), worker: smallReplacedKey().failSafeWorker, on: runner)
  }

  /// Runs `worker` through `scenario` twice and expects the same figures (real time aside) and
  /// the same requests; returns the first run.
  @discardableResult
  private func expectRepeatsExactly(
    _ scenario: SimulationScenario,
    worker: ScenarioWorker, on runner: SimulationRunner<ContinuousClock>
  ) async throws -> SimulationRun {
    let first = try await runner.run(scenario, worker: worker)
    let second = try await runner.run(scenario, worker: worker)
    var a = first.report
    var b = second.report
    a.realSeconds = 0
    b.realSeconds = 0
    #expect(a == b)
    #expect(first.requests == second.requests)
    return first
  }

  @Test func aRepeatedCredentialIsAThrownErrorNotATrap() async throws {
    var scenario = smallDeadKey(sessions: 1)
    scenario.credentials = ["k", "k"]
    scenario.failSafeWorker = .failSafe(credentials: ["k", "k"])
    await #expect(throws: CredentialPoolError.duplicateID("k")) {
      _ = try await SimulationRunner(classifier: StatusClassifier()).run(scenario)
    }
  }

  @Test func aJobTakenAndNeverAccountedForIsReportedLost() async throws {
    let run = try await SimulationRunner(classifier: StatusClassifier())
      .run(smallDeadKey(sessions: 1), worker: ScenarioWorker { _ in DroppingWorker() })
    #expect(run.report.jobsLost == 1)
    #expect(run.report.upstreamRequests == 0)
  }

  @Test func recoveryIsMeasuredFromTheScriptedRecoveryToTheFirstSuccess() async throws {
    let scenario = SimulationScenario(
      name: "short-outage", summary: "503 for ten minutes", duration: hour,
      shifts: SimulationScenario.alwaysOn(sessions: 2, until: hour),
      jobs: JobSchedule(arrivals: 30, over: .zero..<hour),
      script: UpstreamScript(
        rules: [
          .init(window: .zero..<(.seconds(600)), responses: [ProviderResponses.openAIOverloaded503])
        ],
        recovery: .seconds(600)),
      credentials: ["key"],
      naiveWorker: .naive(.init(credentials: ["key"])),
      failSafeWorker: .failSafe(credentials: ["key"]))
    let outcome = try await SimulationRunner(classifier: StatusClassifier()).run(scenario)
    for run in [outcome.naive, outcome.failSafe] {
      let recovery = run.report.recoverySeconds
      #expect((recovery ?? -1) >= 0)
      let firstSuccess = run.requests.first { $0.response.isSuccess && $0.sentAt >= .seconds(600) }
      #expect(
        firstSuccess.map { ($0.sentAt - .seconds(600)).components.seconds }
          == recovery.map { Int64($0) })
      #expect(run.report.jobsCompleted == 30)
      #expect(run.report.jobsLost == 0)
    }
  }

  @Test func aReportRoundTripsThroughJSONAndAnOlderOneReadsNoTokenRequests() throws {
    let report = SimulationReport(
      upstreamRequests: 10, tokenEndpointRequests: 4, failedUpstreamRequests: 3,
      requestsAfterDead: 0, jobsSubmitted: 5, jobsCompleted: 5, jobsFailed: 0,
      failureReasons: [:], jobsQueued: 0, jobsLost: 0, recoverySeconds: nil,
      virtualSeconds: 60, realSeconds: 0.5)
    let data = try JSONEncoder().encode(report)
    #expect(try JSONDecoder().decode(SimulationReport.self, from: data) == report)
    var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(object["tokenEndpointRequests"] as? Int == 4)
    object["tokenEndpointRequests"] = nil
    let older = try JSONSerialization.data(withJSONObject: object)
    #expect(try JSONDecoder().decode(SimulationReport.self, from: older).tokenEndpointRequests == 0)
  }
}
