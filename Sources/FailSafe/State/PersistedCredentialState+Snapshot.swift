import Foundation

extension PersistedCredentialState {
  /// The persisted form of a breaker's snapshot, taken at `conversion`'s readings.
  ///
  /// The remaining cooldown becomes a wall-clock `reopenAt`; `reason` defaults to the first
  /// error's reason for the states that have one (dead, paused, suspended, open).
  package init<C: Clock>(
    snapshot: BreakerSnapshot, conversion: ReopenTimeConversion<C>, updatedAt: Date,
    reason: FailureReason? = nil, firstErrorAt: Date? = nil,
    lastOperatorAction: OperatorAction? = nil
  ) {
    let status = snapshot.state
    var reopenAt: Date?
    if status.hasCooldown, let remaining = snapshot.cooldownRemaining {
      reopenAt = conversion.date(
        for: conversion.monotonicNow.advanced(by: min(max(remaining, .zero), .seconds(1e12))))
    }
    self.init(
      status: status, consecutiveFailures: snapshot.consecutiveFailures, streak: snapshot.streak,
      reopenAt: reopenAt,
      reason: status == .closed || status == .halfOpen
        ? nil : (reason ?? snapshot.firstError?.reason),
      firstError: snapshot.firstError.map {
        PersistedFailure($0, at: firstErrorAt, repeats: snapshot.repeatedErrors)
      },
      counters: snapshot.counters,
      updatedAt: updatedAt, lastOperatorAction: lastOperatorAction)
  }

  /// The breaker snapshot that restores this state on the monotonic clock of `conversion`.
  ///
  /// A reopen time in the past restores as due (the next caller probes); an unknown or far one
  /// as `conversion`'s maximum cooldown. Half-open restores as open with nothing remaining.
  /// A `dead` or `paused` entry without a first error gets one made from its reason, so a
  /// rejection can still say why.
  package func snapshot<C: Clock>(conversion: ReopenTimeConversion<C>) -> BreakerSnapshot {
    var cooldownRemaining: Duration?
    switch status {
    case .open, .suspended:
      switch conversion.reopen(forPersisted: reopenAt) {
      case .due: cooldownRemaining = .zero
      case .at(let instant): cooldownRemaining = conversion.monotonicNow.duration(to: instant)
      }
    case .halfOpen:
      cooldownRemaining = .zero
    default:
      cooldownRemaining = nil
    }
    var classification = firstError.map {
      Classification(
        disposition: $0.disposition ?? Self.disposition(for: status), reason: $0.reason,
        evidence: $0.evidence)
    }
    if classification == nil, status.isHeld || status == .suspended {
      let evidence: String
      if reason == StateDocumentReader.damagedEntryReason {
        evidence = "its entry in the state file was unreadable; revive it once checked"
      } else if lastOperatorAction?.kind == .pause {
        evidence = "paused by an operator"
      } else {
        evidence = "restored from the state file"
      }
      classification = Classification(
        disposition: Self.disposition(for: status), reason: reason ?? .unknown,
        evidence: evidence)
    }
    return BreakerSnapshot(
      state: status, consecutiveFailures: consecutiveFailures, streak: streak,
      cooldownRemaining: cooldownRemaining, firstError: classification,
      repeatedErrors: firstError?.repeats ?? 0,
      counters: BreakerCounters(
        rejections: counters.rejections, failures: counters.failures, trips: counters.trips,
        probes: counters.probes))
  }

  /// `true` if `other` would make a breaker behave differently from this entry: state, counts
  /// or reopen time differ. Reasons, first errors, counters and dates of record do not count:
  /// restoring a breaker for them alone would only disturb calls in flight.
  func differsForBreaker(from other: PersistedCredentialState) -> Bool {
    status != other.status || streak != other.streak
      || consecutiveFailures != other.consecutiveFailures || reopenAt != other.reopenAt
  }

  private static func disposition(for status: BreakerState) -> Disposition {
    switch status {
    case .dead: return .permanent
    case .paused: return .unauthorized
    case .suspended: return .quotaExhausted
    default: return .retryable
    }
  }
}
