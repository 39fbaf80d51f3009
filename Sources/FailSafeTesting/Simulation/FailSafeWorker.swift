import FailSafe
import Synchronization

/// The incident's worker rewritten on FailSafe: every request goes through one shared
/// `RetryExecutor` whose `CredentialPool` keeps a `CircuitBreaker` per credential and
/// refreshes OAuth tokens single-flight, all on the simulation's clock.
///
/// This is the library itself, not a model of it: the breaker policy, retry configuration,
/// retry budget and refresh policy are the library's defaults, so when the library changes,
/// the simulated figures change with it.
///
/// The pool reads its keys from the run's key source (``SimulationEnvironment/keys``), so a key
/// an operator replaces is picked up at the pool's next source check, without a restart.
///
/// Per job: run it through the executor. Success completes it; only a `fatal` answer fails it
/// (``JobAction/fail``). When no credential is usable (``JobAction/hold(until:)``: dead, paused,
/// open) the session holds the job, writing nothing for it, and waits in
/// ``CredentialPool/waitUntilUsable(deadline:)`` until the pool reports a usable credential (a
/// poller instead drops the poll: the next one comes anyway); at the shift's end it gives the job
/// back. Cancellation gives it back too.
public final class FailSafeWorker: SimulatedWorker {
  private let environment: SimulationEnvironment
  private let executor: RetryExecutor<String, ManualClock>
  private let pool: CredentialPool<String, ManualClock>
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
        let refreshing = CredentialRefreshing<String>(classifier: environment.classifier) { _, _ in
          let presented = refreshToken.value
          let answer = try await upstream.send(
            to: .token, credential: presented,
            latency: latencies.duration(in: upstream.script.latency))
          guard let access = answer.issuedAccessToken, let refresh = answer.issuedRefreshToken
          else {
            throw ProviderResponseError(answer.response.providerResponse)
          }
          refreshToken.value = refresh
          return access
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
        let keys = environment.keys
        pool = try CredentialPool(
          ids.map { (id: CredentialID($0), credential: keys.value(of: $0)) }, registry: registry,
          sourcing: CredentialSourcing(CredentialSource { id in keys.value(of: id.rawValue) }))
      }
    } catch {
      // Unreachable: the ids are non-empty and unique by construction.
      preconditionFailure("simulation pool: \(error)")
    }
    self.pool = pool
    executor = RetryExecutor(
      pool: pool, classifier: environment.classifier,
      random: .seeded(SimulationRandom.derivedSeed(seed, stream: 30_000)))
  }

  /// The pool's own tasks (source watcher, waiters' alarm), which the runner waits for too.
  public var backgroundTaskCount: Int { pool.backgroundTaskCount }

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
        if error.reason == .cancelled {
          jobs.release(job)
          return false
        }
        switch error.jobAction {
        case .fail:
          jobs.fail(job, reason: Self.reason(of: error))
          return true
        case .hold where dropsUnavailableJobs:
          jobs.fail(job, reason: Self.reason(of: error))
          return true
        case .hold:
          // Held: nothing is written for the job while no credential is usable.
          guard await holdUntilUsable(session: session) else {
            jobs.release(job)
            return false
          }
        case .retryLater:
          do {
            // The job is kept: look again shortly. A nanosecond per session apart, sessions
            // waiting for the same instant take turns.
            try await clock.sleep(
              until: clock.now.advanced(by: .seconds(1) + .nanoseconds(session.index)))
          } catch {
            jobs.release(job)
            return false
          }
        }
      }
    }
  }

  /// Waits until the pool reports a usable credential; `false` when the shift ends first or the
  /// run is cancelled. The session sleeps on the run's clock until its shift's end meanwhile, as
  /// the runner requires of a waiting session.
  private func holdUntilUsable(session: SimulationSession) async -> Bool {
    let clock = environment.clock
    let pool = pool
    let shiftEnd = ManualClock.Instant(offset: session.shift.upperBound)
    return await withTaskGroup(of: Bool.self) { group in
      group.addTask {
        do {
          try await pool.waitUntilUsable()
          return true
        } catch {
          return false
        }
      }
      group.addTask {
        try? await clock.sleep(until: shiftEnd)
        return false
      }
      let usable = await group.next() ?? false
      group.cancelAll()
      return usable && !Task.isCancelled && clock.now < shiftEnd
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
