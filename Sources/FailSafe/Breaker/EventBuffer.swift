/// Events produced under the lock, delivered after it is released. It allocates only when
/// someone listens: with `isEnabled` false, appending does nothing.
@usableFromInline
struct EventBuffer<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
  @usableFromInline let isEnabled: Bool
  /// The breaker's credential, for events.
  @usableFromInline let credential: CredentialID
  /// Turns the machine's offsets back into instants.
  @usableFromInline let origin: BreakerOrigin<Instant>
  @usableFromInline var events: [BreakerEvent<Instant>] = []

  @inlinable init(isEnabled: Bool, credential: CredentialID, origin: BreakerOrigin<Instant>) {
    self.isEnabled = isEnabled
    self.credential = credential
    self.origin = origin
  }

  /// The instant `offset` after the origin.
  @inlinable func instant(_ offset: Duration) -> Instant { origin.instant(offset) }

  @inlinable mutating func append(
    _ generation: UInt64, _ now: Duration,
    _ kind: BreakerEvent<Instant>.Kind
  ) {
    guard isEnabled else { return }
    events.append(
      BreakerEvent(
        credential: credential, instant: origin.instant(now), generation: generation, kind: kind))
  }
}
