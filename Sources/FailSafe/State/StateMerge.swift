import Foundation

/// How two records of one credential's state, written by different processes, become one.
///
/// The rules, in order:
/// 1. **Operator barrier.** If one side carries an operator action later than the other
///    side's, and the other side's `updatedAt` is at or before that action, the other side is
///    stale (it predates the operator's decision): the side with the action wins as it is.
///    So `failsafe state revive` beats a dead entry written before the revive, while a death
///    observed after the revive still wins.
/// 2. **Held beats alive.** Otherwise, if either side is `dead` or `paused`, the more severe
///    state wins (`dead` over `paused`); from two equally severe sides the earlier first error
///    is kept.
/// 3. **Overlapping cooldowns combine.** Otherwise, if the older side (by `updatedAt`) has a
///    reopen time later than the newer side's `updatedAt`, its cooldown was still running when
///    the newer side was observed: the more severe state, the longer streak and the later reopen
///    time win.
/// 4. **Newer wins.** Otherwise the older side's episode had ended before the newer side was
///    observed, so the newer side wins as it is (this is how a success after a cooldown clears
///    a stale open entry instead of bouncing the breaker back to half-open forever).
///
/// In every case but rule 1, counters take the larger of each count, `updatedAt` the later
/// date, and the later operator action is kept. Merging is idempotent (`merge(a, a) == a`) and,
/// up to exact ties, commutative.
package enum StateMerge {
  /// Merges two records of the same credential.
  package static func merge(
    _ first: PersistedCredentialState, _ second: PersistedCredentialState
  ) -> PersistedCredentialState {
    if let winner = barrierWinner(first, second) ?? barrierWinner(second, first) {
      return winner
    }
    let action = laterAction(first.lastOperatorAction, second.lastOperatorAction)
    let (older, newer) = isOlder(first, than: second) ? (first, second) : (second, first)
    var result: PersistedCredentialState
    if first.status.isHeld || second.status.isHeld {
      result = combined(older, newer)
      result.reopenAt = nil
    } else if let reopen = older.reopenAt, reopen > newer.updatedAt {
      result = combined(older, newer)
      if !result.status.hasCooldown { result.reopenAt = nil }
    } else {
      result = newer
    }
    result.counters = first.counters.combined(with: second.counters)
    result.updatedAt = max(first.updatedAt, second.updatedAt)
    result.lastOperatorAction = action
    return result
  }

  /// `candidate` if its operator action makes `other` stale, else `nil`.
  private static func barrierWinner(
    _ candidate: PersistedCredentialState, _ other: PersistedCredentialState
  ) -> PersistedCredentialState? {
    guard let action = candidate.lastOperatorAction else { return nil }
    if let otherAction = other.lastOperatorAction, otherAction.at >= action.at { return nil }
    return other.updatedAt <= action.at ? candidate : nil
  }

  /// The more severe state with the longer streak, the later reopen time, and the first error
  /// and reason of the more severe side (of the earlier error, between equals).
  private static func combined(
    _ older: PersistedCredentialState, _ newer: PersistedCredentialState
  ) -> PersistedCredentialState {
    let severe: PersistedCredentialState
    if older.status.severity != newer.status.severity {
      severe = older.status.severity > newer.status.severity ? older : newer
    } else {
      severe = isEarlierError(older.firstError, than: newer.firstError) ? older : newer
    }
    var result = severe
    result.consecutiveFailures = max(older.consecutiveFailures, newer.consecutiveFailures)
    result.streak = max(older.streak, newer.streak)
    result.reopenAt = [older.reopenAt, newer.reopenAt].compactMap { $0 }.max()
    if result.firstError == nil {
      result.firstError = older.firstError ?? newer.firstError
    }
    return result
  }

  /// A total order for choosing the newer side: `updatedAt`, then severity, then streak, then
  /// consecutive failures.
  private static func isOlder(
    _ first: PersistedCredentialState, than second: PersistedCredentialState
  ) -> Bool {
    if first.updatedAt != second.updatedAt { return first.updatedAt < second.updatedAt }
    if first.status.severity != second.status.severity {
      return first.status.severity < second.status.severity
    }
    if first.streak != second.streak { return first.streak < second.streak }
    return first.consecutiveFailures <= second.consecutiveFailures
  }

  private static func isEarlierError(_ first: PersistedFailure?, than second: PersistedFailure?)
    -> Bool
  {
    switch (first?.at, second?.at) {
    case (let a?, let b?): return a <= b
    case (.some, nil): return true
    case (nil, .some): return false
    case (nil, nil): return first != nil || second == nil
    }
  }

  private static func laterAction(_ first: OperatorAction?, _ second: OperatorAction?)
    -> OperatorAction?
  {
    switch (first, second) {
    case (let a?, let b?): return a.at >= b.at ? a : b
    default: return first ?? second
    }
  }
}
