import FailSafe
import FailSafeSimulator
import FailSafeTesting
import Testing

@Suite("ScriptedUpstream", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct ScriptedUpstreamTests {
  @Test func rulesAnswerInsideTheirWindowInTurnAndSuccessOutside() async throws {
    let clock = ManualClock()
    let upstream = ScriptedUpstream(
      script: UpstreamScript(rules: [
        .init(
          credential: "key-a", window: .seconds(10)..<(.seconds(20)),
          responses: [
            ProviderResponses.openAIOverloaded503, ProviderResponses.anthropicOverloaded529,
          ])
      ]), clock: clock)
    let statuses = { (credential: String) in
      upstream.dispatch(to: .api, credential: credential, latency: .zero).answer.response.status
    }
    #expect(statuses("key-a") == 200)
    await clock.advance(to: .init(offset: .seconds(10)))
    #expect(statuses("key-a") == 503)
    #expect(statuses("key-a") == 529)
    #expect(statuses("key-a") == 503)
    #expect(statuses("key-b") == 200)
    await clock.advance(to: .init(offset: .seconds(20)))
    #expect(statuses("key-a") == 200)
    #expect(upstream.requestCount == 6)
  }

  @Test func sendWaitsTheLatencyOnTheClockAndRecordsBothInstants() async throws {
    let clock = ManualClock()
    let upstream = ScriptedUpstream(script: UpstreamScript(rules: []), clock: clock)
    let task = Task { try await upstream.send(to: .api, credential: "k", latency: .seconds(2)) }
    await clock.waitForSleepers(count: 1)
    #expect(upstream.requestCount == 1)
    await clock.advance(by: .seconds(2))
    let answer = try await task.valueCancellingWithCaller
    #expect(answer.response.isSuccess)
    let request = try #require(upstream.requests.first)
    #expect(request.sentAt == .zero)
    #expect(request.answeredAt == .seconds(2))
  }

  @Test func oauthRefreshTokensAreSingleUseAndAccessTokensExpire() async throws {
    let clock = ManualClock()
    let upstream = ScriptedUpstream(
      script: UpstreamScript(rules: [], oauthAccessTokenLifetime: .seconds(3_600)), clock: clock)
    func send(_ endpoint: UpstreamEndpoint, _ credential: String) -> ScriptedUpstream.Answer {
      upstream.dispatch(to: endpoint, credential: credential, latency: .zero).answer
    }
    #expect(send(.api, ScriptedUpstream.initialAccessToken).response.status == 401)
    let grant = send(.token, ScriptedUpstream.initialRefreshToken)
    #expect(grant.response.isSuccess)
    let access = try #require(grant.issuedAccessToken)
    let refresh = try #require(grant.issuedRefreshToken)
    #expect(send(.api, access).response.isSuccess)
    // Reusing the spent refresh token is refused for good.
    #expect(
      send(.token, ScriptedUpstream.initialRefreshToken).response
        == ProviderResponses.oauthInvalidGrant)
    await clock.advance(by: .seconds(3_600))
    #expect(send(.api, access).response.status == 401)
    #expect(send(.token, refresh).issuedAccessToken != nil)
  }
}
