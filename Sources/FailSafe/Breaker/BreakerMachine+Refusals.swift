// Refusals change no state (they are not moves of the transition table): they count the
// rejection and describe it, reusing the kept description while the state stands.
extension BreakerMachine {
  /// Whether the breaker refuses a call at `now` without changing state: dead or paused; open
  /// or suspended before the reopen instant (or with none); half-open with a probe lease
  /// running. `false` when ``acquire(now:policy:events:)`` must decide (an admission or a
  /// transition), including when `now` is `nil` (the clock was not read) and the answer
  /// depends on time.
  @inlinable func refuses(now: Duration?) -> Bool {
    switch state {
    case .closed:
      return false
    case .dead, .paused:
      return true
    case .open, .suspended:
      guard let reopenAt else { return true }  // forced open until closed by hand
      guard let now else { return false }
      return now.isShorter(than: reopenAt)
    case .halfOpen:
      guard let now, let lease = probeLeaseUntil else { return false }
      return now.isShorter(than: lease)
    }
  }

  /// The common rejection, decided with the fewest steps: the state already refused a call,
  /// so its ``BreakerRefusal`` is kept, and refuses this one too at `now`. Counts it and returns
  /// the kept refusal; `nil` sends the caller to the full ``acquire(now:policy:events:)``
  /// (first rejection of a state, an admission, a transition, or a shared episode record).
  ///
  /// Invariant: the kept refusal is dropped whenever the state, the reopen deadline or the
  /// first error changes (``transition(to:cause:now:events:)`` and the setters above), so a
  /// kept refusal always describes the current state.
  @inlinable mutating func repeatRefusal(now: Duration?) -> BreakerRefusal<Instant>? {
    guard let kept = episode?.refusal, refuses(now: now), isKnownUniquelyReferenced(&episode)
    else { return nil }
    counters.rejections = counters.rejections.saturatingAdd(1)
    let episode = episode.unsafelyUnwrapped
    episode.rejectedInState = episode.rejectedInState.saturatingAdd(1)
    // Only ``reject(credential:origin:)`` stores into `refusal`, always this type.
    return unsafeDowncast(kept, to: BreakerRefusal<Instant>.self)
  }

  /// Counts and describes a rejection if ``refuses(now:)``; `nil` otherwise. Emits no events,
  /// so callers need no event buffer. `credential` and `origin` go into the ``BreakerRefusal``
  /// if one has to be made.
  @inlinable mutating func refusal(
    now: Duration?, credential: CredentialID, origin: BreakerOrigin<Instant>
  ) -> BreakerRefusal<Instant>? {
    guard refuses(now: now) else { return nil }
    return reject(credential: credential, origin: origin)
  }

  /// Counts a rejection and returns the refusal of the current state: the kept one (see
  /// ``repeatRefusal(now:)`` for why it is always current), or a new one, kept for the next
  /// rejection. The caller builds the ``BreakerRejection`` after the lock is released.
  @inlinable mutating func reject(
    credential: CredentialID, origin: BreakerOrigin<Instant>
  ) -> BreakerRefusal<Instant> {
    counters.rejections = counters.rejections.saturatingAdd(1)
    let episode = uniqueEpisode()
    episode.rejectedInState = episode.rejectedInState.saturatingAdd(1)
    if let kept = episode.refusal {
      // Only this function stores into `refusal`, always a `BreakerRefusal<Instant>`.
      return unsafeDowncast(kept, to: BreakerRefusal<Instant>.self)
    }
    let refusal = BreakerRefusal(
      credential: credential, state: state, origin: origin,
      reopenAt: state == .open || state == .suspended ? episode.reopenAt : nil,
      firstErrorRecord: episode.firstErrorRecord)
    episode.refusal = refusal
    return refusal
  }

  @inlinable func availability(
    now: Duration, origin: BreakerOrigin<Instant>
  ) -> BreakerAvailability<Instant> {
    switch state {
    case .closed: return .available
    case .dead: return .dead
    case .paused: return .unavailable(until: nil, state: .paused)
    case .open, .suspended:
      guard let reopenAt else { return .unavailable(until: nil, state: state) }
      return now >= reopenAt
        ? .available : .unavailable(until: origin.instant(reopenAt), state: state)
    case .halfOpen:
      guard let lease = probeLeaseUntil, now < lease else { return .available }
      return .unavailable(until: nil, state: .halfOpen)
    }
  }
}
