import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The smallest HTTP/1.1 server the URLSession benchmarks need: it listens on 127.0.0.1 on a
/// port the system picks and answers every request on a kept-alive connection with the same
/// `200 OK` and a two-byte body, one thread per connection.
///
/// It lives as long as the benchmark process (a run ends with `exit`); nothing of it outlives
/// that. `@unchecked Sendable`: the listening socket and the port are set once in `init` and
/// only read afterwards; each connection's buffer belongs to its own thread.
final class LoopbackHTTPServer: @unchecked Sendable {
  /// Why the server could not start.
  struct StartError: Error, CustomStringConvertible {
    let step: String
    let code: Int32
    var description: String {
      "loopback server: \(step) failed: \(String(cString: strerror(code)))"
    }
  }

  /// The port it listens on.
  let port: UInt16
  private let listener: Int32

  /// The URL of `path` on this server.
  func url(_ path: String) -> URL {
    // A literal loopback address and a port from the system always make a valid URL.
    URL(string: "http://127.0.0.1:\(port)\(path)") ?? URL(fileURLWithPath: "/")
  }

  /// Starts listening and accepting on a background thread.
  init() throws(StartError) {
    #if canImport(Glibc) || canImport(Musl)
      let socketType = Int32(SOCK_STREAM.rawValue)
    #else
      let socketType = SOCK_STREAM
    #endif
    let descriptor = socket(AF_INET, socketType, 0)
    guard descriptor >= 0 else { throw StartError(step: "socket", code: errno) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
    }
    guard bound == 0, listen(descriptor, 64) == 0 else {
      let code = errno
      close(descriptor)
      throw StartError(step: "bind/listen", code: code)
    }
    let named = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    guard named == 0 else {
      let code = errno
      close(descriptor)
      throw StartError(step: "getsockname", code: code)
    }
    listener = descriptor
    port = UInt16(bigEndian: address.sin_port)
    let thread = Thread { [self] in acceptLoop() }
    thread.start()
  }

  private func acceptLoop() {
    while true {
      let client = accept(listener, nil, nil)
      if client < 0 {
        if errno == EINTR || errno == ECONNABORTED { continue }
        return
      }
      Thread { Self.serve(client) }.start()
    }
  }

  private static let response = Array(
    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok".utf8)

  /// Answers each request whose head has arrived; requests carry no body (GET).
  private static func serve(_ client: Int32) {
    defer { close(client) }
    var pending: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
      if count <= 0 { return }
      pending.append(contentsOf: chunk[0..<count])
      while let end = headEnd(in: pending) {
        pending.removeFirst(end)
        guard sendAll(response, to: client) else { return }
      }
      // A head larger than any real request: not a client of this benchmark.
      if pending.count > 65_536 { return }
    }
  }

  /// The index just past the first `\r\n\r\n`, or `nil`.
  private static func headEnd(in bytes: [UInt8]) -> Int? {
    guard bytes.count >= 4 else { return nil }
    for index in 3..<bytes.count
    where bytes[index] == 10 && bytes[index - 1] == 13 && bytes[index - 2] == 10
      && bytes[index - 3] == 13
    {
      return index + 1
    }
    return nil
  }

  private static func sendAll(_ bytes: [UInt8], to client: Int32) -> Bool {
    var offset = 0
    while offset < bytes.count {
      #if canImport(Glibc) || canImport(Musl)
        let flags = Int32(MSG_NOSIGNAL)
      #else
        let flags: Int32 = 0
      #endif
      let sent = bytes.withUnsafeBytes { buffer -> Int in
        guard let base = buffer.baseAddress else { return 0 }
        return send(client, base + offset, buffer.count - offset, flags)
      }
      if sent <= 0 { return false }
      offset += sent
    }
    return true
  }
}
