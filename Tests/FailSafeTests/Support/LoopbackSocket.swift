#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Thin wrappers over the POSIX socket calls the scripted server needs, hiding the differences
/// between Glibc and Darwin.
enum LoopbackSocket {
  struct SocketError: Error, CustomStringConvertible {
    let call: String
    let code: Int32
    var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
  }

  /// How long one `poll` waits before the caller checks whether the server is stopping.
  static let pollMilliseconds: Int32 = 20

  /// A listening TCP socket bound to 127.0.0.1 on an ephemeral port, and that port.
  static func listen() throws -> (descriptor: Int32, port: UInt16) {
    let descriptor = try boundSocket(port: 0, reusingAddress: true)
    guard systemListen(descriptor, 64) == 0 else {
      let code = errno
      close(descriptor)
      throw SocketError(call: "listen", code: code)
    }
    var address = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        getsockname(descriptor, $0, &length)
      }
    }
    guard named == 0 else {
      let code = errno
      close(descriptor)
      throw SocketError(call: "getsockname", code: code)
    }
    return (descriptor, UInt16(bigEndian: address.sin_port))
  }

  /// A TCP socket bound to 127.0.0.1:`port` that does not listen, or `nil` if the port is
  /// taken. While it is open no other socket can take the port, and a connection to it is
  /// refused. No `SO_REUSEADDR`, so a port that still has a listener is never shared.
  static func holdWithoutListening(port: UInt16) -> Int32? {
    try? boundSocket(port: port, reusingAddress: false)
  }

  /// A TCP socket bound to 127.0.0.1:`port` (0: an ephemeral port).
  private static func boundSocket(port: UInt16, reusingAddress: Bool) throws -> Int32 {
    #if canImport(Glibc)
      let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
      let descriptor = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard descriptor >= 0 else { throw SocketError(call: "socket", code: errno) }
    if reusingAddress {
      var reuse: Int32 = 1
      _ = setsockopt(
        descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
    }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0 else {
      let code = errno
      close(descriptor)
      throw SocketError(call: "bind", code: code)
    }
    return descriptor
  }

  /// Waits up to ``pollMilliseconds`` for `descriptor` to become readable.
  static func waitReadable(_ descriptor: Int32) -> Bool {
    var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
    return poll(&request, 1, pollMilliseconds) > 0
  }

  /// Accepts one pending connection, or `nil`.
  static func accept(_ descriptor: Int32) -> Int32? {
    #if canImport(Glibc)
      let client = Glibc.accept(descriptor, nil, nil)
    #else
      let client = Darwin.accept(descriptor, nil, nil)
    #endif
    guard client >= 0 else { return nil }
    #if canImport(Darwin)
      var noSignal: Int32 = 1
      _ = setsockopt(
        client, SOL_SOCKET, SO_NOSIGPIPE, &noSignal, socklen_t(MemoryLayout<Int32>.size))
    #endif
    return client
  }

  /// Reads what is available, up to 16 KiB; empty at end of stream or on error.
  static func read(_ descriptor: Int32) -> [UInt8] {
    var chunk = [UInt8](repeating: 0, count: 16_384)
    let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
    return count > 0 ? Array(chunk[0..<count]) : []
  }

  /// Writes every byte; `false` if the peer went away. Never raises SIGPIPE.
  static func write(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
    #if canImport(Glibc)
      let flags = Int32(MSG_NOSIGNAL)
    #else
      let flags: Int32 = 0
    #endif
    var offset = 0
    while offset < bytes.count {
      let sent = bytes.withUnsafeBytes {
        send(descriptor, $0.baseAddress! + offset, bytes.count - offset, flags)
      }
      if sent < 0, errno == EINTR { continue }
      guard sent > 0 else { return false }
      offset += sent
    }
    return true
  }

  /// Closes a descriptor.
  static func close(_ descriptor: Int32) {
    #if canImport(Glibc)
      _ = Glibc.close(descriptor)
    #else
      _ = Darwin.close(descriptor)
    #endif
  }
}

#if canImport(Glibc)
  private func systemListen(_ descriptor: Int32, _ backlog: Int32) -> Int32 {
    Glibc.listen(descriptor, backlog)
  }
#else
  private func systemListen(_ descriptor: Int32, _ backlog: Int32) -> Int32 {
    Darwin.listen(descriptor, backlog)
  }
#endif
