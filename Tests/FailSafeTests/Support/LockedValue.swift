import Foundation

/// A shared, lock-protected value that escaping test closures and server threads can capture.
///
/// Built on `NSLock` rather than `Synchronization.Mutex`, whose Linux futex path
/// ThreadSanitizer cannot see (it reports every guarded access as a race).
final class LockedValue<Value: Sendable>: @unchecked Sendable {
  // @unchecked: `storage` is only touched while `lock` is held.
  private let lock = NSLock()
  private var storage: Value

  init(_ value: Value) { storage = value }

  var value: Value { withLock { $0 } }

  func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    lock.lock()
    defer { lock.unlock() }
    return try body(&storage)
  }
}
