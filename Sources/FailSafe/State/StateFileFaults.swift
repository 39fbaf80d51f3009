import Synchronization

/// Fault injection for this package's crash tests, not for users (hence `package`).
///
/// A test helper process installs a hook that stops the process in the middle of writing a state
/// file, so the kill-during-write test kills it at a known point instead of polling for one.
/// Unset, it costs one uncontended lock per 16 KiB chunk written, beside a `write` system call.
package enum StateFileFaults {
  /// Called after each chunk with the bytes written so far and the total being written.
  package typealias ChunkWritten = @Sendable (_ written: Int, _ total: Int) -> Void

  private static let chunkWrittenHook = SanitizerVisibleMutex<ChunkWritten?>(nil)

  /// Installs (or, with `nil`, removes) the hook called after each chunk of a state file write.
  package static func onChunkWritten(_ hook: ChunkWritten?) {
    chunkWrittenHook.withLock { $0 = hook }
  }

  static func chunkWritten(_ written: Int, of total: Int) {
    guard let hook = chunkWrittenHook.withLock({ $0 }) else { return }
    hook(written, total)
  }
}
