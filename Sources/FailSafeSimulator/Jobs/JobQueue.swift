import FailSafe
import FailSafeTesting

/// The backlog simulated sessions share, and the ledger of what became of every job.
///
/// Jobs are taken in arrival order; a job a session gives back (``release(_:)``) is taken again
/// before newer ones. Every job ends the run in exactly one place: completed, failed with a
/// reason, still queued, or lost (taken and never completed, failed or given back). A correct
/// worker never loses one.
package final class JobQueue: Sendable {
  private enum Status: Sendable {
    case queued
    case taken
    case completed
    case failed(String)
  }

  private struct State {
    var arrivals: [Duration]
    var statuses: [Status]
    var nextNew = 0
    /// Ids given back, taken again smallest first.
    var released: [Int] = []
    /// When each job that ended (completed or failed) ended, in the order they did.
    var endings: [Duration] = []
  }

  private let state: SanitizerVisibleMutex<State>
  private let clock: ManualClock?

  /// Creates a queue whose jobs arrive at `arrivals` (sorted); `clock` dates the jobs' ends,
  /// for ``JobLedger/heldPeak``.
  package init(arrivals: [Duration], clock: ManualClock? = nil) {
    let sorted = arrivals.sorted()
    state = SanitizerVisibleMutex(
      State(arrivals: sorted, statuses: Array(repeating: .queued, count: sorted.count)))
    self.clock = clock
  }

  /// Creates a queue from a schedule.
  package convenience init(schedule: JobSchedule, clock: ManualClock? = nil) {
    self.init(arrivals: schedule.arrivalTimes, clock: clock)
  }

  /// Takes the next job arriving no later than `deadline`: a given-back job first, otherwise the
  /// oldest never taken. The caller waits until the job's ``SimulatedJob/arrival`` if it lies
  /// ahead. Returns `nil` if no job arrives by `deadline`.
  package func take(arrivingBy deadline: Duration) -> SimulatedJob? {
    state.withLock { state -> SimulatedJob? in
      if let id = state.released.min() {
        state.released.removeAll { $0 == id }
        state.statuses[id] = .taken
        return SimulatedJob(id: id, arrival: state.arrivals[id])
      }
      guard state.nextNew < state.arrivals.count, state.arrivals[state.nextNew] <= deadline else {
        return nil
      }
      let id = state.nextNew
      state.nextNew += 1
      state.statuses[id] = .taken
      return SimulatedJob(id: id, arrival: state.arrivals[id])
    }
  }

  /// Records that `job` succeeded.
  package func complete(_ job: SimulatedJob) {
    let now = clock?.now.offset ?? .zero
    state.withLock { state in
      state.statuses[job.id] = .completed
      state.endings.append(now)
    }
  }

  /// Records that `job` failed for good, with a machine-readable `reason`.
  package func fail(_ job: SimulatedJob, reason: String) {
    let now = clock?.now.offset ?? .zero
    state.withLock { state in
      state.statuses[job.id] = .failed(reason)
      state.endings.append(now)
    }
  }

  /// Gives `job` back to the queue, to be taken again before newer jobs.
  package func release(_ job: SimulatedJob) {
    state.withLock { state in
      guard case .taken = state.statuses[job.id] else { return }
      state.statuses[job.id] = .queued
      state.released.append(job.id)
    }
  }

  /// The most jobs that had arrived and not yet ended at any one instant: one sweep over the
  /// sorted arrivals and endings, a job ending at the instant another arrives counted first.
  private static func heldPeak(arrivals: [Duration], endings: [Duration]) -> Int {
    var peak = 0
    var held = 0
    var ended = 0
    for arrival in arrivals {
      while ended < endings.count, endings[ended] <= arrival {
        ended += 1
        held -= 1
      }
      held += 1
      peak = max(peak, held)
    }
    return peak
  }

  /// The ledger: how many jobs ended in each place.
  package var ledger: JobLedger {
    state.withLock { state in
      var ledger = JobLedger()
      ledger.submitted = state.statuses.count
      for status in state.statuses {
        switch status {
        case .queued: ledger.queued += 1
        case .taken: ledger.lost += 1
        case .completed: ledger.completed += 1
        case .failed(let reason): ledger.failedByReason[reason, default: 0] += 1
        }
      }
      ledger.heldPeak = Self.heldPeak(arrivals: state.arrivals, endings: state.endings.sorted())
      return ledger
    }
  }
}

/// Where a run's jobs ended up. Invariant: `submitted == completed + failed + queued + lost`.
package struct JobLedger: Sendable, Hashable, Codable {
  /// Every job of the run.
  package var submitted = 0
  /// Jobs that succeeded.
  package var completed = 0
  /// Jobs that failed for good, by reason.
  package var failedByReason: [String: Int] = [:]
  /// Jobs still waiting in the queue when the run ended (kept, not lost).
  package var queued = 0
  /// Jobs taken and never completed, failed or given back: work silently dropped.
  package var lost = 0
  /// The most jobs held at once: arrived, and neither completed nor failed yet (queued, or in a
  /// worker's hands waiting for a usable credential).
  package var heldPeak = 0

  /// Creates an empty ledger.
  package init() {}

  /// Jobs that failed for good, whatever the reason.
  package var failed: Int { failedByReason.values.reduce(0, +) }
}
