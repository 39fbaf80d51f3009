#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The yardsticks every FailSafe figure is read against, measured in the same run.
enum BaselineBenchmarks {
  /// The baselines.
  static let all: [Benchmark] = [bareCall, pthreadMutexPair]

  /// The protected operation with no FailSafe around it.
  static let bareCall = Benchmark(
    name: "baseline.bareCall",
    summary: "the protected operation called bare (opaque call + black hole)",
    measurement: .timePerOperation {
      { n in
        for i in 0..<n { blackHole(protectedOperation(i)) }
      }
    })

  /// One uncontended `pthread_mutex_lock` / `pthread_mutex_unlock` round trip.
  static let pthreadMutexPair = Benchmark(
    name: "baseline.pthreadMutexPair",
    summary: "one uncontended pthread_mutex lock/unlock round trip",
    measurement: .timePerOperation {
      let mutex = PThreadMutex()
      return { n in
        for _ in 0..<n { mutex.lockAndUnlock() }
      }
    })
}

/// A heap-allocated `pthread_mutex_t` (it must not move once initialised).
///
/// `@unchecked Sendable`: a pthread mutex is made to be shared between threads, and the pointer
/// itself is never reassigned after `init`.
final class PThreadMutex: @unchecked Sendable {
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>

  init() {
    mutex = .allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    pthread_mutex_init(mutex, nil)
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  /// Locks and at once unlocks the mutex: the cost of an uncontended critical section.
  @inline(__always)
  func lockAndUnlock() {
    pthread_mutex_lock(mutex)
    pthread_mutex_unlock(mutex)
  }
}
