import FailSafe
import FailSafeTesting
import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

@Suite(
  "ScriptedHTTPServer Concurrency", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct ScriptedHTTPServerConcurrencyTests {
  @Test func urlSessionFetchesScriptedAnswersAndEveryRequestIsRecorded() async throws {
    let session = URLSession(configuration: .ephemeral)
    defer { session.finishTasksAndInvalidate() }
    try await withScriptedServer(
      HTTPScript { request in
        request.index < 2
          ? .json(200, #"{"n":\#(request.index)}"#, headers: [("X-Request", request.path)])
          : .json(400, #"{"error":{"status":"INVALID_ARGUMENT","reason":"API_KEY_INVALID"}}"#)
      }
    ) { server in
      var request = URLRequest(url: server.url("/v1/models?page=1"))
      request.setValue("Bearer secret-token", forHTTPHeaderField: "Authorization")
      for expected in 0..<2 {
        let (data, response) = try await session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 200)
        #expect(String(decoding: data, as: UTF8.self) == #"{"n":\#(expected)}"#)
        #expect(http.value(forHTTPHeaderField: "x-request") == "/v1/models")
      }
      var post = URLRequest(url: server.url("/v1/generate"))
      post.httpMethod = "POST"
      post.httpBody = Data(repeating: 65, count: 3_000)
      post.setValue("text/plain", forHTTPHeaderField: "Content-Type")
      let (_, response) = try await session.data(for: post)
      #expect((response as? HTTPURLResponse)?.statusCode == 400)

      let requests = server.requests
      #expect(requests.map(\.method) == ["GET", "GET", "POST"])
      #expect(requests.map(\.target) == ["/v1/models?page=1", "/v1/models?page=1", "/v1/generate"])
      #expect(requests.map(\.index) == [0, 1, 2])
      #expect(requests[0].authorization == "Bearer secret-token")
      #expect(requests[0].headers["AUTHORIZATION"] == "Bearer secret-token")
      #expect(requests[2].body == Data(repeating: 65, count: 3_000))
    }
  }

  @Test func connectionsAreKeptAliveOrClosedAsScripted() async throws {
    let session = URLSession(configuration: .ephemeral)
    defer { session.finishTasksAndInvalidate() }
    try await withScriptedServer(
      HTTPScript { request in
        .text(200, "ok", headers: []).closing(request.path == "/close")
      }
    ) { server in
      for _ in 0..<3 { _ = try await session.data(from: server.url("/keep")) }
      #expect(server.connectionCount == 1)
      _ = try await session.data(from: server.url("/close"))
      _ = try await session.data(from: server.url("/keep"))
      #expect(server.connectionCount == 2)
      #expect(server.requests.map(\.connection) == [0, 0, 0, 0, 1])
    }
  }

  @Test func theServerStopsWhenTheBodyThrowsAndRefusesConnectionsAfterwards() async throws {
    struct Boom: Error {}
    let token = UUID().uuidString
    let port = LockedValue<UInt16>(0)
    await #expect(throws: Boom.self) {
      try await withScriptedServer(.always(.text(200, token))) { server in
        port.withLock { $0 = server.port }
        throw Boom()
      }
    }
    let session = URLSession(configuration: .ephemeral)
    defer { session.finishTasksAndInvalidate() }
    let url = try #require(URL(string: "http://127.0.0.1:\(port.value)/after"))
    // A freed port can be handed at once to a server of another test running beside this one
    // (an etcd member is given a port found free), which would answer. So the test holds the
    // port itself: a bind proves the listener is closed, and while it is held nothing else can
    // listen there, so a connection must be refused.
    if let holder = LoopbackSocket.holdWithoutListening(port: port.value) {
      defer { LoopbackSocket.close(holder) }
      await #expect(throws: URLError.self) { _ = try await session.data(from: url) }
    } else {
      // Taken before the test could hold it: whoever answers now must not be this server. (A
      // listener left open that never answers makes the request hang: the time limit fails it.)
      let answer = try? await session.data(from: url)
      #expect(answer.map { String(decoding: $0.0, as: UTF8.self) } != token)
    }
  }

  @Test func concurrentRequestsAreAllAnsweredAndRecorded() async throws {
    let session = URLSession(configuration: .ephemeral)
    defer { session.finishTasksAndInvalidate() }
    try await withScriptedServer(HTTPScript { request in .text(200, request.path) }) { server in
      let bodies = try await withThrowingTaskGroup(of: String.self) { group in
        for index in 0..<20 {
          group.addTask {
            let (data, _) = try await session.data(from: server.url("/job/\(index)"))
            return String(decoding: data, as: UTF8.self)
          }
        }
        return try await group.reduce(into: Set<String>()) { $0.insert($1) }
      }
      #expect(bodies == Set((0..<20).map { "/job/\($0)" }))
      #expect(server.requests.count == 20)
      #expect(Set(server.requests.map(\.index)) == Set(0..<20))
    }
  }
}

extension ScriptedResponse {
  fileprivate func closing(_ closes: Bool) -> ScriptedResponse {
    var copy = self
    copy.closesConnection = closes
    return copy
  }
}
