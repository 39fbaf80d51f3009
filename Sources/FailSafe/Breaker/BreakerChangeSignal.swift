import Synchronization

/// Tells interested pools that a breaker of their registry changed state, so that tasks waiting
/// for a usable credential are woken by the change itself (a revive adopted from shared state, a
/// probe that succeeded, a replaced credential) rather than by polling.
///
/// Only the breaker's slow paths report (transitions under its lock, a probe given back); the
/// closed guard never does. With no listener, reporting is one relaxed atomic load.
@usableFromInline
final class BreakerChangeSignal: Sendable {
  /// Called outside every breaker lock with the credential and the state it is in now.
  typealias Listener = @Sendable (CredentialID, BreakerState) -> Void

  private let listeners = SanitizerVisibleMutex<[UInt64: Listener]>([:])
  @usableFromInline let listenerCount = Atomic<Int>(0)
  private let nextID = Atomic<UInt64>(0)

  @usableFromInline init() {}

  /// Adds `listener`; returns the token that removes it.
  func add(_ listener: @escaping Listener) -> UInt64 {
    let id = nextID.add(1, ordering: .relaxed).newValue
    listeners.withLock { $0[id] = listener }
    listenerCount.add(1, ordering: .relaxed)
    return id
  }

  /// Removes the listener `token` names.
  func remove(_ token: UInt64) {
    let removed = listeners.withLock { $0.removeValue(forKey: token) }
    if removed != nil { listenerCount.subtract(1, ordering: .relaxed) }
  }

  /// Reports that `credential`'s breaker is now in `state`.
  @inlinable
  func report(_ credential: CredentialID, _ state: BreakerState) {
    guard listenerCount.load(ordering: .relaxed) > 0 else { return }
    reportToListeners(credential, state)
  }

  @usableFromInline
  func reportToListeners(_ credential: CredentialID, _ state: BreakerState) {
    let current = listeners.withLock { Array($0.values) }
    for listener in current { listener(credential, state) }
  }
}
