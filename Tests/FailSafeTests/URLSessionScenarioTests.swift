import FailSafe
import FailSafeTesting
import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

private typealias Executor = ClockedRetryExecutor<String, ContinuousClock>

/// An executor on the real clock with short cooldowns, so scenarios run in about a second.
private func makeRealTimeExecutor(
  keys: [String], maxAttempts: Int = 4, credentialWait: Duration = .zero
) throws -> Executor {
  let registry = BreakerRegistry(
    policy: BreakerPolicy(
      failureThreshold: 3,
      backoff: BackoffPolicy(
        base: .milliseconds(50), maximum: .milliseconds(800), jitter: .none)),
    clock: ContinuousClock())
  let pool = try ClockedCredentialPool(keys.map { (CredentialID($0), $0) }, registry: registry)
  return ClockedRetryExecutor(
    pool: pool, classifier: ProviderErrorClassifier(),
    configuration: RetryConfiguration(
      maxAttempts: maxAttempts,
      backoff: BackoffPolicy(base: .milliseconds(10), maximum: .milliseconds(100), jitter: .none),
      credentialWait: credentialWait))
}

private func makeSession() -> URLSession {
  let configuration = URLSessionConfiguration.ephemeral
  configuration.httpMaximumConnectionsPerHost = 16
  return URLSession(configuration: configuration)
}

private func scriptedJSON(_ response: ProviderResponseError) -> ScriptedResponse {
  ScriptedResponse(
    status: response.response.status,
    headers: [("Content-Type", "application/json")]
      + response.response.headers.map { ($0.name, $0.value) },
    body: response.response.body)
}

/// Sends one job's request through the executor; the worker number travels in a header.
private func runJob(
  _ executor: Executor, transport: URLSessionTransport<String>, url: URL, worker: Int,
  sideEffect: @escaping @Sendable () -> Void = {}
) async -> JobResult {
  var request = URLRequest(url: url)
  request.setValue("\(worker)", forHTTPHeaderField: "X-Worker")
  let tagged = request
  do {
    let (data, _) = try await executor.run { key in
      // The job's side effect (a file, a row, a dump) happens only once admitted.
      sideEffect()
      return try await transport.send(tagged, with: key)
    }
    return .succeeded(credential: String(decoding: data, as: UTF8.self))
  } catch {
    return .failed("\(error.reason)")
  }
}

@Suite(
  "Acceptance scenarios over URLSession Concurrency",
  .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct URLSessionScenarioConcurrencyTests {
  private let transport = URLSessionTransport<String>.apiKeyHeader(
    "x-goog-api-key", session: makeSession())

  /// 1,000 jobs, 13 workers; the server revokes the key from its 101st request on.
  @Test func backlogOnADeadKey() async throws {
    let executor = try makeRealTimeExecutor(keys: ["gemini"])
    let breaker = try #require(executor.pool.breaker(for: "gemini"))
    let script = HTTPScript { request in
      request.index < 100 ? .text(200, "gemini") : scriptedJSON(apiKeyInvalid)
    }
    let sideEffectsWhileDead = LockedValue(0)
    let transport = self.transport
    let results = try await withScriptedServer(script) { server in
      let url = server.url("/v1beta/models/gemini:generateContent")
      return await runBacklog(jobs: 1_000, workers: 13) { _, worker -> JobResult in
        await runJob(executor, transport: transport, url: url, worker: worker) {
          if breaker.state == .dead { sideEffectsWhileDead.withLock { $0 += 1 } }
        }
      }
    }
    #expect(results.count == 1_000)
    #expect(results.values.filter { $0 == .succeeded(credential: "gemini") }.count == 100)
    #expect(results.values.filter { $0 == .failed("credentialDead") }.count == 900)
    #expect(sideEffectsWhileDead.value == 0)
    #expect(breaker.state == .dead)
  }

  /// The same backlog, checked from the server's side: the revoked key is answered at most
  /// once per worker, every request carried the key, and nothing was retried.
  @Test func backlogOnADeadKeyAsTheServerSawIt() async throws {
    let executor = try makeRealTimeExecutor(keys: ["gemini"])
    let script = HTTPScript { request in
      request.index < 100 ? .text(200, "gemini") : scriptedJSON(apiKeyInvalid)
    }
    let transport = self.transport
    let requests = try await withScriptedServer(script) { server in
      let url = server.url("/v1beta/models/gemini:generateContent")
      _ = await runBacklog(jobs: 1_000, workers: 13) { _, worker in
        await runJob(executor, transport: transport, url: url, worker: worker)
      }
      return server.requests
    }
    let revoked = requests.filter { $0.index >= 100 }
    #expect(revoked.count <= 13)
    #expect(!revoked.isEmpty)
    let perWorker = Dictionary(grouping: revoked) { $0.headers["x-worker"] ?? "?" }
    #expect(perWorker.values.allSatisfy { $0.count == 1 })
    #expect(requests.allSatisfy { $0.headers["x-goog-api-key"] == "gemini" })
  }

  /// A dead key, 13 workers and 300 jobs held inside their executor calls; the key file is
  /// rewritten and the pool picks the new key up at its next source check: every job completes,
  /// the dead key is sent at most once per worker, and no job's side effect ran while held.
  @Test func heldJobsCompleteWhenTheKeyFileIsRewritten() async throws {
    let folder = try TemporaryFolder()
    try folder.write("dead-key\n", to: "gemini.key")
    let registry = BreakerRegistry(clock: ContinuousClock())
    let pool = try ClockedCredentialPool(
      ["gemini": "dead-key"], registry: registry,
      sourcing: CredentialSourcing(
        .file(atPath: folder.path("gemini.key")), checkInterval: .seconds(1)))
    let executor = ClockedRetryExecutor(
      pool: pool, classifier: ProviderErrorClassifier(),
      configuration: RetryConfiguration(credentialWait: RetryConfiguration.untilUsable))
    let script = HTTPScript { request in
      let key = request.headers["x-goog-api-key"] ?? ""
      return key == "dead-key" ? scriptedJSON(apiKeyInvalid) : .text(200, key)
    }
    let sideEffectsWhileDead = LockedValue(0)
    let breaker = try #require(pool.breaker(for: "gemini"))
    let transport = self.transport
    let (results, requests) = try await withScriptedServer(script) { server in
      let url = server.url("/v1beta/models/gemini:generateContent")
      let backlog = Task {
        await runBacklog(jobs: 300, workers: 13) { _, worker -> JobResult in
          await runJob(executor, transport: transport, url: url, worker: worker) {
            if breaker.state == .dead { sideEffectsWhileDead.withLock { $0 += 1 } }
          }
        }
      }
      // Every worker holds its job, waiting on the pool: nothing spins, nothing is sent.
      await yieldUntil { pool.waitingCount == 13 }
      let sentWhileHeld = server.requests.count
      try folder.write("new-key\n", to: "gemini.key")
      let results = await backlog.valueCancellingWithCaller
      #expect(sentWhileHeld <= 13)
      return (results, server.requests)
    }
    #expect(results.count == 300)
    #expect(results.values.allSatisfy { $0 == .succeeded(credential: "new-key") })
    #expect(requests.filter { $0.headers["x-goog-api-key"] == "dead-key" }.count <= 13)
    #expect(requests.filter { $0.headers["x-goog-api-key"] == "new-key" }.count == 300)
    #expect(sideEffectsWhileDead.value == 0)
    #expect(breaker.state == .closed)
  }

  /// The server answers 503 for one second from its 51st request on, then recovers.
  @Test func outageThenRecovery() async throws {
    let executor = try makeRealTimeExecutor(
      keys: ["openai"], maxAttempts: 20, credentialWait: .seconds(30))
    let clock = ContinuousClock()
    let outageStart = LockedValue<ContinuousClock.Instant?>(nil)
    let script = HTTPScript { request in
      guard request.index >= 50 else { return .text(200, "openai") }
      let start = outageStart.withLock { start in
        if start == nil { start = clock.now }
        return start!
      }
      return clock.now < start.advanced(by: .seconds(1)) ? .text(503, "down") : .text(200, "openai")
    }
    let transport = self.transport
    let (results, requests) = try await withScriptedServer(script) { server in
      let url = server.url("/v1/chat/completions")
      let results = await runBacklog(jobs: 300, workers: 13) { _, worker in
        await runJob(executor, transport: transport, url: url, worker: worker)
      }
      return (results, server.requests)
    }
    #expect(results.count == 300)
    #expect(results.values.allSatisfy { $0 == .succeeded(credential: "openai") })
    let failed = requests.count - 300
    // The requests in flight when the outage began (at most one per worker, and as many again
    // admitted before the third failure opened the breaker), then one probe per cooldown
    // (50, 100, 200, 400 ms fit in the outage): far fewer than one per job.
    #expect(failed >= 1)
    #expect(failed <= 13 * 2 + 5)
  }

  /// Three keys: "a" revoked from its 6th request on, "b" rate limited (429, Retry-After 1)
  /// on its 3rd request, "c" healthy. One worker, so "exactly one request after revocation"
  /// does not depend on thread timing.
  @Test func poolWithARevokedAndARateLimitedKey() async throws {
    let executor = try makeRealTimeExecutor(keys: ["a", "b", "c"])
    let perKey = LockedValue<[String: Int]>([:])
    let script = HTTPScript { request in
      let key = request.headers["x-goog-api-key"] ?? ""
      let count = perKey.withLock { counts in
        counts[key, default: 0] += 1
        return counts[key]!
      }
      switch key {
      case "a" where count >= 6: return scriptedJSON(apiKeyInvalid)
      case "b" where count == 3: return scriptedJSON(answer(429, retryAfter: 1))
      default: return .text(200, key)
      }
    }
    let transport = self.transport
    let (results, requests) = try await withScriptedServer(script) { server in
      let url = server.url("/v1/generate")
      let results = await runBacklog(jobs: 60, workers: 1) { _, worker in
        await runJob(executor, transport: transport, url: url, worker: worker)
      }
      return (results, server.requests)
    }
    #expect(results.count == 60)
    #expect(results.values.allSatisfy { if case .succeeded = $0 { true } else { false } })
    let onA = requests.filter { $0.headers["x-goog-api-key"] == "a" }
    #expect(onA.count == 6)  // five good answers, then exactly one after the revocation
    #expect(executor.pool.breaker(for: "a")?.state == .dead)
    let onB = requests.filter { $0.headers["x-goog-api-key"] == "b" }
    // Its third request was rate limited; then it was left alone for the Retry-After.
    #expect(onB.count >= 3)
    let limitedAt = onB[2].receivedAt
    #expect(onB.dropFirst(3).allSatisfy { $0.receivedAt >= limitedAt.advanced(by: .seconds(1)) })
    // The revoked key's five good answers are the only successes it has.
    #expect(results.values.filter { $0 == .succeeded(credential: "a") }.count == 5)
  }
}

@Suite(
  "RetryExecutor over URLSession", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct RetryExecutorURLSessionTests {
  @Test func dataForRequestRetriesNonSuccessAnswersAndReturnsTheFirst2xx() async throws {
    let executor = try makeRealTimeExecutor(keys: ["token"])
    let script = HTTPScript { request in
      request.index < 2 ? .text(503, "busy") : .json(200, #"{"ok":true}"#)
    }
    let (data, response, requests) = try await withScriptedServer(script) { server in
      let transport = URLSessionTransport.bearer(session: makeSession())
      let (data, response) = try await executor.data(
        for: URLRequest(url: server.url("/v1/messages")), using: transport)
      return (data, response, server.requests)
    }
    #expect(response.statusCode == 200)
    #expect(String(decoding: data, as: UTF8.self) == #"{"ok":true}"#)
    #expect(requests.count == 3)
    #expect(requests.allSatisfy { $0.authorization == "Bearer token" })
  }

  @Test func aConnectionThatCannotBeMadeIsRetriedThenReported() async throws {
    let executor = try makeRealTimeExecutor(keys: ["token"], maxAttempts: 2)
    let url = try await withScriptedServer(.always(.text(200))) { $0.url("/gone") }
    let transport = URLSessionTransport.bearer(session: makeSession())
    do {
      _ = try await executor.data(for: URLRequest(url: url), using: transport)
      Issue.record("expected a failure")
    } catch {
      #expect(error.reason == .attemptsExhausted)
      #expect(error.attempts == 2)
      #expect(error.lastFailure?.classification.reason == .connectionLost)
      #expect(error.lastFailure?.error is URLError)
    }
  }
}
