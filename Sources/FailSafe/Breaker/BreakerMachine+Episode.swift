// The machine's storage: the episode record (allocated only while something is counted) and
// the state word the breaker publishes. Kept apart so BreakerMachine.swift reads as the moves.
extension BreakerMachine {
  /// The episode record, created if missing and copied first if shared (copy-on-write).
  @inlinable mutating func uniqueEpisode() -> BreakerEpisode {
    if !isKnownUniquelyReferenced(&episode) {
      episode = episode.map { BreakerEpisode(copying: $0) } ?? BreakerEpisode()
    }
    return episode.unsafelyUnwrapped
  }

  /// The episode record copied first if shared, or `nil` if there is none (nothing created).
  @inlinable mutating func uniqueEpisodeIfPresent() -> BreakerEpisode? {
    guard episode != nil else { return nil }
    return uniqueEpisode()
  }

  /// Drops the episode record once every field in it is empty again.
  @inlinable mutating func dropEmptyEpisode() {
    if let episode, episode.isEmpty { self.episode = nil }
  }

  /// When an open or suspended breaker admits its probe (offset from the origin).
  @inlinable var reopenAt: Duration? {
    get { episode?.reopenAt }
    set {
      guard newValue != nil || episode != nil else { return }
      let episode = uniqueEpisode()
      episode.reopenAt = newValue
      episode.refusal = nil  // it states the deadline
    }
  }

  /// Set while a half-open probe is out: when its permit lapses (offset from the origin).
  @inlinable var probeLeaseUntil: Duration? {
    get { episode?.probeLeaseUntil }
    set { if newValue != nil || episode != nil { uniqueEpisode().probeLeaseUntil = newValue } }
  }

  @inlinable var lastCooldown: Duration? {
    get { episode?.lastCooldown }
    set { if newValue != nil || episode != nil { uniqueEpisode().lastCooldown = newValue } }
  }

  /// The episode's first error, shared by reference with every rejection.
  @inlinable var firstErrorRecord: ErrorRecord? {
    get { episode?.firstErrorRecord }
    set {
      guard newValue != nil || episode != nil else { return }
      let episode = uniqueEpisode()
      episode.firstErrorRecord = newValue
      episode.refusal = nil  // it carries the first error
    }
  }

  @inlinable var repeatedErrors: Int {
    get { episode?.repeatedErrors ?? 0 }
    set { if newValue != 0 || episode != nil { uniqueEpisode().repeatedErrors = newValue } }
  }

  @inlinable var rejectedInState: Int {
    get { episode?.rejectedInState ?? 0 }
    set { if newValue != 0 || episode != nil { uniqueEpisode().rejectedInState = newValue } }
  }

  /// The word ``CircuitBreaker`` publishes for its fast path. Dirty while failures, a streak
  /// or a first error are counted: a success must then take the locked path to clear them.
  @inlinable var stateWord: BreakerStateWord {
    BreakerStateWord(
      state: state, generation: generation,
      isDirty: consecutiveFailures != 0 || streak != 0 || firstErrorRecord != nil)
  }
}
