/// The refresh state machine of one credential as a plain value: what the coordinator knows
/// about the credential (usable, dead, paused), its failure and busy counts, and when it may
/// next call the refresher. Every decision ``RefreshCoordinator`` makes about the credential is
/// a method here, with the time passed in; the coordinator keeps one under its lock and adds
/// only the flight plumbing (waiting callers, the refresh task).
///
/// | standing | on | becomes | and |
/// |---|---|---|---|
/// | usable | a caller with the current credential, no busy wait | usable | a refresh runs |
/// | usable | a caller inside the busy wait | usable | `unavailable(until:)` at once |
/// | usable | the refresher succeeds | usable | counts cleared, the lifetime sets `refreshAt` |
/// | usable | `permanent` (or OAuth `invalid_grant`) | dead | no refresh ever again |
/// | usable | `unauthorized` / `fatal`, `pauseAfterFailures` in a row | paused | until `resume` or `replace` |
/// | usable | `retryable` / `quotaExhausted` | usable | busy wait: no call before `notBefore` |
/// | dead, paused | a caller | unchanged | answered with the standing at once |
/// | paused | `resume()` | usable | failure count cleared |
/// | any | `replace(with:)` | usable | everything cleared; a refresh running cannot overwrite it |
struct RefreshStanding<Credential: Sendable & Equatable, C: Clock>: Sendable
where C.Duration == Duration {
  typealias Outcome = RefreshOutcome<Credential, C.Instant>
  typealias Status = RefreshCoordinator<Credential, C>.Status

  var current: Credential
  var status: Status = .usable
  /// Bumped by ``replace(with:)`` so that a refresh started before cannot overwrite it.
  var epoch: UInt64 = 0
  var consecutiveFailures = 0
  var busyStreak = 0
  /// No refresher call before this instant: the endpoint said it is busy.
  var notBefore: C.Instant?
  /// From when ``current`` is refreshed before use; `nil` when its expiry is unknown.
  var refreshAt: C.Instant?
  var lastBusy: Classification?
  var refresherCalls = 0

  init(current: Credential, refreshAt: C.Instant?) {
    self.current = current
    self.refreshAt = refreshAt
  }

  // MARK: Callers

  /// The answer for any caller while the credential is dead or paused; `nil` while usable.
  func standingAnswer() -> Outcome? {
    switch status {
    case .dead(let classification): return .dead(classification)
    case .paused(let classification): return .paused(classification)
    case .usable: return nil
    }
  }

  /// The answer for a caller whose `stale` credential was already replaced; `nil` if `stale`
  /// is the current one.
  func replacedAnswer(for stale: Credential) -> Outcome? {
    current != stale ? .refreshed(current) : nil
  }

  /// A caller holds the current credential, rejected or due: it is never sent again
  /// unrefreshed. Returns the busy answer while the endpoint's wait lasts, or `nil`: refresh.
  mutating func admitRefresh(now: C.Instant) -> Outcome? {
    refreshAt = min(refreshAt ?? now, now)
    if let notBefore, now < notBefore, let lastBusy {
      return .unavailable(until: notBefore, lastBusy)
    }
    return nil
  }

  // MARK: The refresher's answers

  /// A refresher call starts: counted, and its epoch kept to detect a replacement meanwhile.
  mutating func startCall() -> UInt64 {
    refresherCalls += 1
    return epoch
  }

  /// The refresher returned `fresh`, due again from `refreshAt`.
  mutating func succeeded(with fresh: Credential, refreshAt: C.Instant?) -> Outcome {
    current = fresh
    self.refreshAt = refreshAt
    consecutiveFailures = 0
    busyStreak = 0
    notBefore = nil
    lastBusy = nil
    return .refreshed(fresh)
  }

  /// The refresher's failure, classified, ends the refresh: dead, paused or failed.
  mutating func failed(_ classification: Classification, policy: RefreshPolicy) -> Outcome {
    if classification.disposition == .permanent {
      status = .dead(classification)
      return .dead(classification)
    }
    consecutiveFailures = consecutiveFailures.saturatingAdd(1)
    if consecutiveFailures >= policy.pauseAfterFailures {
      status = .paused(classification)
      return .paused(classification)
    }
    return .failed(classification)
  }

  /// The endpoint is busy: no call before the returned instant (the capped exponential wait,
  /// or the endpoint's own wait).
  mutating func busy(_ classification: Classification, now: C.Instant, policy: RefreshPolicy)
    -> C.Instant
  {
    busyStreak = busyStreak.saturatingAdd(1)
    let wakeAt = now.advanced(
      by: policy.busyWait(afterStreak: busyStreak, retryAfter: classification.retryAfter))
    notBefore = wakeAt
    lastBusy = classification
    return wakeAt
  }

  // MARK: Operators

  /// A new credential: usable, every count and wait cleared, older refreshes outdated.
  mutating func replace(with credential: Credential) {
    current = credential
    status = .usable
    epoch &+= 1
    consecutiveFailures = 0
    busyStreak = 0
    notBefore = nil
    refreshAt = nil
    lastBusy = nil
  }

  /// A paused credential may be refreshed again; a dead one stays dead.
  mutating func resume() {
    if case .paused = status {
      status = .usable
      consecutiveFailures = 0
    }
  }
}
