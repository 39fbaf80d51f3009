// How merges and size bounds rank persisted states and counters. Package-only: the command line
// and the stores use them; a user reads states through `BreakerState` alone.

extension BreakerState {
  /// The rank used when merging: `closed` 0 < `halfOpen` 1 < `open` 2 < `suspended` 3 <
  /// `paused` 4 < `dead` 5. Higher is more cautious: when two processes disagree and neither
  /// is known to be newer, the more cautious state wins.
  package var severity: Int {
    switch self {
    case .closed: return 0
    case .halfOpen: return 1
    case .open: return 2
    case .suspended: return 3
    case .paused: return 4
    case .dead: return 5
    }
  }

  /// `true` for `paused` and `dead`: held out of rotation until an operator or a credential
  /// change releases it, never by time alone. Merges and size bounds never drop such a state
  /// in favour of a healthier one that is not a later operator decision.
  package var isHeld: Bool { self == .paused || self == .dead }

  /// `true` for the states with a reopen time: `open` and `suspended`.
  package var hasCooldown: Bool { self == .open || self == .suspended }
}

extension BreakerCounters {
  /// The larger of each count: two processes may both hold the same history, so adding
  /// would count it twice.
  package func combined(with other: BreakerCounters) -> BreakerCounters {
    BreakerCounters(
      rejections: max(rejections, other.rejections), failures: max(failures, other.failures),
      trips: max(trips, other.trips), probes: max(probes, other.probes))
  }
}
