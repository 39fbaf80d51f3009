import FailSafe
import FailSafeTesting
import Synchronization

/// A provider that answers from an ``UpstreamScript`` in virtual time and records every request.
///
/// Sending takes the request's latency on the simulation's `ManualClock`, so concurrent
/// sessions have requests in flight at the same time, as real ones do.
package final class ScriptedUpstream: Sendable {
  /// One request the upstream received.
  package struct Request: Sendable, Hashable {
    /// When it was sent, from the start of the run.
    package var sentAt: Duration
    /// When its answer reached the caller.
    package var answeredAt: Duration
    /// The endpoint it went to.
    package var endpoint: UpstreamEndpoint
    /// The credential it carried (an id, never a secret).
    package var credential: String
    /// The answer.
    package var response: ScriptedResponse
    /// The session that sent it, when the worker said.
    package var session: Int?
  }

  /// What a send returns: the answer, and the tokens a successful refresh issued.
  package struct Answer: Sendable, Hashable {
    /// Creates an answer.
    package init(
      response: ScriptedResponse, issuedAccessToken: String? = nil,
      issuedRefreshToken: String? = nil
    ) {
      self.response = response
      self.issuedAccessToken = issuedAccessToken
      self.issuedRefreshToken = issuedRefreshToken
    }

    /// The response.
    package var response: ScriptedResponse
    /// The new access token, for a successful OAuth refresh.
    package var issuedAccessToken: String?
    /// The new refresh token, for a successful OAuth refresh.
    package var issuedRefreshToken: String?
  }

  private struct State {
    var requests: [Request] = []
    var ruleHits: [Int]
    var grant = 0
    var grantExpiresAt = Duration.zero
  }

  /// The script this upstream follows.
  package let script: UpstreamScript
  private let clock: ManualClock
  private let state: SanitizerVisibleMutex<State>

  /// The refresh token the token endpoint accepts first, with OAuth.
  package static let initialRefreshToken = "refresh-0"
  /// The access token the workers hold when the run starts, with OAuth: already expired.
  package static let initialAccessToken = "access-0"

  /// Creates an upstream that follows `script` on `clock`.
  package init(script: UpstreamScript, clock: ManualClock) {
    self.script = script
    self.clock = clock
    state = SanitizerVisibleMutex(State(ruleHits: Array(repeating: 0, count: script.rules.count)))
  }

  /// Every request so far, in the order sent.
  package var requests: [Request] { state.withLock { $0.requests } }

  /// How many requests were sent so far.
  package var requestCount: Int { state.withLock { $0.requests.count } }

  /// Sends one request: decides the answer from the script at the current virtual time,
  /// records the request, then waits `latency` on the clock before returning the answer.
  ///
  /// - Throws: `CancellationError` if the task is cancelled while waiting; the request still
  ///   counts as sent, as it would on a real network.
  package func send(
    to endpoint: UpstreamEndpoint, credential: String, latency: Duration, session: Int? = nil
  ) async throws -> Answer {
    let (answer, answeredAt) = dispatch(
      to: endpoint, credential: credential, latency: latency, session: session)
    try await clock.sleep(until: answeredAt)
    return answer
  }

  /// Sends one request without waiting for it: decides and records the answer now and returns
  /// it with the instant it reaches the caller. The caller must not act on the answer before
  /// that instant; a caller that would wait again right after (a restart delay) saves a step
  /// of the simulation by sleeping once, until `answeredAt` plus its own wait.
  package func dispatch(
    to endpoint: UpstreamEndpoint, credential: String, latency: Duration, session: Int? = nil
  ) -> (answer: Answer, answeredAt: ManualClock.Instant) {
    let sentAt = clock.now.offset
    let answeredAt = sentAt + max(latency, .zero)
    let answer = state.withLock { state -> Answer in
      let answer = decide(endpoint: endpoint, credential: credential, at: sentAt, state: &state)
      state.requests.append(
        Request(
          sentAt: sentAt, answeredAt: answeredAt, endpoint: endpoint, credential: credential,
          response: answer.response, session: session))
      return answer
    }
    return (answer, ManualClock.Instant(offset: answeredAt))
  }

  /// Sends one request with a latency drawn from the script's range by `random`.
  package func send(
    to endpoint: UpstreamEndpoint, credential: String, using random: inout SimulationRandom
  ) async throws -> Answer {
    let latency = random.duration(in: script.latency)
    return try await send(to: endpoint, credential: credential, latency: latency)
  }

  private func decide(
    endpoint: UpstreamEndpoint, credential: String, at time: Duration, state: inout State
  ) -> Answer {
    if let index = script.rules.firstIndex(where: {
      $0.matches(endpoint: endpoint, credential: credential, at: time)
    }) {
      let responses = script.rules[index].responses
      let response = responses[state.ruleHits[index] % responses.count]
      state.ruleHits[index] &+= 1
      return Answer(response: response)
    }
    guard let lifetime = script.oauthAccessTokenLifetime else {
      return Answer(response: script.success)
    }
    switch endpoint {
    case .api:
      let valid = credential == "access-\(state.grant)" && time < state.grantExpiresAt
      return Answer(response: valid ? script.success : ProviderResponses.anthropicOAuthTokenExpired)
    case .token:
      guard credential == "refresh-\(state.grant)" else {
        return Answer(response: ProviderResponses.oauthInvalidGrant)
      }
      state.grant += 1
      state.grantExpiresAt = time + lifetime
      return Answer(
        response: ProviderResponses.oauthTokenGranted,
        issuedAccessToken: "access-\(state.grant)", issuedRefreshToken: "refresh-\(state.grant)")
    }
  }
}
