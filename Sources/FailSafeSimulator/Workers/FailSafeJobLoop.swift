import FailSafe
import FailSafeTesting

/// The FailSafe worker's loop over one session's jobs, as a user's worker would write it on the
/// library: every job through one shared executor; a job fails only when its request can never
/// succeed, and is held (nothing written for it) while no credential is usable.
struct FailSafeJobLoop: Sendable {
  let environment: SimulationEnvironment
  let executor: ClockedRetryExecutor<String, ManualClock>
  /// Whether a job that finds no usable credential is failed at once (a poller skipping a poll)
  /// rather than held until one is usable.
  let dropsUnavailableJobs: Bool

  /// Works through the shift's jobs through the executor.
  func work(_ session: SimulationSession) async {
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
            latency: latencies.duration(in: upstream.script.latency), session: session.index)
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
  /// run is cancelled. The runner counts the session as waiting meanwhile
  /// (``SimulatedWorker/waitingSessionCount``): a woken waiter leaves the pool's queue before it
  /// runs, so time never moves while it does.
  private func holdUntilUsable(session: SimulationSession) async -> Bool {
    let clock = environment.clock
    do {
      try await executor.pool.waitUntilUsable(deadline: .init(offset: session.shift.upperBound))
      // Sessions woken together go a nanosecond per session apart, so they take turns in the
      // same order in every run.
      try await clock.sleep(until: clock.now.advanced(by: .nanoseconds(session.index + 1)))
      return true
    } catch {
      return false
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
