import FailSafe
import FailSafeTesting
import Testing

@Suite("Built-in scenarios", .timeLimit(.minutes(1)))
struct BuiltInScenariosTests {
  private let runner = SimulationRunner(classifier: ProviderErrorClassifier())

  @Test func theFiveScenariosHaveTheirNamesInOrder() {
    #expect(
      SimulationScenario.builtIn().map(\.name)
        == ["dead-key", "oauth-429", "overload", "pool-revoked", "flat-ttl"])
    #expect(SimulationScenario.builtInNames == SimulationScenario.builtIn().map(\.name))
    #expect(SimulationScenario.builtIn(named: "overload")?.name == "overload")
    #expect(SimulationScenario.builtIn(named: "nope") == nil)
  }

  @Test func deadKeyShowsTheStormAndItsAbsence() async throws {
    let scenario = try #require(SimulationScenario.builtIn(named: "dead-key"))
    #expect(scenario.shifts.count == 13)
    #expect(scenario.duration == .seconds(6 * 86_400))
    let outcome = await runner.run(scenario)
    let naive = outcome.naive.report
    let failSafe = outcome.failSafe.report
    #expect(naive.upstreamRequests >= 10_000)
    #expect(naive.jobsQueued == 25_000)
    #expect(failSafe.upstreamRequests >= 1)
    #expect(failSafe.upstreamRequests <= 13)
    #expect(failSafe.requestsAfterDead == 0)
    #expect(failSafe.jobsCompleted == 0)
    #expect(failSafe.jobsFailed + failSafe.jobsQueued == 25_000)
    #expect(naive.jobsLost == 0)
    #expect(failSafe.jobsLost == 0)
  }

  @Test(arguments: ["oauth-429", "overload", "pool-revoked", "flat-ttl"])
  func noJobIsEverLost(name: String) async throws {
    let scenario = try #require(SimulationScenario.builtIn(named: name))
    let outcome = await runner.run(scenario)
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
    let naive = await runner.run(scenario, worker: scenario.makeNaiveWorker).report
    // A flat 5-minute cooldown over 5 hours after the revocation: dozens of requests.
    #expect(naive.requestsAfterDead >= 50)
    #expect(naive.jobsCompleted == naive.jobsSubmitted)
  }

  @Test func oauthOnFailSafeNeverBurnsTheSingleUseRefreshTokenAndRecovers() async throws {
    let scenario = try #require(SimulationScenario.builtIn(named: "oauth-429"))
    let outcome = await runner.run(scenario)
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
}
