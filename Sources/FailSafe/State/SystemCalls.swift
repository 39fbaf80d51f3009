#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Thin, throwing wrappers over the POSIX calls the file store needs. Every descriptor is
/// opened close-on-exec, so a child process never inherits a lock or a half-written file.
enum SystemCalls {
  static func message(for code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
  }

  static func fail(_ operation: String, _ path: String) -> StateStoreError {
    .fileSystem(operation: operation, path: path, errno: errno)
  }

  /// Opens `path`; returns `nil` instead of throwing if it does not exist and `flags` lacks
  /// `O_CREAT`.
  static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o600) throws -> Int32? {
    while true {
      let descriptor = Self.systemOpen(path, flags | O_CLOEXEC, mode)
      if descriptor >= 0 { return descriptor }
      if errno == EINTR { continue }
      if errno == ENOENT, flags & O_CREAT == 0 { return nil }
      throw fail("open", path)
    }
  }

  private static func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    #if canImport(Darwin)
      return Darwin.open(path, flags, mode)
    #elseif canImport(Glibc)
      return Glibc.open(path, flags, mode)
    #else
      return Musl.open(path, flags, mode)
    #endif
  }

  static func close(_ descriptor: Int32) {
    _ = systemClose(descriptor)
  }

  private static func systemClose(_ descriptor: Int32) -> Int32 {
    #if canImport(Darwin)
      return Darwin.close(descriptor)
    #elseif canImport(Glibc)
      return Glibc.close(descriptor)
    #else
      return Musl.close(descriptor)
    #endif
  }

  static func isRegularFile(_ descriptor: Int32) -> Bool {
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { return false }
    return status.st_mode & S_IFMT == S_IFREG
  }

  static func permissions(_ descriptor: Int32) -> mode_t? {
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { return nil }
    return status.st_mode & 0o7777
  }

  /// Reads at most `limit` bytes; `truncated` tells whether more were there.
  static func readAll(_ descriptor: Int32, path: String, limit: Int) throws -> (
    bytes: [UInt8], truncated: Bool
  ) {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while bytes.count <= limit {
      let count = chunk.withUnsafeMutableBytes { buffer in
        read(descriptor, buffer.baseAddress, buffer.count)
      }
      if count < 0 {
        if errno == EINTR { continue }
        throw fail("read", path)
      }
      if count == 0 { return (bytes, false) }
      bytes += chunk[0..<count]
    }
    return (Array(bytes.prefix(limit)), true)
  }

  /// Writes every byte, in chunks of at most 16 KiB (so a large file is several writes, as
  /// on any file system: the rename, not the write, is what makes the update atomic).
  static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], path: String) throws {
    let chunk = 16 * 1024
    var offset = 0
    while offset < bytes.count {
      let count = bytes.withUnsafeBytes { buffer in
        write(descriptor, buffer.baseAddress! + offset, min(chunk, buffer.count - offset))
      }
      if count < 0 {
        if errno == EINTR { continue }
        throw fail("write", path)
      }
      offset += count
      StateFileFaults.chunkWritten(offset, of: bytes.count)
    }
  }

  static func sync(_ descriptor: Int32, path: String) throws {
    while fsync(descriptor) != 0 {
      if errno == EINTR { continue }
      // Some file systems cannot sync a directory; the rename is still atomic there.
      if errno == EINVAL { return }
      throw fail("sync", path)
    }
  }

  static func rename(_ source: String, _ destination: String) throws {
    #if canImport(Darwin)
      let result = Darwin.rename(source, destination)
    #elseif canImport(Glibc)
      let result = Glibc.rename(source, destination)
    #else
      let result = Musl.rename(source, destination)
    #endif
    if result != 0 { throw fail("rename to", destination) }
  }

  /// Takes `flock` on `descriptor` (exclusive or shared), retrying when interrupted.
  static func lock(_ descriptor: Int32, exclusive: Bool, path: String) throws {
    while flock(descriptor, exclusive ? LOCK_EX : LOCK_SH) != 0 {
      if errno == EINTR { continue }
      throw fail("lock", path)
    }
  }

  static func unlock(_ descriptor: Int32) {
    _ = flock(descriptor, LOCK_UN)
  }
}
