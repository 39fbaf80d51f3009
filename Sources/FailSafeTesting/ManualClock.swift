import FailSafe

/// A `Clock` that only moves when a test tells it to, so code that waits can be tested
/// without waiting.
///
/// Time starts at ``Instant/zero`` (or the instant given to ``init(startingAt:)``) and moves
/// only through ``advance(by:)`` and ``advance(to:)``. Those wake every sleeper whose deadline
/// has passed, in deadline order (ties in the order they went to sleep), set ``now`` to each
/// deadline as it is reached, and give the woken tasks a chance to run before returning:
///
/// ```swift
/// let clock = ManualClock()
/// let task = Task { try await clock.sleep(for: .seconds(30)); return "woke" }
/// await clock.waitForSleepers(count: 1)
/// await clock.advance(by: .seconds(30))
/// #expect(try await task.value == "woke")
/// ```
///
/// Woken tasks run on the global executor, which the clock cannot observe. `advance` yields
/// until the clock has seen no sleep begin or end for a while; a test that needs certainty that a
/// task has reached its next `sleep` uses ``waitForSleepers(count:)``, which is exact.
///
/// Sleeping honours task cancellation: a cancelled sleeper throws `CancellationError` at once.
/// The clock is safe to use from any number of tasks.
public final class ManualClock: Clock, Sendable {
  /// A point on a ``ManualClock``'s timeline: a duration since the clock's origin.
  public struct Instant: InstantProtocol, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// How far this instant lies after the clock's origin (negative means before).
    public var offset: Duration

    /// Creates an instant `offset` after the origin.
    public init(offset: Duration) { self.offset = offset }

    /// The origin of every manual clock's timeline.
    public static let zero = Instant(offset: .zero)

    /// The instant `duration` later than this one.
    public func advanced(by duration: Duration) -> Instant {
      Instant(offset: offset + duration)
    }

    /// The duration from this instant to `other` (negative if `other` is earlier).
    public func duration(to other: Instant) -> Duration { other.offset - offset }

    /// Orders instants along the timeline.
    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }

    /// The offset from the origin, for example `30.0 seconds`.
    public var description: String { "\(offset)" }
  }

  private struct Sleeper {
    let id: UInt64
    let deadline: Instant
    let continuation: CheckedContinuation<Void, any Error>
  }

  private struct SleeperCountWaiter {
    let id: UInt64
    let count: Int
    let continuation: CheckedContinuation<Void, Never>
  }

  private struct State {
    var now: Instant
    var nextSleeperID: UInt64 = 0
    /// Sorted by (deadline, id), so the next to wake is always first.
    var sleepers: [Sleeper] = []
    var sleeperCountWaiters: [SleeperCountWaiter] = []
    var nextWaiterID: UInt64 = 0
    /// Bumped whenever a sleep starts or ends; `advance` uses it to tell when things go quiet.
    var activity: UInt64 = 0

    mutating func insert(_ sleeper: Sleeper) {
      let index =
        sleepers.firstIndex {
          ($0.deadline, $0.id) > (sleeper.deadline, sleeper.id)
        } ?? sleepers.endIndex
      sleepers.insert(sleeper, at: index)
      activity &+= 1
    }

    /// Waiters whose requested count is now reached; the caller resumes them outside the lock.
    mutating func takeSatisfiedCountWaiters() -> [CheckedContinuation<Void, Never>] {
      let ready = sleeperCountWaiters.filter { sleepers.count >= $0.count }
      sleeperCountWaiters.removeAll { sleepers.count >= $0.count }
      return ready.map(\.continuation)
    }
  }

  // Not a plain `Mutex`: ThreadSanitizer cannot see a contended futex hand-off on Linux.
  private let state: SanitizerVisibleMutex<State>

  /// Creates a clock whose ``now`` is `start`.
  public init(startingAt start: Instant = .zero) {
    state = SanitizerVisibleMutex(State(now: start))
  }

  /// The current instant. It changes only through ``advance(by:)`` and ``advance(to:)``.
  public var now: Instant { state.withLock { $0.now } }

  /// Zero: a manual clock has no granularity of its own.
  public var minimumResolution: Duration { .zero }

  /// How many tasks are asleep on this clock right now.
  public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

  /// The earliest deadline of any sleeper, or `nil` if nobody sleeps.
  public var nextDeadline: Instant? { state.withLock { $0.sleepers.first?.deadline } }

  /// Suspends until ``now`` reaches `deadline`. Returns at once if it already has.
  ///
  /// - Throws: `CancellationError` as soon as the calling task is cancelled.
  public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
    try Task.checkCancellation()
    let id = state.withLock { state -> UInt64 in
      state.nextSleeperID &+= 1
      return state.nextSleeperID
    }
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation {
        (continuation: CheckedContinuation<Void, any Error>) in
        enum Registration {
          case sleeping([CheckedContinuation<Void, Never>])
          case due
          case cancelled
        }
        let registration = state.withLock { state -> Registration in
          // Checked under the lock: a cancellation handler that ran before we got here has
          // already set the flag, and one that runs after will find the sleeper to remove.
          if Task.isCancelled { return .cancelled }
          if deadline <= state.now { return .due }
          state.insert(Sleeper(id: id, deadline: deadline, continuation: continuation))
          return .sleeping(state.takeSatisfiedCountWaiters())
        }
        switch registration {
        case .cancelled: continuation.resume(throwing: CancellationError())
        case .due: continuation.resume()
        case .sleeping(let countWaiters):
          for waiter in countWaiters { waiter.resume() }
        }
      }
    } onCancel: {
      let cancelled = state.withLock { state -> Sleeper? in
        guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
        state.activity &+= 1
        return state.sleepers.remove(at: index)
      }
      cancelled?.continuation.resume(throwing: CancellationError())
    }
  }

  /// Moves time forward by `duration`, waking every sleeper whose deadline is reached.
  ///
  /// Equivalent to `advance(to: now.advanced(by: duration))`. A negative duration does nothing.
  public func advance(by duration: Duration) async {
    await advance(to: now.advanced(by: max(duration, .zero)))
  }

  /// Moves time forward to `target`, waking sleepers in deadline order.
  ///
  /// For each deadline up to `target`, ``now`` is set to that deadline, its sleepers are woken,
  /// and the woken tasks get a chance to run, so a sleep they start in turn that falls before
  /// `target` is woken too. Time never moves backwards: an earlier `target` only settles.
  public func advance(to target: Instant) async {
    while true {
      let due = state.withLock { state -> [Sleeper] in
        guard let first = state.sleepers.first, first.deadline <= target else { return [] }
        state.now = max(state.now, first.deadline)
        let count = state.sleepers.prefix { $0.deadline <= state.now }.count
        let batch = Array(state.sleepers.prefix(count))
        state.sleepers.removeFirst(count)
        state.activity &+= 1
        return batch
      }
      if due.isEmpty { break }
      for sleeper in due { sleeper.continuation.resume() }
      await settle()
    }
    state.withLock { $0.now = max($0.now, target) }
    await settle()
  }

  /// Suspends until at least `count` tasks are asleep on this clock, or until the calling task
  /// is cancelled.
  ///
  /// This is the exact way for a test to know that the code under test has reached its next
  /// wait before it advances time. It never times out by itself: give the test a time limit.
  /// When that limit cancels the test, the wait returns, so the test ends instead of hanging
  /// the whole run.
  public func waitForSleepers(count: Int) async {
    let id = state.withLock { state -> UInt64 in
      state.nextWaiterID &+= 1
      return state.nextWaiterID
    }
    await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let ready = state.withLock { state -> Bool in
          // Checked under the lock: a cancellation handler that already ran found no waiter.
          if state.sleepers.count >= count || Task.isCancelled { return true }
          state.sleeperCountWaiters.append(
            SleeperCountWaiter(id: id, count: count, continuation: continuation))
          return false
        }
        if ready { continuation.resume() }
      }
    } onCancel: {
      let cancelled = state.withLock { state -> SleeperCountWaiter? in
        guard let index = state.sleeperCountWaiters.firstIndex(where: { $0.id == id }) else {
          return nil
        }
        return state.sleeperCountWaiters.remove(at: index)
      }
      cancelled?.continuation.resume()
    }
  }

  /// Lets woken tasks run: yields until no sleep has started or ended for a run of yields.
  ///
  /// The bound keeps a task that spins forever from hanging `advance`.
  private func settle() async {
    let quietYieldsNeeded = 24
    let maximumYields = 4_096
    var quietYields = 0
    var lastActivity = state.withLock { $0.activity }
    for _ in 0..<maximumYields {
      await Task.yield()
      let activity = state.withLock { $0.activity }
      if activity == lastActivity {
        quietYields += 1
        if quietYields >= quietYieldsNeeded { return }
      } else {
        quietYields = 0
        lastActivity = activity
      }
    }
  }
}
