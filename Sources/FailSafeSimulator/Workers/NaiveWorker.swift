import FailSafe
import FailSafeTesting
import Synchronization

/// The worker from the incidents: no classification, immediate retries, restarts every few
/// seconds, and at most a flat cooldown that puts a failing key back into rotation.
///
/// For each job it picks the next key in rotation that is not cooling down and sends the
/// request. A failure, whatever it was, is retried at once on the same key, up to
/// ``Behaviour/immediateRetries`` times; then the session "crashes": it gives the job back and
/// restarts after a delay drawn from ``Behaviour/restartDelay``. A key that failed
/// ``Behaviour/cooldownAfterFailures`` times within one job is left out of rotation for the
/// flat ``Behaviour/cooldown`` (the retries move on to the next key), and then used again as if
/// nothing had happened.
///
/// With OAuth (``UpstreamScript/oauthAccessTokenLifetime``) the keys are ignored: the worker
/// calls the API with its access token and, on any failure, refreshes it at the token endpoint
/// (with the same immediate retries) before calling again.
package final class NaiveWorker: SimulatedWorker {
  /// How the worker behaves.
  package typealias Behaviour = NaiveWorkerBehaviour

  private struct Rotation {
    var next = 0
    var coolingUntil: [String: Duration] = [:]
    var accessToken = ScriptedUpstream.initialAccessToken
    var refreshToken = ScriptedUpstream.initialRefreshToken
  }

  /// The behaviour.
  package let behaviour: Behaviour
  private let environment: SimulationEnvironment
  /// Shared by every session of the run, as the incident's key list and token store were.
  private let rotation = SanitizerVisibleMutex(Rotation())

  /// `naive`.
  package var name: String { "naive" }

  /// Creates the worker for one run.
  package init(behaviour: Behaviour, environment: SimulationEnvironment) {
    self.behaviour = behaviour
    self.environment = environment
    for credential in behaviour.credentials {
      environment.timeline.record(credential, entered: "closed", at: .zero)
    }
  }

  /// Works through the shift's jobs as the incident's worker did.
  package func work(_ session: SimulationSession) async {
    var random = session.random
    while true {
      guard let job = try? await session.nextJob() else { return }
      do {
        guard let failure = try await attempt(job, session: session, random: &random) else {
          environment.jobs.complete(job)
          continue
        }
        // No classification: the naive worker only knows the status it last saw.
        if behaviour.dropsFailedJobs {
          environment.jobs.fail(job, reason: "http\(failure.status)")
        } else {
          environment.jobs.release(job)
        }
        // The session crashes on the answer and restarts a few seconds later: one sleep.
        let restart = random.duration(in: behaviour.restartDelay)
        try await environment.clock.sleep(until: failure.answeredAt.advanced(by: restart))
      } catch {
        environment.jobs.release(job)  // Cancelled: the run is over.
        return
      }
    }
  }

  private struct Failure {
    var status: Int
    var answeredAt: ManualClock.Instant
  }

  /// Sends `job` until it succeeds (`nil`) or the immediate retries run out (the last
  /// failure, whose answer the caller has not waited for yet).
  ///
  /// The key is chosen when the job starts and kept for its retries, unless a failure starts
  /// the key's cooldown: the incident's client checked cooldowns only when picking a key.
  private func attempt(
    _ job: SimulatedJob, session: SimulationSession, random: inout SimulationRandom
  ) async throws -> Failure? {
    let oauth = environment.upstream.script.oauthAccessTokenLifetime != nil
    let upstream = environment.upstream
    var credential = oauth ? nil : try await nextCredential(session: session)
    var failuresOnKey = 0
    var failure = Failure(status: 0, answeredAt: environment.clock.now)
    for attempt in 0...behaviour.immediateRetries {
      if attempt > 0 { try await environment.clock.sleep(until: failure.answeredAt) }
      if oauth {
        let status = try await callWithAccessToken(random: &random)
        if status < 300 { return nil }
        failure = Failure(status: status, answeredAt: environment.clock.now)
        continue
      }
      guard let key = credential else { break }
      // The incident's worker reads its key from the settings at every (re)start.
      let (answer, answeredAt) = upstream.dispatch(
        to: .api, credential: environment.keys.value(of: key),
        latency: random.duration(in: upstream.script.latency))
      if answer.response.isSuccess {
        try await environment.clock.sleep(until: answeredAt)
        recordSuccess(of: key)
        return nil
      }
      failure = Failure(status: answer.response.status, answeredAt: answeredAt)
      failuresOnKey += 1
      if failuresOnKey >= behaviour.cooldownAfterFailures, let cooldown = behaviour.cooldown {
        try await environment.clock.sleep(until: answeredAt)
        coolDown(key, for: cooldown)
        failuresOnKey = 0
        if attempt < behaviour.immediateRetries {
          credential = try await nextCredential(session: session)
          failure.answeredAt = environment.clock.now
        }
      }
    }
    return failure
  }

  /// The next key in rotation; waits on the clock while every key cools down.
  private func nextCredential(session: SimulationSession) async throws -> String? {
    guard !behaviour.credentials.isEmpty else { return nil }
    while true {
      let now = environment.now
      enum Pick {
        case credential(String)
        case allCooling(until: Duration)
      }
      let pick = rotation.withLock { rotation -> Pick in
        for step in 0..<behaviour.credentials.count {
          let index = (rotation.next + step) % behaviour.credentials.count
          let credential = behaviour.credentials[index]
          if let until = rotation.coolingUntil[credential], until > now { continue }
          rotation.next = (index + 1) % behaviour.credentials.count
          return .credential(credential)
        }
        return .allCooling(until: rotation.coolingUntil.values.min() ?? now)
      }
      switch pick {
      case .credential(let credential):
        environment.timeline.record(credential, entered: "closed", at: now)
        return credential
      case .allCooling(let until):
        // Sessions waking at the same instant would race; a nanosecond apart, they take turns.
        try await environment.clock.sleep(
          until: .init(offset: until + .nanoseconds(session.index)))
      }
    }
  }

  private func recordSuccess(of credential: String) {
    environment.timeline.record(credential, entered: "closed", at: environment.now)
  }

  /// Leaves `credential` out of rotation for the flat `cooldown` from now.
  private func coolDown(_ credential: String, for cooldown: Duration) {
    let now = environment.now
    rotation.withLock { rotation in
      rotation.coolingUntil[credential] = max(
        rotation.coolingUntil[credential] ?? .zero, now + cooldown)
    }
    environment.timeline.record(credential, entered: "open", at: now)
  }

  /// One API call with the shared access token; on failure, one refresh (not retried here)
  /// and one more call. Returns the last status.
  private func callWithAccessToken(random: inout SimulationRandom) async throws -> Int {
    let upstream = environment.upstream
    let token = rotation.withLock { $0.accessToken }
    let answer = try await upstream.send(to: .api, credential: token, using: &random)
    if answer.response.isSuccess { return answer.response.status }
    let refreshToken = rotation.withLock { $0.refreshToken }
    let refresh = try await upstream.send(to: .token, credential: refreshToken, using: &random)
    guard let access = refresh.issuedAccessToken, let newRefresh = refresh.issuedRefreshToken
    else {
      environment.timeline.record("oauth", entered: "open", at: environment.now)
      return refresh.response.status
    }
    rotation.withLock {
      $0.accessToken = access
      $0.refreshToken = newRefresh
    }
    environment.timeline.record("oauth", entered: "closed", at: environment.now)
    let retry = try await upstream.send(to: .api, credential: access, using: &random)
    return retry.response.status
  }
}

/// How the naive worker behaves: the incident's retry, restart and cooldown habits.
public struct NaiveWorkerBehaviour: Sendable {
  /// The keys it rotates through.
  public var credentials: [String]
  /// Retries sent at once after a failure, before the session gives the job back.
  public var immediateRetries: Int
  /// How long a session takes to restart after giving a job back.
  public var restartDelay: ClosedRange<Duration>
  /// The flat cooldown of a failing key, or `nil` for none.
  public var cooldown: Duration?
  /// Failures of a key within one job that start its cooldown.
  public var cooldownAfterFailures: Int
  /// Whether a job whose immediate retries ran out is dropped as failed (a poller skipping
  /// a poll) rather than given back to the queue before the restart.
  public var dropsFailedJobs: Bool

  /// Creates a behaviour. Negative counts are treated as zero (one for the cooldown trigger).
  public init(
    credentials: [String], immediateRetries: Int = 0,
    restartDelay: ClosedRange<Duration> = .seconds(4)...(.seconds(14)),
    cooldown: Duration? = nil, cooldownAfterFailures: Int = 1, dropsFailedJobs: Bool = false
  ) {
    self.credentials = credentials
    self.immediateRetries = max(immediateRetries, 0)
    self.restartDelay = restartDelay
    self.cooldown = cooldown
    self.cooldownAfterFailures = max(cooldownAfterFailures, 1)
    self.dropsFailedJobs = dropsFailedJobs
  }
}
