/// The tasks of one pool waiting for a usable credential, first come first served.
///
/// A waiter costs one suspended continuation: no timer and no polling of its own. One alarm
/// task per queue sleeps until the earliest instant anyone needs (a waiter's deadline, or a
/// cooldown's end a waiter was told of, which wakes one waiter: the probe is one call). The pool
/// wakes waiters in batches when a credential changes (``wake(_:)``), so a thousand waiters do
/// not all run for one half-open probe.
final class CredentialWaitQueue<C: Clock>: Sendable where C.Duration == Duration {
  /// Why a waiter resumed.
  enum Wake: Sendable, Equatable {
    /// The pool saw a change that may have made a credential usable.
    case woken
    /// The waiter's deadline passed.
    case timedOut
    /// The waiting task was cancelled.
    case cancelled
  }

  private struct Waiter {
    let continuation: CheckedContinuation<Wake, Never>
    let deadline: C.Instant?
  }

  private struct State {
    var waiters: [UInt64: Waiter] = [:]
    /// Arrival order; ids no longer in `waiters` are skipped when reached.
    var order: [UInt64] = []
    var head = 0
    var nextID: UInt64 = 0
    /// The earliest deadline of any waiter (possibly of one already gone: the alarm then finds
    /// nothing to expire and looks again).
    var earliestDeadline: C.Instant?
    /// The earliest cooldown end a waiter was told of.
    var reopenAt: C.Instant?
    var alarm: (at: C.Instant, task: Task<Void, Never>)?
  }

  private let state = SanitizerVisibleMutex(State())
  private let clock: C

  init(clock: C) { self.clock = clock }

  /// How many tasks are waiting.
  var count: Int { state.withLock { $0.waiters.count } }

  /// Whether the alarm task is set (asleep until its instant, or running).
  var hasAlarm: Bool { state.withLock { $0.alarm != nil } }

  /// Suspends until woken, until `deadline`, or until the task is cancelled.
  ///
  /// `look` tells whether a credential is usable now and, if not, when the earliest cooldown
  /// ends (the alarm wakes one waiter then). It is called once the waiter is registered, so a
  /// change between the caller's own look and the registration is never missed: either `look`
  /// sees it, or the change's ``wake(_:)`` finds the waiter.
  func wait(
    deadline: C.Instant?, look: () -> (usable: Bool, reopenAt: C.Instant?)
  ) async -> Wake {
    let id = state.withLock { state -> UInt64 in
      state.nextID &+= 1
      return state.nextID
    }
    return await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Wake, Never>) in
        let immediate = state.withLock { state -> Wake? in
          // Under the lock: the cancellation handler either ran before (the flag is set) or
          // will find this waiter to remove.
          if Task.isCancelled { return .cancelled }
          if let deadline, clock.now >= deadline { return .timedOut }
          state.waiters[id] = Waiter(continuation: continuation, deadline: deadline)
          state.order.append(id)
          if let deadline {
            state.earliestDeadline = min(state.earliestDeadline ?? deadline, deadline)
          }
          return nil
        }
        if let immediate {
          continuation.resume(returning: immediate)
          return
        }
        let (usable, reopenAt) = look()
        if usable {
          let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
          waiter?.continuation.resume(returning: .woken)
          return
        }
        noteReopen(at: reopenAt)
      }
    } onCancel: {
      let waiter = state.withLock { state in
        let waiter = state.waiters.removeValue(forKey: id)
        Self.silenceIfEmpty(&state)
        return waiter
      }
      waiter?.continuation.resume(returning: .cancelled)
    }
  }

  /// Records that a cooldown ends at `instant` (if known), so the alarm wakes one waiter then;
  /// without waiters there is nothing to wake and nothing is armed.
  func noteReopen(at instant: C.Instant?) {
    state.withLock { state in
      guard let instant, !state.waiters.isEmpty else { return }
      state.reopenAt = min(state.reopenAt ?? instant, instant)
    }
    armAlarm()
  }

  /// Wakes the `count` longest-waiting tasks.
  func wake(_ count: Int) {
    guard count > 0 else { return }
    let woken = state.withLock { state -> [Waiter] in
      var woken: [Waiter] = []
      while woken.count < count, state.head < state.order.count {
        let id = state.order[state.head]
        state.head += 1
        if let waiter = state.waiters.removeValue(forKey: id) { woken.append(waiter) }
      }
      Self.compact(&state)
      Self.silenceIfEmpty(&state)
      return woken
    }
    for waiter in woken { waiter.continuation.resume(returning: .woken) }
  }

  /// With nobody waiting, nothing is due: the alarm stops, so an idle pool holds no timer.
  private static func silenceIfEmpty(_ state: inout State) {
    guard state.waiters.isEmpty else { return }
    state.alarm?.task.cancel()
    state.alarm = nil
    state.earliestDeadline = nil
    state.reopenAt = nil
  }

  /// Drops the consumed front of `order` once it is most of the array, so it stays bounded.
  private static func compact(_ state: inout State) {
    if state.head == state.order.count {
      state.order.removeAll(keepingCapacity: true)
      state.head = 0
    } else if state.head > 1_024, state.head * 2 > state.order.count {
      state.order.removeFirst(state.head)
      state.head = 0
    }
  }

  /// Makes sure the alarm rings at the earliest instant anyone needs.
  private func armAlarm() {
    state.withLock { state in
      let wanted = [state.earliestDeadline, state.reopenAt].compactMap { $0 }.min()
      guard let wanted else { return }
      if let alarm = state.alarm {
        if alarm.at <= wanted { return }
        alarm.task.cancel()
      }
      let clock = clock
      let task = Task { [weak self] in
        do {
          try await clock.sleep(until: wanted, tolerance: nil)
        } catch {
          return  // replaced by an earlier alarm
        }
        self?.alarmRang(at: wanted)
      }
      state.alarm = (wanted, task)
    }
  }

  /// Expires the waiters whose deadline has passed, reports an ended cooldown, and sets the
  /// next alarm.
  private func alarmRang(at instant: C.Instant) {
    let now = clock.now
    let (expired, reopenDue) = state.withLock { state -> ([Waiter], Bool) in
      if state.alarm?.at == instant { state.alarm = nil }
      var expired: [Waiter] = []
      if let earliest = state.earliestDeadline, earliest <= now {
        var nextDeadline: C.Instant?
        for (id, waiter) in state.waiters {
          guard let deadline = waiter.deadline else { continue }
          if deadline <= now {
            expired.append(waiter)
            state.waiters[id] = nil
          } else {
            nextDeadline = min(nextDeadline ?? deadline, deadline)
          }
        }
        state.earliestDeadline = nextDeadline
        Self.compact(&state)
      }
      defer { Self.silenceIfEmpty(&state) }
      var reopenDue = false
      if let reopenAt = state.reopenAt, reopenAt <= now {
        state.reopenAt = nil
        reopenDue = true
      }
      return (expired, reopenDue)
    }
    for waiter in expired { waiter.continuation.resume(returning: .timedOut) }
    // A cooldown's end makes one half-open probe due: one waiter is enough to take it.
    if reopenDue { wake(1) }
    armAlarm()
  }

  deinit {
    // Nobody can be waiting (each waiter's task keeps the pool, and so the queue, alive).
    state.withLock { $0.alarm?.task.cancel() }
  }
}
