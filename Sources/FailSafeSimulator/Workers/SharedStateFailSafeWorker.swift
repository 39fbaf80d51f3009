import FailSafe
import FailSafeTesting
import Foundation

/// The FailSafe worker run as several processes that share one breaker state store (a state
/// file on one host, standing in for it here an `InMemoryBreakerStateStore`), each process
/// with its own registry, pool, executor and `BreakerStatePersistence`. Session `i` belongs to
/// process `i % processes`.
///
/// What one process learns (a dead key) the others adopt at their next synchronisation, and an
/// operator's revive written to the store (the same edit as `failsafe state revive`) reaches
/// every process the same way, without a restart.
package final class SharedStateFailSafeWorker: SimulatedWorker {
  private struct Process: Sendable {
    let loop: FailSafeJobLoop
    let persistence: BreakerStatePersistence<ManualClock>
  }

  private let processes: [Process]
  private let operatorTask: Task<Void, Never>?
  private let operatorPending: SharedValue<Bool>

  /// `failsafe`.
  package var name: String { "failsafe" }

  /// How often each process merges with the store.
  package static let syncInterval = Duration.seconds(5)

  /// Creates the worker for one run.
  ///
  /// - Parameters:
  ///   - credentials: the API keys, in rotation order; non-empty.
  ///   - processCount: how many processes share the store (at least 1).
  ///   - revivals: when an operator revives which credential in the store.
  ///   - environment: the run's clock, upstream, jobs and classifier.
  package init(
    credentials: [String], processCount: Int, revivals: [(at: Duration, credential: String)],
    environment: SimulationEnvironment
  ) throws(CredentialPoolError) {
    let ids = Array(Set(credentials.isEmpty ? ["key"] : credentials)).sorted()
    let clock = environment.clock
    let store = InMemoryBreakerStateStore()
    // Dates for the store: virtual time from a fixed epoch, so a run repeats exactly.
    let epoch = Date(timeIntervalSince1970: 1_800_000_000)
    let wallClock = WallClock { epoch.addingTimeInterval(clock.now.offset.simulationSeconds) }
    let timeline = environment.timeline
    for id in ids { timeline.record(id, entered: BreakerState.closed.rawValue, at: .zero) }
    processes = try (0..<max(processCount, 1)).map { number throws(CredentialPoolError) in
      let persistence = BreakerStatePersistence(
        store: store, clock: clock, wallClock: wallClock, saveInterval: .zero,
        syncInterval: Self.syncInterval)
      let registry = BreakerRegistry(
        clock: clock,
        random: { id in
          .seeded(
            SimulationRandom.derivedSeed(
              environment.seed,
              stream: 10_000 + number * 100 + (ids.firstIndex(of: id.rawValue) ?? 0)))
        },
        observer: { event in
          persistence.observe(event)
          if number == 0, case .transition(_, let state, _) = event.kind {
            timeline.record(
              event.credential.rawValue, entered: state.rawValue, at: event.instant.offset)
          }
        })
      // The in-memory store is read directly: the worker is built synchronously.
      persistence.start(registry: registry, from: StateDocumentReading(document: store.current))
      let keys = environment.keys
      let pool = try ClockedCredentialPool(
        ids.map { (id: CredentialID($0), credential: keys.value(of: $0)) }, registry: registry)
      let executor = ClockedRetryExecutor(
        pool: pool, classifier: environment.classifier,
        random: .seeded(SimulationRandom.derivedSeed(environment.seed, stream: 30_000 + number)))
      return Process(
        loop: FailSafeJobLoop(
          environment: environment, executor: executor, dropsUnavailableJobs: false),
        persistence: persistence)
    }
    let pending = SharedValue(!revivals.isEmpty)
    operatorPending = pending
    operatorTask =
      revivals.isEmpty
      ? nil
      : Task {
        for revival in revivals.sorted(by: { $0.at < $1.at }) {
          do {
            try await clock.sleep(until: .init(offset: revival.at))
          } catch {
            break
          }
          _ = try? await store.update { document in
            let entry = document.credentials[revival.credential]
            if let revived = try? OperatorEdit.apply(
              .revive, to: entry, shownAs: revival.credential, now: wallClock.now())
            {
              document.credentials[revival.credential] = revived
            }
          }
        }
        pending.value = false
      }
  }

  deinit { operatorTask?.cancel() }

  /// Each process's periodic synchronisation, its pool's own tasks, and the operator's
  /// scripted action while it is still to come.
  package var backgroundTaskCount: Int {
    processes.reduce(operatorPending.value ? 1 : 0) { count, process in
      count + process.persistence.periodicTaskCount
        + process.loop.executor.pool.backgroundTaskCount
    }
  }

  /// Sessions holding a job while no credential is usable: waiting in their pool's queue.
  package var waitingSessionCount: Int {
    processes.reduce(0) { $0 + $1.loop.executor.pool.waitingCount }
  }

  /// Works through the shift's jobs in the session's process.
  package func work(_ session: SimulationSession) async {
    await processes[session.index % processes.count].loop.work(session)
  }
}
