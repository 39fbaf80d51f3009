#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A value guarded by a POSIX mutex, for state that is touched on every retry decision but not
/// on a breaker's hot path.
///
/// Why not `Synchronization.Mutex`: on Linux it parks on raw futex system calls that
/// ThreadSanitizer cannot see, so every access it guards is reported as a data race under
/// `swift test --sanitize=thread` (reproduced with Swift 6.3 on Linux: a `Mutex<Int>` counter
/// incremented from 8 threads reports races; the same counter under a pthread mutex reports
/// none). The concurrency suites run under the sanitizer, so shared state here uses a lock it
/// understands.
final class PosixLocked<Value: Sendable>: @unchecked Sendable {
  // @unchecked: `value` is read and written only inside `withLock`, between
  // `pthread_mutex_lock` and `pthread_mutex_unlock` on `mutex`, which lives as long as `self`.
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  private var value: Value

  init(_ value: Value) {
    mutex = .allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    let status = pthread_mutex_init(mutex, nil)
    precondition(status == 0, "pthread_mutex_init failed with \(status)")
    self.value = value
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deinitialize(count: 1)
    mutex.deallocate()
  }

  /// Runs `body` with exclusive access to the value. `body` must not call back into this lock.
  func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body(&value)
  }
}
