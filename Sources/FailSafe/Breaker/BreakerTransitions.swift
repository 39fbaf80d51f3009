/// Every legal move of a breaker, as one table: in state `from`, on `trigger`, go to
/// `destination` and do `effect`. A (state, trigger) pair with no row does nothing: the call
/// that reported it is stale or has no say in that state (a success reported to a dead
/// breaker, `revive()` on a closed one).
///
/// ``BreakerMachine`` works out which trigger happened (from the permit, the classification,
/// the count and the clock) and then does only what the table's row says. Docs/Breaker.md
/// prints the same table; `BreakerTransitionTableTests` checks one against the other both ways.
///
/// Rejections are not moves: a state that refuses a call (dead, paused, open or suspended before
/// its reopen instant, half-open with its probe out) counts the rejection and stays put.
@usableFromInline
enum BreakerTransitions {
  /// The table as written: each move from one or more states, grouped by trigger.
  static let moves: [BreakerMove] = [
    // Callers arriving (a state that refuses them is not a row: see above).
    .init([.closed], on: .call, .unchanged, .admit),
    .init([.open, .suspended], on: .cooldownOver, .to(.halfOpen), .admitProbe),
    .init([.halfOpen], on: .probeSlotFree, .unchanged, .admitProbe),
    // Outcomes of admitted calls.
    .init([.closed], on: .success, .unchanged, .clearEpisode),
    .init([.halfOpen], on: .probeSucceeded, .to(.closed), .clearEpisode),
    .init([.closed], on: .retryableFailure, .unchanged, .countFailure),
    .init([.closed], on: .failureThresholdReached, .to(.open), .countFailureAndTrip),
    .init([.closed], on: .providerWait, .to(.open), .countFailureAndTrip),
    .init([.halfOpen], on: .probeFailed, .to(.open), .countFailureAndTrip),
    .init([.halfOpen], on: .probeReleased, .unchanged, .releaseProbe),
    .init(
      [.closed, .open, .halfOpen, .paused, .suspended], on: .permanentFailure, .to(.dead),
      .recordVerdict),
    .init(
      [.closed, .open, .halfOpen, .suspended], on: .unauthorizedFailure, .to(.paused),
      .recordVerdict),
    .init([.closed, .open, .halfOpen], on: .quotaExhausted, .to(.suspended), .suspend),
    .init([.suspended], on: .quotaExhausted, .unchanged, .extendSuspension),
    // Operators and credential changes.
    .init(
      [.closed, .open, .halfOpen, .paused, .suspended], on: .forceOpen, .to(.open), .holdOpen),
    .init([.closed], on: .forceClose, .unchanged, .closeKeepingStreak),
    .init(
      [.open, .halfOpen, .paused, .suspended], on: .forceClose, .to(.closed), .closeKeepingStreak),
    .init([.dead], on: .revive, .to(.closed), .closeClearingEpisode),
    .init([.paused], on: .resume, .to(.closed), .closeClearingEpisode),
    .init([.closed], on: .credentialReplaced, .unchanged, .closeClearingEpisode),
    .init(
      [.open, .halfOpen, .dead, .paused, .suspended], on: .credentialReplaced, .to(.closed),
      .closeClearingEpisode),
    .init(BreakerState.allCases, on: .resetStreak, .unchanged, .resetStreak),
    .init(BreakerState.allCases, on: .restore, .snapshotState, .restoreSnapshot),
  ]

  /// The table with one row per source state.
  static var rows: [BreakerTransitionRow] {
    moves.flatMap { move in
      move.from.map { BreakerTransitionRow($0, on: move.trigger, move.destination, move.effect) }
    }
  }

  /// The row for `state` and `trigger`, or `nil` if the trigger does nothing there.
  ///
  /// One array read: the table is laid out by (state code, trigger) at first use.
  @usableFromInline static func row(
    from state: BreakerState, on trigger: BreakerTrigger
  ) -> BreakerTransitionRow? {
    lookup[Int(state.code) &* BreakerTrigger.allCases.count &+ Int(trigger.rawValue)]
  }

  /// `rows` by (state code, trigger); the first row wins where two overlap (a table mistake
  /// the tests catch).
  private static let lookup: [BreakerTransitionRow?] = {
    let triggers = BreakerTrigger.allCases.count
    var table = [BreakerTransitionRow?](repeating: nil, count: 8 * triggers)
    for row in rows {
      let index = Int(row.from.code) * triggers + Int(row.trigger.rawValue)
      if table[index] == nil { table[index] = row }
    }
    return table
  }()
}

/// One move of the table: from one state, on one trigger.
@usableFromInline
struct BreakerTransitionRow: Sendable, Hashable {
  @usableFromInline let from: BreakerState
  @usableFromInline let trigger: BreakerTrigger
  @usableFromInline let destination: BreakerDestination
  @usableFromInline let effect: BreakerEffect

  init(
    _ from: BreakerState, on trigger: BreakerTrigger, _ destination: BreakerDestination,
    _ effect: BreakerEffect
  ) {
    self.from = from
    self.trigger = trigger
    self.destination = destination
    self.effect = effect
  }

  /// The state the breaker is in after the move (`nil` for a restore: the snapshot's state).
  var target: BreakerState? {
    switch destination {
    case .unchanged: return from
    case .to(let state): return state
    case .snapshotState: return nil
    }
  }
}

/// One line of the table as written: the same move from one or more states.
struct BreakerMove: Sendable {
  let from: [BreakerState]
  let trigger: BreakerTrigger
  let destination: BreakerDestination
  let effect: BreakerEffect

  init(
    _ from: [BreakerState], on trigger: BreakerTrigger, _ destination: BreakerDestination,
    _ effect: BreakerEffect
  ) {
    self.from = from
    self.trigger = trigger
    self.destination = destination
    self.effect = effect
  }
}

/// What happened to a breaker: the trigger column of ``BreakerTransitions``.
@usableFromInline
enum BreakerTrigger: UInt8, CaseIterable, Sendable, Hashable {
  /// A caller asks for a permit and the closed breaker admits it.
  case call
  /// A caller arrives at or after the reopen instant of an open or suspended breaker.
  case cooldownOver
  /// A caller arrives at a half-open breaker whose probe slot is free (the probe was released,
  /// or its lease lapsed).
  case probeSlotFree
  /// A success reported with a current, ordinary permit.
  case success
  /// The half-open probe reports success.
  case probeSucceeded
  /// A retryable failure that leaves the count below `failureThreshold`.
  case retryableFailure
  /// A retryable failure that brings `consecutiveFailures` to `failureThreshold`.
  case failureThresholdReached
  /// A retryable failure carrying the provider's wait (`retryAfter`, with `opensOnProviderWait`).
  case providerWait
  /// The half-open probe reports a retryable failure.
  case probeFailed
  /// The half-open probe reports `fatal`, or is cancelled: it proved nothing.
  case probeReleased
  /// A `permanent` verdict on a current credential.
  case permanentFailure
  /// An `unauthorized` verdict on a current credential.
  case unauthorizedFailure
  /// A `quotaExhausted` verdict on a current credential.
  case quotaExhausted
  /// `forceOpen(until:)` / `forceOpen(for:)`.
  case forceOpen
  /// `forceClose()`.
  case forceClose
  /// `revive()`.
  case revive
  /// `resume()`.
  case resume
  /// `credentialReplaced()`: a new or refreshed credential.
  case credentialReplaced
  /// `resetStreak()`.
  case resetStreak
  /// `restore(_:)`: a snapshot loaded.
  case restore

  /// The operator action this trigger is, or `nil` for what callers and results do.
  @usableFromInline var operatorAction: BreakerOperatorAction? {
    switch self {
    case .forceOpen: return .forceOpen
    case .forceClose: return .forceClose
    case .revive: return .revive
    case .resume: return .resume
    case .credentialReplaced: return .credentialReplaced
    case .resetStreak: return .resetStreak
    case .restore: return .restore
    default: return nil
    }
  }
}

/// Where a move leaves the breaker.
@usableFromInline
enum BreakerDestination: Sendable, Hashable {
  /// The same state, without a transition (no transition event, no new generation unless the
  /// effect starts one).
  case unchanged
  /// A transition to this state (from any state, even the same one: `forceOpen` on an open
  /// breaker starts a new cooldown).
  case to(BreakerState)
  /// The state of the snapshot being restored (half-open restores as open, with a probe due).
  case snapshotState
}

/// What a move does besides changing state: the effect column of ``BreakerTransitions``.
@usableFromInline
enum BreakerEffect: UInt8, Sendable, Hashable {
  /// An ordinary permit.
  case admit
  /// The probe permit, leased for `probeLeaseTimeout`; a lapsed lease starts a new generation
  /// first, so the old probe's report is stale.
  case admitProbe
  /// Failure count, streak, last cooldown and first error cleared.
  case clearEpisode
  /// The first error kept (repeats only counted); `consecutiveFailures += 1`.
  case countFailure
  /// As `countFailure`, then `streak += 1` and the next cooldown: the capped provider wait,
  /// or the jittered backoff for the new streak.
  case countFailureAndTrip
  /// The probe slot freed; the old probe permit is stale.
  case releaseProbe
  /// The verdict replaces the first error (it is what an operator must see); reopen time
  /// cleared: no probe ever.
  case recordVerdict
  /// The verdict replaces the first error; reopen at `now + min(retryAfter,
  /// maximumQuotaWait)`, or `now + quotaCooldown`.
  case suspend
  /// The reopen instant moved later, never earlier; the verdict counted as a repeat.
  case extendSuspension
  /// Reopen at the operator's instant, or never (until `forceClose()`).
  case holdOpen
  /// Failure count cleared, streak kept; older permits can no longer change the standing.
  case closeKeepingStreak
  /// Everything cleared; older permits can no longer kill, pause or suspend the credential.
  case closeClearingEpisode
  /// Failure count, streak and last cooldown cleared.
  case resetStreak
  /// Counts, streak, first error and cooldown taken from the snapshot, clamped.
  case restoreSnapshot
}
