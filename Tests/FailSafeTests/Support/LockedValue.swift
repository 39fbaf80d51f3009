@testable import FailSafe

/// A shared, lock-protected value that escaping test closures and server threads can capture.
///
/// Built on the library's `SanitizerVisibleMutex`: a plain `Synchronization.Mutex` hands a
/// contended lock over in the kernel, which ThreadSanitizer cannot follow, so it would report
/// every guarded access as a race. Every lock in the tests goes through this type.
final class LockedValue<Value: Sendable>: Sendable {
  private let storage: SanitizerVisibleMutex<Value>

  init(_ value: Value) { storage = SanitizerVisibleMutex(value) }

  var value: Value { withLock { $0 } }

  func withLock<Result, Failure: Error>(
    _ body: (inout sending Value) throws(Failure) -> sending Result
  ) throws(Failure) -> sending Result {
    try storage.withLock(body)
  }
}
