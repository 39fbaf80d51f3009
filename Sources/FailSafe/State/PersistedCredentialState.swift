import Foundation

/// One credential's breaker state as written to a state file.
///
/// Times are wall-clock dates so they mean the same thing after a restart; they are converted
/// to and from the breaker's monotonic clock with `ReopenTimeConversion`.
public struct PersistedCredentialState: Sendable, Hashable {
  /// The breaker state.
  public var status: BreakerState
  /// Consecutive retryable failures since the last success or reset (drives the threshold).
  /// Never negative.
  public var consecutiveFailures: Int
  /// Consecutive trips since the last success or reset (drives the cooldown:
  /// `base * 2^(streak-1)`, capped). Never negative.
  public var streak: Int
  /// When an `open` or `suspended` credential may be probed again; `nil` for other states
  /// (or unknown, in which case restoring uses the maximum cooldown).
  public var reopenAt: Date?
  /// Why the credential is held (dead, paused) or suspended, such as `keyInvalid`.
  public var reason: FailureReason?
  /// The first error that took the credential out of rotation, redacted.
  public var firstError: PersistedFailure?
  /// Running totals.
  public var counters: BreakerCounters
  /// When this state was last changed by a process that observed the credential, by the wall
  /// clock. Merges use it to tell stale observations from fresh ones.
  public var updatedAt: Date
  /// The most recent operator action on this credential, if any.
  public var lastOperatorAction: OperatorAction?

  /// Creates an entry. Negative counts become zero.
  public init(
    status: BreakerState,
    consecutiveFailures: Int = 0,
    streak: Int = 0,
    reopenAt: Date? = nil,
    reason: FailureReason? = nil,
    firstError: PersistedFailure? = nil,
    counters: BreakerCounters = BreakerCounters(),
    updatedAt: Date,
    lastOperatorAction: OperatorAction? = nil
  ) {
    self.status = status
    self.consecutiveFailures = max(0, consecutiveFailures)
    self.streak = max(0, streak)
    self.reopenAt = reopenAt
    self.reason = reason
    self.firstError = firstError
    self.counters = counters
    self.updatedAt = updatedAt
    self.lastOperatorAction = lastOperatorAction
  }

  /// `true` for a closed credential with no streak: nothing worth remembering beyond counters,
  /// so it is the first to be evicted when the file reaches its size bound.
  public var isHealthy: Bool { status == .closed && consecutiveFailures == 0 && streak == 0 }
}

extension PersistedCredentialState: Codable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case status = "state"
    case consecutiveFailures
    case streak
    case reopenAt
    case reason
    case firstError
    case counters
    case updatedAt
    case lastOperatorAction = "operatorAction"
  }

  /// Decodes leniently: damaged fields get safe defaults (see ``PersistedStateDocument/read(from:loadedAt:)``); the
  /// diagnostics are dropped on this path. Use ``PersistedStateDocument/read(from:loadedAt:)`` to get them.
  public init(from decoder: any Decoder) throws {
    let tree = try LenientJSONValue(from: decoder)
    var diagnostics: [StateDiagnostic] = []
    self = StateDocumentReader.entry(from: tree, id: "", diagnostics: &diagnostics)
  }

  /// A reason cut to the length files keep, whatever was put in memory.
  private static func bounded(_ reason: FailureReason) -> String {
    StateText.bounded(reason.rawValue, to: StateDocumentReader.maximumReasonLength)
  }

  /// Encodes with dates as ISO 8601 strings with milliseconds, whatever the encoder's date
  /// strategy, so files from every writer look the same. Evidence is redacted; reasons and
  /// evidence are cut to the
  /// lengths files keep, so one entry's size is bounded whatever it holds in memory.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(status, forKey: .status)
    try container.encode(consecutiveFailures, forKey: .consecutiveFailures)
    try container.encode(streak, forKey: .streak)
    try container.encodeIfPresent(reopenAt.map(StateDate.format), forKey: .reopenAt)
    try container.encodeIfPresent(reason.map(Self.bounded), forKey: .reason)
    if let firstError {
      var nested = container.nestedContainer(
        keyedBy: StateDocumentReader.FailureKeys.self, forKey: .firstError)
      try nested.encodeIfPresent(firstError.disposition, forKey: .disposition)
      try nested.encode(Self.bounded(firstError.reason), forKey: .reason)
      try nested.encode(
        StateText.redactedEvidence(
          firstError.evidence, limit: PersistedFailure.maximumEvidenceLength),
        forKey: .evidence)
      try nested.encodeIfPresent(firstError.at.map(StateDate.format), forKey: .at)
      try nested.encode(firstError.repeats, forKey: .repeats)
    }
    try container.encode(counters, forKey: .counters)
    try container.encode(StateDate.format(updatedAt), forKey: .updatedAt)
    if let lastOperatorAction {
      var nested = container.nestedContainer(
        keyedBy: StateDocumentReader.ActionKeys.self, forKey: .lastOperatorAction)
      try nested.encode(
        StateText.bounded(
          lastOperatorAction.kind.rawValue, to: StateDocumentReader.maximumReasonLength),
        forKey: .kind)
      try nested.encode(StateDate.format(lastOperatorAction.at), forKey: .at)
    }
  }
}
