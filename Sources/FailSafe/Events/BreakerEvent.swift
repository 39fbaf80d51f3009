/// Something a breaker did: a transition, a probe, a batch of rejections, an operator action.
///
/// Events are built only when someone listens (an observer or an ``CircuitBreaker/events(bufferLimit:)``
/// stream), and only on the slow path: a closed breaker's success path emits nothing.
public struct BreakerEvent<Instant: InstantProtocol>: Sendable, Hashable {
  /// What happened.
  public enum Kind: Sendable, Hashable {
    /// The state changed.
    case transition(from: BreakerState, to: BreakerState, cause: BreakerTransitionCause)
    /// A half-open probe was admitted; its permit lapses at `leaseUntil`.
    case probeAdmitted(leaseUntil: Instant)
    /// The probe did not report back before its lease ended; its permit no longer counts.
    case probeLeaseExpired
    /// `count` calls were rejected while in `state`: one event when the state is left,
    /// instead of one per call.
    case rejectionsSummarized(count: Int, state: BreakerState)
    /// The first error of a new failure episode (kept in full; later ones are only counted).
    case firstErrorRecorded(Classification)
    /// An operator acted (also reported as a transition when the state changed).
    case operatorAction(BreakerOperatorAction)
  }

  /// The credential the breaker guards.
  public let credential: CredentialID
  /// When it happened, on the breaker's clock.
  public let instant: Instant
  /// The breaker's generation after the event.
  public let generation: UInt64
  /// What happened.
  public let kind: Kind

  /// Creates an event.
  public init(credential: CredentialID, instant: Instant, generation: UInt64, kind: Kind) {
    self.credential = credential
    self.instant = instant
    self.generation = generation
    self.kind = kind
  }
}
