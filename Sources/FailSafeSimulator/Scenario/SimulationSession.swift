import FailSafe
import FailSafeTesting

/// Everything a run's workers share: the clock, the upstream, the job queue, the classifier.
package struct SimulationEnvironment: Sendable {
  /// The virtual clock every session and every library component of the run uses.
  package let clock: ManualClock
  /// The scripted provider.
  package let upstream: ScriptedUpstream
  /// The shared backlog.
  package let jobs: JobQueue
  /// Where credential states are recorded for the drawings.
  package let timeline: CredentialTimeline
  /// The classifier that reads the upstream's failures.
  package let classifier: any FailureClassifying
  /// The run's seed; derive generators with ``random(stream:)``.
  package let seed: UInt64
  /// Where the workers read their keys' current values.
  package let keys: SimulationKeyStore

  /// Creates an environment; `keys` follows no changes unless given.
  package init(
    clock: ManualClock, upstream: ScriptedUpstream, jobs: JobQueue, timeline: CredentialTimeline,
    classifier: any FailureClassifying, seed: UInt64, keys: SimulationKeyStore? = nil
  ) {
    self.clock = clock
    self.upstream = upstream
    self.jobs = jobs
    self.timeline = timeline
    self.classifier = classifier
    self.seed = seed
    self.keys = keys ?? SimulationKeyStore(changes: [], clock: clock)
  }

  /// Virtual time since the start of the run.
  package var now: Duration { clock.now.offset }

  /// A generator for one part of the run; the same stream always draws the same numbers.
  package func random(stream: Int) -> SimulationRandom {
    SimulationRandom(seed: seed, stream: stream)
  }
}

/// One session working one shift: which session it is, when the shift ends, and the way to
/// its jobs.
package struct SimulationSession: Sendable {
  /// The session's index, from zero.
  package let index: Int
  /// When this shift starts and ends, from the start of the run.
  package let shift: Range<Duration>
  /// What the run's sessions share.
  package let environment: SimulationEnvironment
  /// This session's own seeded generator for this shift.
  package let random: SimulationRandom

  /// Creates a session for one shift.
  package init(
    index: Int, shift: Range<Duration>, environment: SimulationEnvironment,
    random: SimulationRandom
  ) {
    self.index = index
    self.shift = shift
    self.environment = environment
    self.random = random
  }

  /// Takes the next job that arrives before the shift ends and waits on the clock for its
  /// arrival. Returns `nil` when the shift is over; if no job is left for it, after waiting
  /// until the shift's end.
  ///
  /// - Throws: `CancellationError` when the run ends; a job taken here was then given back.
  package func nextJob() async throws -> SimulatedJob? {
    let clock = environment.clock
    guard clock.now.offset < shift.upperBound else { return nil }
    guard let job = environment.jobs.take(arrivingBy: shift.upperBound) else {
      try await clock.sleep(until: .init(offset: shift.upperBound))
      return nil
    }
    do {
      try await clock.sleep(until: .init(offset: job.arrival))
    } catch {
      environment.jobs.release(job)
      throw error
    }
    return job
  }
}

/// A worker loop under test: the naive one from an incident, or the same worker on FailSafe.
package protocol SimulatedWorker: Sendable {
  /// A short name for reports, such as `naive` or `failsafe`.
  var name: String { get }
  /// Works through the jobs of one shift, from ``SimulationSession/nextJob()`` until it
  /// returns `nil`.
  ///
  /// Every job taken must be completed, failed with a reason or given back, also when the task
  /// is cancelled (the run ends by cancelling every session). Each session must sleep on the
  /// run's clock whenever it waits (or be counted in ``waitingSessionCount``): the runner
  /// advances time when every session is idle.
  func work(_ session: SimulationSession) async
  /// How many of the worker's own background tasks (not sessions) use the run's clock now:
  /// the runner moves the clock only once they sleep too. Zero by default.
  var backgroundTaskCount: Int { get }
  /// How many sessions wait now on something other than the run's clock (a pool's queue of
  /// tasks waiting for a usable credential): the runner counts them as idle, like sleepers.
  /// Zero by default.
  var waitingSessionCount: Int { get }
}

extension SimulatedWorker {
  /// None.
  package var backgroundTaskCount: Int { 0 }
  /// None.
  package var waitingSessionCount: Int { 0 }
}
