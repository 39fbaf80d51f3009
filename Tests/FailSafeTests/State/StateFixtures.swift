import FailSafe
import Foundation

/// Dates and entries shared by the state tests.
enum StateFixtures {
  /// 2026-11-23T16:00:00Z.
  static let epoch = Date(timeIntervalSince1970: 1_795_449_600)

  static func at(_ seconds: Double) -> Date { epoch.addingTimeInterval(seconds) }

  static func entry(
    _ status: BreakerState, streak: Int = 0, reopenIn: Double? = nil,
    updated: Double = 0, action: OperatorActionKind? = nil, actionAt: Double? = nil,
    reason: FailureReason? = nil, failures: Int = 0
  ) -> PersistedCredentialState {
    PersistedCredentialState(
      status: status, consecutiveFailures: streak, streak: streak, reopenAt: reopenIn.map(at),
      reason: reason,
      firstError: status == .closed
        ? nil
        : PersistedFailure(
          disposition: status == .dead ? .permanent : .retryable,
          reason: reason ?? .serverError, evidence: "HTTP 500 (redacted)", at: at(updated)),
      counters: BreakerCounters(failures: failures),
      updatedAt: at(updated),
      lastOperatorAction: action.map { OperatorAction(kind: $0, at: at(actionAt ?? updated)) })
  }

  /// A document with one credential of each interesting kind.
  static var sampleDocument: PersistedStateDocument {
    PersistedStateDocument(credentials: [
      "dead-key": entry(.dead, streak: 2, updated: 10, reason: .keyInvalid, failures: 3),
      "open-key": entry(.open, streak: 3, reopenIn: 600, updated: 20, failures: 3),
      "fine-key": entry(.closed, updated: 30),
    ])
  }

  /// A fresh, empty directory under the system's temporary directory.
  static func temporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("failsafe-state-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}
