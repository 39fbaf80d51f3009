import FailSafe
import Synchronization

/// The incident's worker rewritten on FailSafe: every request goes through one shared
/// `RetryExecutor` whose `CredentialPool` keeps a `CircuitBreaker` per credential and
/// refreshes OAuth tokens single-flight (before they expire: the refresher returns the token's
/// lifetime), all on the simulation's clock.
///
/// This is the library itself, not a model of it: the breaker policy, retry configuration,
/// retry budget and refresh policy are the library's defaults, so when the library changes,
/// the simulated figures change with it.
///
/// Per job: run it through the executor. Success completes it; a `fatal` answer or a dead
/// credential fails it with the classification's reason; "no credential usable until T" puts it
/// on hold until T (or, for a poller, drops it: the next poll comes anyway); cancellation
/// gives it back.
public final class FailSafeWorker: SimulatedWorker {
  private let environment: SimulationEnvironment
  private let executor: RetryExecutor<String, ManualClock>
  private let dropsUnavailableJobs: Bool
  /// The current one-time refresh token, for OAuth (replaced by every successful refresh).
  private let refreshToken = SharedValue(ScriptedUpstream.initialRefreshToken)

  /// `failsafe`.
  public var name: String { "failsafe" }

  /// The credential id the OAuth scenarios give their single token.
  public static let oauthCredential = "oauth"

  /// Creates the worker for one run.
  ///
  /// - Parameters:
  ///   - credentials: the API keys, in rotation order (ignored with OAuth, which has one).
  ///   - environment: the run's clock, upstream, jobs and classifier.
  ///   - dropsUnavailableJobs: whether a job that finds no usable credential is failed at once
  ///     (a poller skipping a poll) rather than held until one is usable.
  public init(
    credentials: [String], environment: SimulationEnvironment, dropsUnavailableJobs: Bool = false
  ) {
    self.environment = environment
    self.dropsUnavailableJobs = dropsUnavailableJobs
    let oauth = environment.upstream.script.oauthAccessTokenLifetime != nil
    let ids = oauth ? [Self.oauthCredential] : (credentials.isEmpty ? ["key"] : credentials)
    let timeline = environment.timeline
    let seed = environment.seed
    for id in ids { timeline.record(id, entered: BreakerState.closed.rawValue, at: .zero) }
    let registry = BreakerRegistry(
      clock: environment.clock,
      random: { id in
        // Hasher is seeded per process; the id's position is stable.
        .seeded(
          SimulationRandom.derivedSeed(
            seed, stream: 10_000 + (ids.firstIndex(of: id.rawValue) ?? 0)))
      },
      observer: { event in
        if case .transition(_, let state, _) = event.kind {
          timeline.record(
            event.credential.rawValue, entered: state.rawValue, at: event.instant.offset)
        }
      })
    let pool: CredentialPool<String, ManualClock>
    do {
      if oauth {
        let upstream = environment.upstream
        let refreshToken = self.refreshToken
        let latencies = LockedRandom(environment.random(stream: 20_000))
        // The token answer's lifetime (its `expires_in`) lets the pool refresh before expiry.
        let lifetime = upstream.script.oauthAccessTokenLifetime
        let refreshing = CredentialRefreshing<String>.withExpiry(
          classifier: environment.classifier
        ) { _, _ in
          let presented = refreshToken.value
          let answer = try await upstream.send(
            to: .token, credential: presented,
            latency: latencies.duration(in: upstream.script.latency))
          guard let access = answer.issuedAccessToken, let refresh = answer.issuedRefreshToken
          else {
            throw ProviderResponseError(answer.response.providerResponse)
          }
          refreshToken.value = refresh
          return RefreshedCredential(access, lifetime: lifetime)
        }
        pool = try CredentialPool(
          [
            (
              id: CredentialID(Self.oauthCredential),
              credential: ScriptedUpstream.initialAccessToken
            )
          ],
          registry: registry, refreshing: refreshing)
      } else {
        pool = try CredentialPool(
          ids.map { (id: CredentialID($0), credential: $0) }, registry: registry)
      }
    } catch {
      // Unreachable: the ids are non-empty and unique by construction.
      preconditionFailure("simulation pool: \(error)")
    }
    executor = RetryExecutor(
      pool: pool, classifier: environment.classifier,
      random: .seeded(SimulationRandom.derivedSeed(seed, stream: 30_000)))
  }

  /// Works through the shift's jobs through the executor.
  public func work(_ session: SimulationSession) async {
    let latencies = LockedRandom(session.random)
    while true {
      guard let job = try? await session.nextJob() else { return }
      guard await process(job, session: session, latencies: latencies) else { return }
    }
  }

  /// Runs `job` to its end; returns `false` when the run was cancelled (the job given back).
  private func process(
    _ job: SimulatedJob, session: SimulationSession, latencies: LockedRandom
  ) async -> Bool {
    let upstream = environment.upstream
    let jobs = environment.jobs
    let clock = environment.clock
    while true {
      do {
        try await executor.run { credential in
          let answer = try await upstream.send(
            to: .api, credential: credential,
            latency: latencies.duration(in: upstream.script.latency))
          guard answer.response.isSuccess else {
            throw ProviderResponseError(answer.response.providerResponse)
          }
        }
        jobs.complete(job)
        return true
      } catch {
        let wakeAt: ManualClock.Instant
        switch error.reason {
        case .cancelled:
          jobs.release(job)
          return false
        case .fatal, .credentialDead:
          jobs.fail(job, reason: Self.reason(of: error))
          return true
        case .credentialsUnavailable(let until):
          if dropsUnavailableJobs {
            jobs.fail(job, reason: Self.reason(of: error))
            return true
          }
          wakeAt = until ?? clock.now.advanced(by: .seconds(1))
        case .attemptsExhausted, .deadlineExceeded, .budgetExhausted:
          // The job is kept: look again shortly; the breaker says until when if it opened.
          wakeAt = clock.now.advanced(by: .seconds(1))
        }
        do {
          // A nanosecond per session apart, sessions waiting for the same instant take turns.
          try await clock.sleep(until: wakeAt.advanced(by: .nanoseconds(session.index)))
        } catch {
          jobs.release(job)
          return false
        }
      }
    }
  }

  /// The reason a failed job reports: the classification of the failure that stopped it, or
  /// the executor's stop reason when no attempt was made.
  private static func reason(of failure: RetryFailure<ManualClock.Instant>) -> String {
    if let last = failure.lastFailure { return last.classification.reason.rawValue }
    switch failure.reason {
    case .credentialsUnavailable: return "credentialsUnavailable"
    default: return failure.reason.description
    }
  }
}

/// A value several tasks read and replace.
final class SharedValue<Value: Sendable>: Sendable {
  private let storage: Mutex<Value>

  init(_ value: Value) { storage = Mutex(value) }

  var value: Value {
    get { storage.withLock { $0 } }
    set { storage.withLock { $0 = newValue } }
  }
}

/// A seeded generator several tasks may draw from; draws happen in the order the simulation
/// runs them, which the runner keeps deterministic.
final class LockedRandom: Sendable {
  private let random: Mutex<SimulationRandom>

  init(_ random: SimulationRandom) { self.random = Mutex(random) }

  func duration(in range: ClosedRange<Duration>) -> Duration {
    random.withLock { $0.duration(in: range) }
  }
}
