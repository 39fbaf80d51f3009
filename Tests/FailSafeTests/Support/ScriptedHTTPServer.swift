import Dispatch
import FailSafe
import Foundation
import Synchronization

/// A real HTTP/1.1 server on 127.0.0.1 for integration tests: it listens on an ephemeral port,
/// answers every request from a script, and records every request it received.
///
/// It runs in-process on its own threads (one accepting, one per connection) with POSIX sockets,
/// keeps connections alive unless the script or the client asks to close, and stops within one
/// poll interval. Use ``withScriptedServer(_:_:)``, which always stops it.
///
/// The script is called on a connection thread, once per request, with the request and its
/// arrival index, so it can answer "200 for the first 10 requests, then 400 for good".
final class ScriptedHTTPServer: Sendable {
  /// The port the server listens on.
  let port: UInt16
  private let listener: Int32
  private let script: HTTPScript
  private let stopping = Atomic<Bool>(false)
  private let running = DispatchGroup()
  private let recorded = LockedValue<[RecordedRequest]>([])
  private let connections = LockedValue(0)

  private init(script: HTTPScript) throws {
    (listener, port) = try LoopbackSocket.listen()
    self.script = script
  }

  /// Starts a server that answers with `script`. Stop it with ``stop()``.
  static func start(script: HTTPScript) throws -> ScriptedHTTPServer {
    let server = try ScriptedHTTPServer(script: script)
    server.running.enter()
    let thread = Thread { [server] in
      server.acceptLoop()
      server.running.leave()
    }
    thread.name = "ScriptedHTTPServer.accept"
    thread.start()
    return server
  }

  /// `http://127.0.0.1:<port>`.
  var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

  /// The URL of `path` (which starts with `/`) on this server.
  func url(_ path: String) -> URL { URL(string: "http://127.0.0.1:\(port)\(path)")! }

  /// Every request received so far, in arrival order.
  var requests: [RecordedRequest] { recorded.withLock { $0 } }

  /// How many connections were accepted so far.
  var connectionCount: Int { connections.value }

  /// Stops accepting, closes every connection and returns once all server threads have ended.
  /// Calling it again does nothing.
  func stop() async {
    stopping.store(true, ordering: .sequentiallyConsistent)
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      running.notify(queue: .global()) { continuation.resume() }
    }
  }

  private var isStopping: Bool { stopping.load(ordering: .sequentiallyConsistent) }

  private func acceptLoop() {
    defer { LoopbackSocket.close(listener) }
    while !isStopping {
      guard LoopbackSocket.waitReadable(listener), let client = LoopbackSocket.accept(listener)
      else { continue }
      let connection = connections.withLock { count in
        defer { count += 1 }
        return count
      }
      running.enter()
      let thread = Thread { [self] in
        serve(client, connection: connection)
        LoopbackSocket.close(client)
        running.leave()
      }
      thread.name = "ScriptedHTTPServer.connection\(connection)"
      thread.start()
    }
  }

  private func serve(_ client: Int32, connection: Int) {
    var buffer: [UInt8] = []
    var reader = HTTPRequestReader()
    while !isStopping {
      let step: HTTPRequestReader.Step
      do {
        step = try reader.next(in: buffer)
      } catch {
        _ = LoopbackSocket.write(
          client, ScriptedResponse.text(400, "\(error)").serialized(keepAlive: false))
        return
      }
      switch step {
      case .needMore:
        guard LoopbackSocket.waitReadable(client) else { continue }
        let bytes = LoopbackSocket.read(client)
        if bytes.isEmpty { return }
        buffer += bytes
      case .expectsContinue:
        guard LoopbackSocket.write(client, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else {
          return
        }
      case .request(let head, let body, let consumed):
        buffer.removeFirst(consumed)
        let request = record(head, body: body, connection: connection)
        let response = script.respond(request)
        let clientCloses =
          head.headers["connection"]?.lowercased() == "close" || head.version == "HTTP/1.0"
        let keepAlive = !(response.closesConnection || clientCloses)
        guard LoopbackSocket.write(client, response.serialized(keepAlive: keepAlive)), keepAlive
        else { return }
      }
    }
  }

  private func record(_ head: HTTPRequestReader.Head, body: Data, connection: Int)
    -> RecordedRequest
  {
    recorded.withLock { requests in
      let request = RecordedRequest(
        index: requests.count, connection: connection, method: head.method,
        target: head.target, headers: head.headers, body: body,
        receivedAt: ContinuousClock().now)
      requests.append(request)
      return request
    }
  }
}

/// Runs `body` with a started ``ScriptedHTTPServer`` and stops the server afterwards, whether
/// `body` returns or throws.
func withScriptedServer<Result>(
  _ script: HTTPScript,
  _ body: (ScriptedHTTPServer) async throws -> Result
) async throws -> Result {
  let server = try ScriptedHTTPServer.start(script: script)
  do {
    let result = try await body(server)
    await server.stop()
    return result
  } catch {
    await server.stop()
    throw error
  }
}
