import Synchronization

/// A shared, lock-protected value that escaping test closures can capture.
final class LockedValue<Value: Sendable>: Sendable {
  private let storage: Mutex<Value>
  init(_ value: Value) { storage = Mutex(value) }
  var value: Value { storage.withLock { $0 } }
  func withLock<Result: Sendable>(_ body: (inout sending Value) -> sending Result) -> Result {
    storage.withLock(body)
  }
}
