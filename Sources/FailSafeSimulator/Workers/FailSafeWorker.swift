import FailSafe
import FailSafeTesting
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
/// The pool reads its keys from the run's key source (``SimulationEnvironment/keys``), so a key
/// an operator replaces is picked up at the pool's next source check, without a restart.
///
/// Per job: run it through the executor. Success completes it; only a `fatal` answer fails it
/// (`JobAction.fail`). When no credential is usable (`JobAction.hold(until:)`: dead, paused,
/// open) the session holds the job, writing nothing for it, and waits in
/// `CredentialPool.waitUntilUsable(deadline:)` until the pool reports a usable credential (a
/// poller instead drops the poll: the next one comes anyway); at the shift's end it gives the job
/// back. Cancellation gives it back too.
package final class FailSafeWorker: SimulatedWorker {
  private let jobs: FailSafeJobLoop
  /// The current one-time refresh token, for OAuth (replaced by every successful refresh).
  private let refreshToken = SharedValue(ScriptedUpstream.initialRefreshToken)

  /// `failsafe`.
  package var name: String { "failsafe" }

  /// The credential id the OAuth scenarios give their single token.
  package static let oauthCredential = "oauth"

  /// Creates the worker for one run.
  ///
  /// - Parameters:
  ///   - credentials: the API keys, in rotation order (ignored with OAuth, which has one).
  ///   - environment: the run's clock, upstream, jobs and classifier.
  ///   - dropsUnavailableJobs: whether a job that finds no usable credential is failed at once
  ///     (a poller skipping a poll) rather than held until one is usable.
  /// - Throws: `CredentialPoolError.duplicateID` if a credential appears twice.
  package init(
    credentials: [String], environment: SimulationEnvironment, dropsUnavailableJobs: Bool = false
  ) throws(CredentialPoolError) {
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
    let pool: ClockedCredentialPool<String, ManualClock>
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
      pool = try ClockedCredentialPool(
        [
          (
            id: CredentialID(Self.oauthCredential),
            credential: ScriptedUpstream.initialAccessToken
          )
        ],
        registry: registry, refreshing: refreshing)
    } else {
      let keys = environment.keys
      pool = try ClockedCredentialPool(
        ids.map { (id: CredentialID($0), credential: keys.value(of: $0)) }, registry: registry,
        sourcing: CredentialSourcing(CredentialSource { id in keys.value(of: id.rawValue) }))
    }
    let executor = ClockedRetryExecutor(
      pool: pool, classifier: environment.classifier,
      random: .seeded(SimulationRandom.derivedSeed(seed, stream: 30_000)))
    jobs = FailSafeJobLoop(
      environment: environment, executor: executor, dropsUnavailableJobs: dropsUnavailableJobs)
  }

  /// The pool's own tasks (source watcher, waiters' alarm), which the runner waits for too.
  package var backgroundTaskCount: Int { jobs.executor.pool.backgroundTaskCount }

  /// Sessions holding a job while no credential is usable: waiting in the pool's queue.
  package var waitingSessionCount: Int { jobs.executor.pool.waitingCount }

  /// Works through the shift's jobs through the executor.
  package func work(_ session: SimulationSession) async {
    await jobs.work(session)
  }
}

/// A value several tasks read and replace.
final class SharedValue<Value: Sendable>: Sendable {
  private let storage: SanitizerVisibleMutex<Value>

  init(_ value: Value) { storage = SanitizerVisibleMutex(value) }

  var value: Value {
    get { storage.withLock { $0 } }
    set { storage.withLock { $0 = newValue } }
  }
}

/// A seeded generator several tasks may draw from; draws happen in the order the simulation
/// runs them, which the runner keeps deterministic.
final class LockedRandom: Sendable {
  private let random: SanitizerVisibleMutex<SimulationRandom>

  init(_ random: SimulationRandom) { self.random = SanitizerVisibleMutex(random) }

  func duration(in range: ClosedRange<Duration>) -> Duration {
    random.withLock { $0.duration(in: range) }
  }
}
