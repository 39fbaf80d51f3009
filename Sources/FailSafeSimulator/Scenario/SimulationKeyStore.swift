import FailSafeTesting

/// An operator changing a credential's value during a run: from `at` on, the credential
/// `credential` holds `value` wherever the workers read their keys (a settings file, a secrets
/// manager).
public struct SimulationKeyChange: Sendable, Hashable {
  /// When the new value is in place, from the start of the run.
  public var at: Duration
  /// The credential's id, as the scenario names it.
  public var credential: String
  /// The new value.
  public var value: String

  /// Creates a key change.
  public init(at: Duration, credential: String, value: String) {
    self.at = at
    self.credential = credential
    self.value = value
  }
}

/// Where a run's workers read their keys: each credential's value at the current virtual time,
/// its id until a ``SimulationKeyChange`` gives it another.
package struct SimulationKeyStore: Sendable {
  /// The scripted changes, by time.
  package let changes: [SimulationKeyChange]
  private let clock: ManualClock

  /// Creates a store on `clock` that follows `changes`.
  package init(changes: [SimulationKeyChange], clock: ManualClock) {
    self.changes = changes.sorted { $0.at < $1.at }
    self.clock = clock
  }

  /// The value of `credential` now.
  package func value(of credential: String) -> String {
    let now = clock.now.offset
    return changes.last { $0.credential == credential && $0.at <= now }?.value ?? credential
  }
}
