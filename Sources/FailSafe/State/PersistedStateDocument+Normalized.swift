extension PersistedStateDocument {
  /// The document exactly as writing and reading it back would give it: dates at whole
  /// milliseconds within 1970...9999, counts not negative, texts bounded, reopen times only on
  /// `open` and `suspended`, invalid ids dropped.
  ///
  /// Invariant: `read(encoded(d.normalized())) == d.normalized()` (up to `savedAt`), so a store
  /// can tell "nothing changed" by comparing documents instead of bytes.
  public func normalized() -> PersistedStateDocument {
    var result = self
    result.savedAt = savedAt.map(StateDate.rounded)
    result.credentials = [:]
    result.credentials.reserveCapacity(credentials.count)
    for (id, entry) in credentials
    where !id.isEmpty && id.utf8.count <= Self.maximumCredentialIDLength {
      result.credentials[id] = entry.normalized()
    }
    return result
  }
}

extension PersistedCredentialState {
  /// This entry exactly as a state file holds it (see
  /// ``PersistedStateDocument/normalized()``).
  public func normalized() -> PersistedCredentialState {
    let limit = StateDocumentReader.maximumReasonLength
    var result = self
    result.consecutiveFailures = max(0, consecutiveFailures)
    result.streak = max(0, streak)
    result.reopenAt = status.hasCooldown ? reopenAt.map(StateDate.rounded) : nil
    // Empty names read back as absent (reasons) or `unknown` (first errors, actions).
    result.reason = reason.flatMap { reason in
      reason.rawValue.isEmpty
        ? nil : FailureReason(rawValue: StateText.bounded(reason.rawValue, to: limit))
    }
    result.firstError = firstError.map { failure in
      PersistedFailure(
        disposition: failure.disposition,
        reason: failure.reason.rawValue.isEmpty
          ? .unknown
          : FailureReason(rawValue: StateText.bounded(failure.reason.rawValue, to: limit)),
        evidence: failure.evidence, at: failure.at.map(StateDate.rounded),
        repeats: failure.repeats)
    }
    result.counters = BreakerCounters(
      rejections: counters.rejections, failures: counters.failures, trips: counters.trips,
      probes: counters.probes)
    result.updatedAt = StateDate.rounded(updatedAt)
    result.lastOperatorAction = lastOperatorAction.map { action in
      OperatorAction(
        kind: action.kind.rawValue.isEmpty
          ? "unknown"
          : OperatorActionKind(rawValue: StateText.bounded(action.kind.rawValue, to: limit)),
        at: StateDate.rounded(action.at))
    }
    return result
  }
}
