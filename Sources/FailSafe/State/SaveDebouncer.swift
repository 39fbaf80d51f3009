import Synchronization

/// Turns a storm of changes into at most one save per interval.
///
/// The first ``noteChange()`` after a save starts a wait of `interval` on the injected clock;
/// every change during that wait is covered by the one save that follows it. A change made
/// while a save runs starts the next wait. So `n` changes within one interval cost one write,
/// and a change is saved at most about `interval` after it is made (or at once by ``flush()``).
///
/// Saves never overlap: a ``flush()`` during a save waits for it, then saves again if
/// something changed meanwhile.
package final class SaveDebouncer<C: Clock>: Sendable where C.Duration == Duration {
  private let core: DebouncedSaves
  private let signals: AsyncStream<Void>.Continuation
  private let loop: Task<Void, Never>

  /// Creates a debouncer that runs `action` at most once per `interval` of `clock`.
  package init(
    clock: C, interval: Duration, action: @escaping @Sendable () async -> Void
  ) {
    let core = DebouncedSaves(action: action)
    let (stream, signals) = AsyncStream.makeStream(
      of: Void.self, bufferingPolicy: .bufferingNewest(1))
    self.core = core
    self.signals = signals
    let interval = max(.zero, interval)
    loop = Task {
      for await _ in stream {
        do {
          try await clock.sleep(for: interval)
        } catch {
          return  // cancelled: `close()` saves what is pending
        }
        await core.saveIfChanged()
      }
    }
  }

  deinit {
    signals.finish()
    loop.cancel()
  }

  /// Records that there is something new to save, and schedules a save if none is pending.
  package func noteChange() {
    core.state.withLock { $0.changed &+= 1 }
    signals.yield()
  }

  /// `true` if a change has not been covered by a completed save yet.
  package var hasPendingChanges: Bool {
    core.state.withLock { $0.changed != $0.saved }
  }

  /// How many saves have run so far.
  package var saveCount: Int { core.saveCount.load(ordering: .relaxed) }

  /// Saves now if anything changed since the last save.
  package func flush() async {
    await core.saveIfChanged()
  }

  /// Stops the debouncer's task and saves what is pending.
  package func close() async {
    signals.finish()
    loop.cancel()
    await core.saveIfChanged()
  }
}

/// The save bookkeeping of a `SaveDebouncer`, outside it because it needs no clock.
private final class DebouncedSaves: Sendable {
  struct State {
    /// Bumped by every change.
    var changed: UInt64 = 0
    /// The `changed` value the last completed save covered.
    var saved: UInt64 = 0
    /// `true` while a save runs; others wait for it instead of running alongside.
    var saving = false
    var waiters: [CheckedContinuation<Void, Never>] = []
  }
  let state = SanitizerVisibleMutex(State())
  let action: @Sendable () async -> Void
  let saveCount = Atomic<Int>(0)

  init(action: @escaping @Sendable () async -> Void) { self.action = action }

  /// Runs one save if anything changed since the last one; if a save is running, waits for
  /// it and then checks again, so on return every change made before the call is saved.
  func saveIfChanged() async {
    while true {
      enum Next {
        case done
        case wait
        case save(UInt64)
      }
      let next = state.withLock { state -> Next in
        if state.saving { return .wait }
        if state.changed == state.saved { return .done }
        state.saving = true
        return .save(state.changed)
      }
      switch next {
      case .done:
        return
      case .wait:
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
          let resumeNow = state.withLock { state -> Bool in
            guard state.saving else { return true }
            state.waiters.append(continuation)
            return false
          }
          if resumeNow { continuation.resume() }
        }
      case .save(let target):
        await action()
        saveCount.add(1, ordering: .relaxed)
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
          state.saved = max(state.saved, target)
          state.saving = false
          defer { state.waiters = [] }
          return state.waiters
        }
        for waiter in waiters { waiter.resume() }
        return
      }
    }
  }
}
