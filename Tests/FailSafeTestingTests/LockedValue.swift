import FailSafe

/// A shared, lock-protected value that escaping test closures can capture.
///
/// Built on the library's `SanitizerVisibleMutex`, not a plain `Synchronization.Mutex`: the
/// latter hands a contended lock over in the kernel, where ThreadSanitizer cannot follow it.
final class LockedValue<Value: Sendable>: Sendable {
  private let storage: SanitizerVisibleMutex<Value>
  init(_ value: Value) { storage = SanitizerVisibleMutex(value) }
  var value: Value { storage.withLock { $0 } }
  func withLock<Result: Sendable>(_ body: (inout sending Value) -> sending Result) -> Result {
    storage.withLock(body)
  }
}
