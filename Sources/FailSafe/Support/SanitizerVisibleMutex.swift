import Synchronization

/// A `Mutex` whose hand-offs ThreadSanitizer can see.
///
/// On Linux a contended `Mutex` is handed over inside the kernel (a futex), which
/// ThreadSanitizer does not observe, so it reports races on data the lock does protect. An
/// acquiring load on entry and a releasing increment on exit, both inside the lock, make each
/// hand-off visible. They cost two uncontended atomic operations and change nothing else.
///
/// `package` so `FailSafeTesting` (the manual clock) locks the same way.
@usableFromInline
package struct SanitizerVisibleMutex<Value: ~Copyable>: ~Copyable, Sendable {
  @usableFromInline let mutex: Mutex<Value>
  @usableFromInline let handoff = Atomic<UInt64>(0)

  @inlinable
  package init(_ value: consuming sending Value) { mutex = Mutex(value) }

  @inlinable
  package borrowing func withLock<Result: ~Copyable, Failure: Error>(
    _ body: (inout sending Value) throws(Failure) -> sending Result
  ) throws(Failure) -> sending Result {
    try mutex.withLock { (value: inout sending Value) throws(Failure) -> sending Result in
      _ = handoff.load(ordering: .acquiring)
      defer { handoff.add(1, ordering: .releasing) }
      return try body(&value)
    }
  }
}
