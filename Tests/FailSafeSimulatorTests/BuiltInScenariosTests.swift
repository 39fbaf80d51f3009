import FailSafe
import FailSafeSimulator
import FailSafeTesting
import Testing

// Whole incidents replayed, side by side with the rest of the suite: 68 s seen on a loaded
// two-core machine, so 3 minutes (the limit is there to end a hang, not to time the run).
@Suite("Built-in scenarios", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(3))))
struct BuiltInScenariosTests {
  private let runner = SimulationRunner(classifier: ProviderErrorClassifier())

  @Test func theScenariosHaveTheirNamesInOrder() {
    #expect(
      SimulationScenario.builtIn().map(\.name)
        == ["dead-key", "oauth-429", "overload", "pool-revoked", "flat-ttl", "revived-elsewhere"])
    #expect(SimulationScenario.builtInNames == SimulationScenario.builtIn().map(\.name))
    #expect(SimulationScenario.builtIn(named: "overload")?.name == "overload")
    #expect(SimulationScenario.builtIn(named: "nope") == nil)
  }

  @Test func deadKeyShowsTheStormAndItsAbsence() async throws {
    let scenario = try #require(SimulationScenario.builtIn(named: "dead-key"))
    #expect(scenario.shifts.count == 13)
    #expect(scenario.duration == .seconds(6 * 86_400))
    let outcome = try await runner.run(scenario)
    let naive = outcome.naive.report
    let failSafe = outcome.failSafe.report
    // The naive worker storms the dead key until the new one is in place (it reads the key at
    // each restart), then works.
    #expect(naive.upstreamRequests >= 10_000)
    #expect(naive.requestsAfterDead >= 10_000)
    #expect(naive.jobsLost == 0)
    // FailSafe: at most one request per session on the dead key, none once it is known dead.
    let deadKeyRequests = outcome.failSafe.requests.filter { $0.credential == "gemini-key" }
    #expect(deadKeyRequests.count >= 1)
    #expect(deadKeyRequests.count <= 13)
    #expect(failSafe.requestsAfterDead == 0)
    // Held, not failed: the replaced key is picked up within one source check.
    let replacement = try #require(scenario.keyChanges.first)
    #expect(failSafe.jobsFailed == 0)
    #expect(try #require(failSafe.recoverySeconds) <= 30)
    #expect(failSafe.jobsLost == 0)
    // Every job done but those arriving after the last shift, which stay queued.
    let lastShiftEnd = try #require(scenario.shifts.flatMap { $0 }.map(\.upperBound).max())
    let arrivalsAfter = scenario.jobs.arrivalTimes.count { $0 >= lastShiftEnd }
    #expect(failSafe.jobsQueued == arrivalsAfter)
    #expect(failSafe.jobsCompleted == 25_000 - arrivalsAfter)
    #expect(failSafe.heldJobsPeak > 1_000)
    // Sessions were working when the key was replaced, and after.
    #expect(scenario.shifts.contains { $0.contains { $0.contains(replacement.at) } })
  }

  @Test(arguments: ["oauth-429", "overload", "pool-revoked", "flat-ttl", "revived-elsewhere"])
  func noJobIsEverLost(name: String) async throws {
    let scenario = try #require(SimulationScenario.builtIn(named: name))
    let outcome = try await runner.run(scenario)
    for run in [outcome.naive, outcome.failSafe] {
      let report = run.report
      #expect(report.jobsLost == 0, "\(name) \(run.worker)")
      #expect(
        report.jobsCompleted + report.jobsFailed + report.jobsQueued == report.jobsSubmitted,
        "\(name) \(run.worker)")
    }
    #expect(outcome.failSafe.report.requestsAfterDead == 0)
  }

  @Test func poolRevokedNaiveKeepsReturningToTheRevokedKey() async throws {
    let scenario = try #require(SimulationScenario.builtIn(named: "pool-revoked"))
    let naive = try await runner.run(scenario, worker: scenario.naiveWorker).report
    // A flat 5-minute cooldown over 5 hours after the revocation: dozens of requests.
    #expect(naive.requestsAfterDead >= 50)
    #expect(naive.jobsCompleted == naive.jobsSubmitted)
  }

  @Test func oauthOnFailSafeNeverBurnsTheSingleUseRefreshTokenAndRecovers() async throws {
    let scenario = try #require(SimulationScenario.builtIn(named: "oauth-429"))
    let outcome = try await runner.run(scenario)
    let failSafe = outcome.failSafe
    let recovery = try #require(scenario.script.recovery)
    // No refresh token sent that then came back invalid_grant: none burnt.
    #expect(!failSafe.requests.contains { $0.response == ProviderResponses.oauthInvalidGrant })
    // The token endpoint is left alone while it rate-limits: its schedule, not the polls.
    let tokenRequests = failSafe.requests.filter { $0.endpoint == .token }
    #expect(failSafe.report.tokenEndpointRequests == tokenRequests.count)
    #expect(tokenRequests.count { $0.sentAt < recovery } <= 15)
    // The first successful poll within 30 minutes of the recovery.
    let firstPoll = try #require(
      failSafe.requests.first { $0.endpoint == .api && $0.response.isSuccess })
    #expect(firstPoll.sentAt >= recovery)
    #expect(firstPoll.sentAt - recovery <= .seconds(1_800))
    #expect(try #require(failSafe.report.recoverySeconds) <= 1_800)
    // After it, every poll succeeds: each token is refreshed before it expires.
    #expect(
      failSafe.requests.allSatisfy { $0.sentAt < firstPoll.sentAt || $0.response.isSuccess })
    // The only token sent to the API unrefreshed once known rejected or expired: none. The one
    // 401 is the first poll's, with the token the run starts with, whose expiry nobody knows.
    let rejected = failSafe.requests.filter { $0.endpoint == .api && !$0.response.isSuccess }
    #expect(rejected.map(\.credential) == [ScriptedUpstream.initialAccessToken])
    #expect(failSafe.report.failureReasons["tokenExpired", default: 0] <= 1)
    #expect(failSafe.report.upstreamRequests < outcome.naive.report.upstreamRequests)
    #expect(
      failSafe.report.tokenEndpointRequests < outcome.naive.report.tokenEndpointRequests)
  }

  @Test func aReviveInTheSharedStoreReachesTheOtherProcessWithinOneSync() async throws {
    let scenario = try #require(SimulationScenario.builtIn(named: "revived-elsewhere"))
    let run = try await runner.run(scenario, worker: scenario.failSafeWorker)
    let revivedAt = Duration.seconds(4_502.5)
    // Process 0 (even sessions) learns the key is dead; process 1 (odd) learns it from the store
    // and never sends it before the revive.
    #expect(run.report.failedUpstreamRequests >= 1)
    #expect(run.report.failedUpstreamRequests <= 4)
    #expect(!run.requests.contains { ($0.session ?? 0) % 2 == 1 && $0.sentAt < revivedAt })
    #expect(run.report.requestsAfterDead == 0)
    // Both resume within one synchronisation interval of the operator's revive, no restart.
    for process in 0..<2 {
      let first = try #require(
        run.requests.first { ($0.session ?? -1) % 2 == process && $0.sentAt >= revivedAt })
      #expect(first.response.isSuccess)
      #expect(first.sentAt - revivedAt <= SharedStateFailSafeWorker.syncInterval)
    }
    #expect(run.report.jobsFailed == 0)
    #expect(run.report.jobsLost == 0)
    #expect(run.report.jobsCompleted == run.report.jobsSubmitted)
  }
}
