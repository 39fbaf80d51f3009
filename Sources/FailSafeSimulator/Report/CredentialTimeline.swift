import FailSafe
import Synchronization

/// The states a run's credentials went through, in virtual time, for the report's drawings.
///
/// States are short names: a breaker's (`closed`, `open`, `halfOpen`, `dead`, `paused`,
/// `suspended`) or a naive worker's (`closed` in rotation, `open` cooling down). Repeating the
/// current state records nothing.
package final class CredentialTimeline: Sendable {
  /// One change of state.
  package struct Change: Sendable, Hashable, Codable {
    /// When it happened, from the start of the run.
    package var at: Duration
    /// The credential's id.
    package var credential: String
    /// The state it entered.
    package var state: String
  }

  private struct State {
    var changes: [Change] = []
    var current: [String: String] = [:]
  }

  private let state = SanitizerVisibleMutex(State())

  /// Creates an empty timeline.
  package init() {}

  /// Records that `credential` entered `newState` at `time`, unless it already was in it.
  package func record(_ credential: String, entered newState: String, at time: Duration) {
    state.withLock { state in
      guard state.current[credential] != newState else { return }
      state.current[credential] = newState
      state.changes.append(Change(at: time, credential: credential, state: newState))
    }
  }

  /// Every change, in the order recorded.
  package var changes: [Change] { state.withLock { $0.changes } }
}
