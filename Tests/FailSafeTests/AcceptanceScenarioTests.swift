import FailSafe
import FailSafeTesting
import Foundation
import Testing

/// A fake provider on the manual clock: every request takes one second, and the script decides
/// each answer from the key and the instant the answer is given.
private final class FakeProvider: Sendable {
  struct Request: Sendable {
    let key: String
    let sentAt: Duration
    let answeredAt: Duration
    let status: Int
    let worker: Int
  }

  let clock: ManualClock
  let script: @Sendable (_ key: String, _ now: Duration) -> ProviderResponseError?
  private let log = LockedValue<[Request]>([])

  init(
    clock: ManualClock,
    script: @escaping @Sendable (_ key: String, _ now: Duration) -> ProviderResponseError?
  ) {
    self.clock = clock
    self.script = script
  }

  var requests: [Request] { log.value }

  /// Sends one request with `key`: waits one second, then answers.
  func send(_ key: String, worker: Int) async throws -> String {
    let sentAt = clock.now.offset
    try await clock.sleep(for: .seconds(1))
    let answeredAt = clock.now.offset
    let failure = script(key, answeredAt)
    log.withLock {
      $0.append(
        Request(
          key: key, sentAt: sentAt, answeredAt: answeredAt,
          status: failure?.response.status ?? 200, worker: worker))
    }
    if let failure { throw failure }
    return key
  }
}

/// Advances `clock` one second at a time until `isDone` holds (at most `limit` seconds).
///
/// Before each step it waits until every worker still running is asleep on the clock or
/// waiting in `pool` for a credential, so time never moves while a worker is between two
/// sleeps: on a loaded machine, advancing on a heuristic let a late worker send at a later
/// instant and overlap another's request. The pool's own tasks (its waiters' alarm) sleep on
/// the clock too and are not workers.
private func drive(
  _ clock: ManualClock, pool: ClockedCredentialPool<String, ManualClock>, running: LockedValue<Int>,
  limit: Int = 10_000, until isDone: () -> Bool
) async {
  var seconds = 0
  func idle() -> Int { clock.sleeperCount - pool.backgroundTaskCount + pool.waitingCount }
  while !isDone() && seconds < limit && !Task.isCancelled {
    while idle() < running.value && !isDone() && !Task.isCancelled { await Task.yield() }
    await clock.advance(by: .seconds(1))
    seconds += 1
  }
}

/// Runs `jobs` jobs on `workers` workers, each job one `executor.run` against `provider`, and
/// drives `clock` until every job has finished; returns each job's result by number.
private func runDrivenBacklog(
  jobs: Int, workers: Int, clock: ManualClock, executor: ClockedRetryExecutor<String, ManualClock>,
  provider: FakeProvider
) async -> [Int: JobResult] {
  let finished = LockedValue(0)
  let running = LockedValue(workers)
  let backlog = Task {
    await runBacklog(jobs: jobs, workers: workers, running: running) { _, worker in
      defer { finished.withLock { $0 += 1 } }
      do {
        return JobResult.succeeded(
          credential: try await executor.run { try await provider.send($0, worker: worker) })
      } catch {
        return JobResult.failed(describe(error))
      }
    }
  }
  await drive(clock, pool: executor.pool, running: running) { finished.value == jobs }
  return await backlog.valueCancellingWithCaller
}

private func describe(_ error: any Error) -> String {
  (error as? RetryFailure<ManualClock.Instant>).map { "\($0.reason)" } ?? "\(error)"
}

@Suite(
  "Acceptance scenarios on the manual clock Concurrency",
  .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct ManualClockScenarioConcurrencyTests {
  /// 1,000 jobs, 13 workers, one key revoked at t = 10.5 s (Gemini's 400 API_KEY_INVALID).
  @Test func backlogOnADeadKey() async throws {
    let clock = ManualClock()
    let revokedAt = Duration.milliseconds(10_500)
    let provider = FakeProvider(clock: clock) { _, now in now >= revokedAt ? apiKeyInvalid : nil }
    let executor = try makeExecutor(
      keys: ["gemini"], clock: clock, classifier: ProviderErrorClassifier())
    let breaker = try #require(executor.pool.breaker(for: "gemini"))
    let sideEffectsWhileDead = LockedValue(0)
    let finished = LockedValue(0)
    let backlog = Task {
      await runBacklog(jobs: 1_000, workers: 13) { _, worker in
        defer { finished.withLock { $0 += 1 } }
        do {
          let key = try await executor.run { key in
            // The job's side effect (a file, a row, a dump) happens only once admitted.
            if breaker.state == .dead { sideEffectsWhileDead.withLock { $0 += 1 } }
            return try await provider.send(key, worker: worker)
          }
          return JobResult.succeeded(credential: key)
        } catch {
          return JobResult.failed(describe(error))
        }
      }
    }
    for _ in 0..<11 {
      await clock.waitForSleepers(count: 13)
      await clock.advance(by: .seconds(1))
    }
    let results = await backlog.valueCancellingWithCaller

    #expect(results.count == 1_000)
    let succeeded = results.values.filter { if case .succeeded = $0 { true } else { false } }
    #expect(succeeded.count == 130)
    #expect(results.values.filter { $0 == .failed("credentialDead") }.count == 870)
    let revokedAnswers = provider.requests.filter { $0.status == 400 }
    // Only the 13 requests in flight when the key died were answered 400, one per worker...
    #expect(revokedAnswers.count == 13)
    #expect(Set(revokedAnswers.map(\.worker)).count == 13)
    // ...and nothing was sent after the first 400 came back.
    let firstRevokedAnswer = try #require(revokedAnswers.map(\.answeredAt).min())
    #expect(provider.requests.filter { $0.sentAt >= firstRevokedAnswer }.isEmpty)
    #expect(provider.requests.count == 143)
    #expect(sideEffectsWhileDead.value == 0)
    #expect(breaker.state == .dead)
  }

  /// 1,000 jobs, 13 workers, and the key already revoked: every job fails as credentialDead,
  /// none dropped, none retried, and the provider sees only the 13 first requests.
  @Test func backlogOnAKeyDeadFromTheStart() async throws {
    let clock = ManualClock()
    let provider = FakeProvider(clock: clock) { _, _ in apiKeyInvalid }
    let executor = try makeExecutor(
      keys: ["gemini"], clock: clock, classifier: ProviderErrorClassifier())
    let started = LockedValue(0)
    let backlog = Task {
      await runBacklog(jobs: 1_000, workers: 13) { _, worker in
        do {
          let key = try await executor.run { key in
            started.withLock { $0 += 1 }
            return try await provider.send(key, worker: worker)
          }
          return JobResult.succeeded(credential: key)
        } catch {
          return JobResult.failed(describe(error))
        }
      }
    }
    await clock.waitForSleepers(count: 13)
    await clock.advance(by: .seconds(1))
    let results = await backlog.valueCancellingWithCaller
    #expect(results.count == 1_000)
    #expect(results.values.allSatisfy { $0 == .failed("credentialDead") })
    #expect(provider.requests.count == 13)
    #expect(Set(provider.requests.map(\.worker)).count == 13)
    #expect(started.value == 13)
  }

  /// The provider answers 503 from t = 3 s to t = 60 s, then recovers.
  @Test func outageThenRecovery() async throws {
    let clock = ManualClock()
    let outage = Duration.seconds(3)..<Duration.seconds(60)
    let provider = FakeProvider(clock: clock) { _, now in
      outage.contains(now) ? answer(503) : nil
    }
    let executor = try makeExecutor(
      keys: ["openai"], clock: clock,
      configuration: testRetryConfiguration(maxAttempts: 10, credentialWait: .seconds(600)),
      classifier: ProviderErrorClassifier())
    let results = await runDrivenBacklog(
      jobs: 300, workers: 13, clock: clock, executor: executor, provider: provider)

    #expect(results.count == 300)
    #expect(results.values.allSatisfy { $0 == .succeeded(credential: "openai") })
    let failedRequests = provider.requests.filter { $0.status == 503 }.count
    // The 13 requests in flight when the outage began, then one probe per cooldown
    // (5 s, 10 s, 20 s, 40 s: at most 4 fit in 57 s), not one request per job.
    #expect(failedRequests >= 13)
    #expect(failedRequests <= 13 + 4)
    #expect(provider.requests.filter { $0.status == 200 }.count == 300)
  }

  /// Three keys: "a" revoked at t = 6.5 s, "b" rate limited (429, Retry-After 30) from t = 2 s
  /// to t = 20 s, "c" healthy. One worker, then two.
  ///
  /// With one worker the revoked key sees exactly one request after its revocation, and the
  /// rate-limited key one 429. With two, the other worker may lease "a" (or "b") at the very
  /// instant the first 400 (or 429) comes back, before it is processed: a request already on
  /// its way, as in the backlog scenario. So the bound is one per worker, and nothing is sent
  /// after that instant.
  @Test(arguments: [1, 2])
  func poolWithARevokedAndARateLimitedKey(workers: Int) async throws {
    let clock = ManualClock()
    let provider = FakeProvider(clock: clock) { key, now in
      switch key {
      case "a" where now >= .milliseconds(6_500): return apiKeyInvalid
      case "b" where now >= .seconds(2) && now < .seconds(20): return answer(429, retryAfter: 30)
      default: return nil
      }
    }
    let executor = try makeExecutor(
      keys: ["a", "b", "c"], clock: clock, classifier: ProviderErrorClassifier())
    let results = await runDrivenBacklog(
      jobs: 100, workers: workers, clock: clock, executor: executor, provider: provider)

    #expect(results.count == 100)
    #expect(results.values.allSatisfy { if case .succeeded = $0 { true } else { false } })
    let requests = provider.requests
    // Every success came from a key that answered 200 at that moment.
    #expect(requests.filter { $0.status == 200 }.count == 100)
    // The revoked key saw one request after its revocation (at most one per worker in flight)...
    let afterRevocation = requests.filter { $0.key == "a" && $0.answeredAt >= .milliseconds(6_500) }
    if workers == 1 {
      #expect(afterRevocation.count == 1)
    } else {
      #expect((1...workers).contains(afterRevocation.count))
    }
    // ...and none was sent after the first 400 came back.
    let firstDeadAnswer = try #require(afterRevocation.map(\.answeredAt).min())
    #expect(!requests.contains { $0.key == "a" && $0.sentAt > firstDeadAnswer })
    #expect(executor.pool.breaker(for: "a")?.state == .dead)
    // The rate-limited key was left alone for its Retry-After, then used again. As for "a",
    // another worker's request may already be on its way when the first 429 comes back: one
    // 429 per worker at most, and none sent after the first came back.
    let limited = requests.filter { $0.key == "b" && $0.status == 429 }
    if workers == 1 {
      #expect(limited.count == 1)
    } else {
      #expect((1...workers).contains(limited.count))
    }
    let firstLimitedAnswer = try #require(limited.map(\.answeredAt).min())
    #expect(!limited.contains { $0.sentAt > firstLimitedAnswer })
    let backOnB = requests.filter { $0.key == "b" && $0.status == 200 && $0.sentAt > .seconds(2) }
    #expect(backOnB.allSatisfy { $0.sentAt >= firstLimitedAnswer + .seconds(30) })
    #expect(!backOnB.isEmpty)
  }
}
