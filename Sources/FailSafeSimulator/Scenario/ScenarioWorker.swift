/// How a scenario builds one of its two workers for a run: the incident's naive worker, or
/// the same worker on FailSafe.
///
/// Each run gets a fresh worker on the run's clock, upstream and queue, so one scenario can be
/// replayed any number of times.
public struct ScenarioWorker: Sendable {
  /// Builds the worker for one run; throws if the scenario cannot be run with it.
  package let make: @Sendable (SimulationEnvironment) throws -> any SimulatedWorker

  /// A worker built by `make`: for the package's own tests and scenarios.
  package init(_ make: @escaping @Sendable (SimulationEnvironment) throws -> any SimulatedWorker) {
    self.make = make
  }

  /// The incident's worker: no classification, immediate retries, restarts, at most a flat
  /// cooldown.
  public static func naive(_ behaviour: NaiveWorkerBehaviour) -> ScenarioWorker {
    ScenarioWorker { NaiveWorker(behaviour: behaviour, environment: $0) }
  }

  /// The worker on FailSafe with the library's defaults: one executor, a pool of
  /// `credentials` (in rotation order) reading replaced keys from the run's key source.
  ///
  /// - Parameters:
  ///   - credentials: the keys; ignored with OAuth (one token). Must be unique: a repeated key
  ///     makes the run throw `CredentialPoolError.duplicateID`.
  ///   - dropsUnavailableJobs: whether a job that finds no usable credential is failed at once
  ///     (a poller skipping a poll) rather than held until one is usable.
  public static func failSafe(credentials: [String], dropsUnavailableJobs: Bool = false)
    -> ScenarioWorker
  {
    ScenarioWorker {
      try FailSafeWorker(
        credentials: credentials, environment: $0, dropsUnavailableJobs: dropsUnavailableJobs)
    }
  }
}
