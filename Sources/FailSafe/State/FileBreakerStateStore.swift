import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A ``BreakerStateStore`` in one JSON file that several processes on one host share.
///
/// - **Atomic writes.** The new content goes to `PATH.tmp` in the same directory, is synced,
///   renamed over `PATH`, and the directory is synced: a crash at any point leaves the old file
///   or the new one, never a torn one.
/// - **Advisory lock.** Saves and updates hold an exclusive `flock` on `PATH.lock` (a separate
///   file that is never replaced, so every process locks the same inode) across
///   read-merge-write, so processes merge instead of overwriting each other. Loads take no lock:
///   the rename makes every read see a whole file. The lock is advisory and needs a local file
///   system (not NFS); the kernel drops it when a holder dies, even by `SIGKILL`.
/// - **Damage.** A damaged file still loads (see ``PersistedStateDocument/read(from:loadedAt:)``); before it is
///   overwritten its bytes are copied to `PATH.damaged` (or the first free `PATH.damaged.N`,
///   up to seven more; copies are never overwritten) for inspection. A file written by a newer
///   schema, or one that does not look like a state file at all (a wrong path), is never
///   overwritten.
/// - **Size.** Writes are bounded by ``StateSizeBound``, which bounds the file in bytes
///   (``StateSizeBound/maximumFileBytes``); reads accept at least that much (and at least
///   `maximumFileBytes`), so every file this store writes is read whole. A larger file is read
///   up to that size (the rest is treated as cut off).
///
/// Calls are asynchronous but do their disk I/O and take the lock on the calling task's thread;
/// the lock is held only for one small read and write.
public struct FileBreakerStateStore: BreakerStateStore {
  /// The state file's path.
  public let path: String
  /// The bound applied to every document written.
  public var sizeBound: StateSizeBound
  /// The most bytes read from the file, raised to ``StateSizeBound/maximumFileBytes`` of
  /// ``sizeBound`` when that is larger (see ``readLimit``). Default 16 MiB.
  public var maximumFileBytes: Int
  /// Stamps `savedAt`, and stands in for damaged `updatedAt` dates.
  public var wallClock: WallClock
  /// The last bytes read or written and what they read as, so an unchanged file is not parsed
  /// again (a periodic sync of a large file costs a read and a compare). Shared by copies.
  private let cache = StateFileCache()

  /// Creates a store for the file at `path` (created on first save; its directory must exist).
  public init(
    path: String, sizeBound: StateSizeBound = StateSizeBound(),
    maximumFileBytes: Int = 16 << 20, wallClock: WallClock = .system
  ) {
    self.path = path
    self.sizeBound = sizeBound
    self.maximumFileBytes = max(1, maximumFileBytes)
    self.wallClock = wallClock
  }

  /// The most bytes a load reads: ``maximumFileBytes``, or the largest file ``sizeBound``
  /// lets this store write if that is more, so nothing this store wrote is read as cut off.
  public var readLimit: Int { max(maximumFileBytes, sizeBound.maximumFileBytes) }

  /// The lock file's path: `PATH.lock`.
  public var lockPath: String { path + ".lock" }
  /// Where new content is written before the rename: `PATH.tmp`. One fixed name is safe because
  /// only the lock holder writes it.
  public var temporaryPath: String { path + ".tmp" }
  /// Where a damaged file's bytes are copied before it is overwritten: `PATH.damaged`, or, if
  /// that holds an earlier damaged file, `PATH.damaged.1` to `PATH.damaged.7` (the first free
  /// one; an existing copy is never overwritten).
  public var damagedCopyPath: String { path + ".damaged" }

  /// `true` if the state file exists.
  public var exists: Bool {
    var status = stat()
    return stat(path, &status) == 0
  }

  /// Reads the file; a missing file reads as an empty document without diagnostics.
  public func load() async throws -> StateDocumentReading {
    try loadSynchronously()
  }

  /// Merges `document` into the file under the lock, and writes the result if it changed.
  public func save(_ document: PersistedStateDocument) async throws -> StateDocumentReading {
    try saveSynchronously(document)
  }

  /// Runs `edit` on the file's document under the lock and writes the result.
  public func update(
    _ edit: (inout PersistedStateDocument) throws -> Void
  ) async throws -> StateDocumentReading {
    try updateSynchronously(edit)
  }

  /// ``load()`` on the calling thread, for callers that cannot await (a fuzz harness).
  package func loadSynchronously() throws -> StateDocumentReading {
    try readFile().reading
  }

  /// ``save(_:)`` on the calling thread, for callers that cannot await (a fuzz harness).
  package func saveSynchronously(
    _ document: PersistedStateDocument
  ) throws -> StateDocumentReading {
    try withLock {
      let stored = try readFile()
      let merged = stored.reading.document.merged(with: document.normalized())
      return try write(merged, over: stored)
    }
  }

  /// ``update(_:)`` on the calling thread.
  package func updateSynchronously(
    _ edit: (inout PersistedStateDocument) throws -> Void
  ) throws -> StateDocumentReading {
    try withLock {
      let stored = try readFile()
      var document = stored.reading.document
      try edit(&document)
      return try write(document.normalized(), over: stored)
    }
  }

  private struct StoredFile {
    /// The bytes read, or `nil` if the file does not exist.
    var bytes: [UInt8]?
    var reading: StateDocumentReading
    var permissions: mode_t?
  }

  private func readFile() throws -> StoredFile {
    guard let descriptor = try SystemCalls.open(path, O_RDONLY) else {
      return StoredFile(
        bytes: nil, reading: StateDocumentReading(document: PersistedStateDocument()))
    }
    defer { SystemCalls.close(descriptor) }
    guard SystemCalls.isRegularFile(descriptor) else {
      throw StateStoreError.notARegularFile(path: path)
    }
    let limit = readLimit
    let (bytes, truncated) = try SystemCalls.readAll(descriptor, path: path, limit: limit)
    var reading: StateDocumentReading
    if !truncated, let cached = cache.reading(of: bytes) {
      reading = cached
    } else {
      reading = StateDocumentReader.read(bytes, loadedAt: wallClock.now())
    }
    if truncated {
      reading.diagnostics.insert(
        StateDiagnostic(
          message: "the file is larger than \(limit) bytes; only that much was read"),
        at: 0)
    } else {
      cache.remember(bytes, as: reading)
    }
    return StoredFile(
      bytes: bytes, reading: reading, permissions: SystemCalls.permissions(descriptor))
  }

  private func write(
    _ document: PersistedStateDocument, over stored: StoredFile
  ) throws -> StateDocumentReading {
    let storedDocument = stored.reading.document
    if stored.bytes != nil, !stored.reading.isStateFile {
      throw StateStoreError.notAStateFile(path: path)
    }
    if storedDocument.isFromNewerVersion {
      throw StateStoreError.newerVersion(path: path, version: storedDocument.version)
    }
    let bound = sizeBound.apply(to: document)
    var diagnostics = stored.reading.diagnostics
    if !bound.droppedHeld.isEmpty {
      diagnostics.append(
        StateDiagnostic(
          message:
            "dead or paused credentials alone exceed the bound of \(sizeBound.maximumEntries) "
            + "entries; dropped the \(bound.droppedHeld.count) least recently updated"))
    }
    var candidate = bound.document
    candidate.version = PersistedStateDocument.currentVersion
    candidate.savedAt = storedDocument.savedAt
    // Both sides are normalized (see `PersistedStateDocument.normalized()`), so equal
    // documents mean equal files: nothing to write.
    if stored.bytes != nil, !stored.reading.isDamaged,
      storedDocument.version == PersistedStateDocument.currentVersion,
      candidate.credentials == storedDocument.credentials
    {
      return StateDocumentReading(document: candidate, diagnostics: diagnostics)
    }
    var keptCopy: String?
    if stored.reading.isDamaged, let bytes = stored.bytes {
      keptCopy = try keepDamagedCopy(bytes, permissions: stored.permissions)
      if keptCopy == nil {
        diagnostics.append(
          StateDiagnostic(
            message:
              "\(Self.maximumDamagedCopies) damaged copies are kept already; this damaged file "
              + "was repaired without a copy"))
      }
    }
    candidate.savedAt = StateDate.rounded(wallClock.now())
    let bytes = Array(try candidate.encoded())
    try atomicWrite(bytes, to: path, permissions: stored.permissions)
    cache.remember(bytes, as: StateDocumentReading(document: candidate))
    var written = StateDocumentReading(document: candidate, diagnostics: diagnostics)
    written.damagedCopyPath = keptCopy
    return written
  }

  /// The most copies of damaged files kept: `PATH.damaged`, then `PATH.damaged.1` and on.
  static let maximumDamagedCopies = 8

  /// Where damaged copies go, in the order they are used.
  var damagedCopyPaths: [String] {
    [damagedCopyPath] + (1..<Self.maximumDamagedCopies).map { "\(damagedCopyPath).\($0)" }
  }

  /// Copies a damaged file's bytes to the first free damaged-copy path, never over an older
  /// copy (which may hold entries the repaired file lacks), and answers the copy's path; `nil`
  /// if every path is taken. Bytes already kept in one copy are not copied again: that copy's
  /// path is the answer.
  private func keepDamagedCopy(_ bytes: [UInt8], permissions: mode_t?) throws -> String? {
    for copy in damagedCopyPaths {
      guard let descriptor = try SystemCalls.open(copy, O_RDONLY) else {
        try atomicWrite(bytes, to: copy, permissions: permissions)
        return copy
      }
      defer { SystemCalls.close(descriptor) }
      let (kept, truncated) = try SystemCalls.readAll(descriptor, path: copy, limit: bytes.count)
      if !truncated, kept == bytes { return copy }
    }
    return nil
  }

  /// Writes `bytes` to `destination` through `destination.tmp`: write, fsync, rename, fsync
  /// the directory.
  private func atomicWrite(_ bytes: [UInt8], to destination: String, permissions: mode_t?) throws {
    let temporary = destination + ".tmp"
    guard
      let descriptor = try SystemCalls.open(
        temporary, O_WRONLY | O_CREAT | O_TRUNC, mode: permissions ?? 0o600)
    else { throw StateStoreError.fileSystem(operation: "create", path: temporary, errno: ENOENT) }
    do {
      if let permissions { _ = fchmod(descriptor, permissions) }
      try SystemCalls.writeAll(descriptor, bytes, path: temporary)
      try SystemCalls.sync(descriptor, path: temporary)
      SystemCalls.close(descriptor)
    } catch {
      SystemCalls.close(descriptor)
      _ = unlink(temporary)
      throw error
    }
    do {
      try SystemCalls.rename(temporary, destination)
    } catch {
      _ = unlink(temporary)
      throw error
    }
    let directory = (destination as NSString).deletingLastPathComponent
    if let directoryDescriptor = try? SystemCalls.open(
      directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY)
    {
      defer { SystemCalls.close(directoryDescriptor) }
      try SystemCalls.sync(directoryDescriptor, path: directory)
    }
  }

  private func withLock<Result>(_ body: () throws -> Result) throws -> Result {
    guard let descriptor = try SystemCalls.open(lockPath, O_RDWR | O_CREAT, mode: 0o600) else {
      throw StateStoreError.fileSystem(operation: "create", path: lockPath, errno: ENOENT)
    }
    defer { SystemCalls.close(descriptor) }
    try SystemCalls.lock(descriptor, exclusive: true, path: lockPath)
    defer { SystemCalls.unlock(descriptor) }
    return try body()
  }
}

/// The last state file content a ``FileBreakerStateStore`` read or wrote, with its reading.
private final class StateFileCache: Sendable {
  private struct Entry {
    var bytes: [UInt8]
    var reading: StateDocumentReading
  }

  private let entry = SanitizerVisibleMutex<Entry?>(nil)

  /// The reading of `bytes` if they are exactly the remembered ones.
  func reading(of bytes: [UInt8]) -> StateDocumentReading? {
    entry.withLock { entry in entry?.bytes == bytes ? entry?.reading : nil }
  }

  func remember(_ bytes: [UInt8], as reading: StateDocumentReading) {
    entry.withLock { $0 = Entry(bytes: bytes, reading: reading) }
  }
}
