import Foundation

/// The edits an operator makes to one credential's entry in a state store (`failsafe state
/// revive|reset|pause`), in one place so that the command line and the simulator's operator
/// make the same change.
package enum OperatorEdit {
  /// Why an edit was refused, in a sentence for the operator.
  package struct Refused: Error {
    /// The sentence.
    package let message: String
  }

  /// The entry after `action` (``OperatorActionKind/revive``, ``OperatorActionKind/reset``,
  /// otherwise a pause) on `entry`, the credential's current entry or `nil`; `shown` names the
  /// credential in a refusal. The action is dated after the entry it replaces, so it wins every
  /// merge with a copy of that entry even if clocks disagree by a little.
  package static func apply(
    _ action: OperatorActionKind, to entry: PersistedCredentialState?, shownAs shown: String,
    now: Date
  ) throws(Refused) -> PersistedCredentialState {
    let at = max(now, (entry?.updatedAt ?? now).addingTimeInterval(0.001))
    switch action {
    case .revive:
      guard var entry else { throw Refused(message: "no credential '\(shown)' in the file") }
      entry.status = .closed
      entry.consecutiveFailures = 0
      entry.streak = 0
      entry.reopenAt = nil
      entry.reason = nil
      entry.firstError = nil
      entry.updatedAt = at
      entry.lastOperatorAction = OperatorAction(kind: .revive, at: at)
      return entry
    case .reset:
      guard var entry else { throw Refused(message: "no credential '\(shown)' in the file") }
      guard !entry.status.isHeld else {
        throw Refused(
          message:
            "'\(shown)' is \(entry.status)\(entry.reason.map { " (\($0))" } ?? ""); "
            + "use 'failsafe state revive' to put it back in rotation")
      }
      entry = PersistedCredentialState(
        status: .closed, updatedAt: at, lastOperatorAction: OperatorAction(kind: .reset, at: at))
      return entry
    default:
      if entry?.status == .dead {
        throw Refused(message: "'\(shown)' is dead already; nothing to pause")
      }
      var paused = entry ?? PersistedCredentialState(status: .paused, updatedAt: at)
      paused.status = .paused
      paused.reopenAt = nil
      if paused.reason == nil || entry?.status.isHeld == false { paused.reason = "operatorPause" }
      paused.updatedAt = at
      paused.lastOperatorAction = OperatorAction(kind: .pause, at: at)
      return paused
    }
  }
}
