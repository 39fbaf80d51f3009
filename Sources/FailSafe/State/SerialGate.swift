import Synchronization

/// Lets one task at a time through an asynchronous critical section, in arrival order: a lock
/// that can be held across `await` (a `Mutex` cannot). Waiters are not cancellable; the
/// section they wait for is short and always finishes.
package final class SerialGate: Sendable {
  private struct State {
    var isHeld = false
    var waiters: [CheckedContinuation<Void, Never>] = []
  }

  private let state = SanitizerVisibleMutex(State())

  /// Creates an open gate.
  package init() {}

  /// Runs `body` once every earlier caller's body has finished.
  package func run<Result>(
    _ body: () async throws -> Result
  ) async rethrows -> Result {
    await enter()
    defer { leave() }
    return try await body()
  }

  private func enter() async {
    let entered = state.withLock { state -> Bool in
      guard state.isHeld else {
        state.isHeld = true
        return true
      }
      return false
    }
    if entered { return }
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let enterNow = state.withLock { state -> Bool in
        guard state.isHeld else {
          state.isHeld = true
          return true
        }
        state.waiters.append(continuation)
        return false
      }
      if enterNow { continuation.resume() }
    }
  }

  /// Hands the gate to the first waiter (it stays held), or opens it.
  private func leave() {
    let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
      guard !state.waiters.isEmpty else {
        state.isHeld = false
        return nil
      }
      return state.waiters.removeFirst()
    }
    next?.resume()
  }
}
