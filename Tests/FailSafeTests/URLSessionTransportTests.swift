import FailSafe
import FailSafeTesting
import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

@Suite("URLSessionTransport", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct URLSessionTransportTests {
  private let stamp = Date(timeIntervalSince1970: 1_800_000_000)

  @Test func providerResponseTakesStatusBodyHeadersAndTheInjectedTime() throws {
    let url = try #require(URL(string: "https://api.example.com/v1"))
    let http = try #require(
      HTTPURLResponse(
        url: url, statusCode: 429, httpVersion: "HTTP/1.1",
        headerFields: ["Retry-After": "7", "X-RateLimit-Reset-Requests": "1s"]))
    let response = ProviderResponse(data: Data("slow down".utf8), response: http, receivedAt: stamp)
    #expect(response.status == 429)
    #expect(response.headers["retry-after"] == "7")
    #expect(response.headers["RETRY-AFTER"] == "7")
    #expect(response.headers["x-ratelimit-reset-requests"] == "1s")
    #expect(response.body == Data("slow down".utf8))
    #expect(response.receivedAt == stamp)
  }

  @Test func successReturnsTheBodyAndTheCredentialIsAppliedByTheClosure() async throws {
    let session = URLSession(configuration: .ephemeral)
    defer { session.finishTasksAndInvalidate() }
    try await withScriptedServer(.always(.json(200, #"{"ok":true}"#))) { server in
      let transport = URLSessionTransport<String>(session: session) { request, key in
        request.setValue(key, forHTTPHeaderField: "x-goog-api-key")
      }
      let (data, response) = try await transport.send(
        URLRequest(url: server.url("/generate")), with: "key-1")
      #expect(response.statusCode == 200)
      #expect(String(decoding: data, as: UTF8.self) == #"{"ok":true}"#)
      #expect(server.requests.first?.headers["x-goog-api-key"] == "key-1")

      _ = try await URLSessionTransport.bearer(session: session).send(
        URLRequest(url: server.url("/bearer")), with: "token-2")
      _ = try await URLSessionTransport.apiKeyHeader("x-api-key", session: session).send(
        URLRequest(url: server.url("/header")), with: "key-3")
      #expect(server.requests.map(\.authorization) == [nil, "Bearer token-2", nil])
      #expect(server.requests.last?.headers["x-api-key"] == "key-3")
    }
  }

  @Test func aNonSuccessStatusIsThrownWithTheWholeResponseForTheClassifier() async throws {
    let session = URLSession(configuration: .ephemeral)
    defer { session.finishTasksAndInvalidate() }
    let stamp = self.stamp
    try await withScriptedServer(
      HTTPScript { _ in
        .json(429, #"{"error":"slow"}"#, headers: [("Retry-After", "12")])
      }
    ) { server in
      let transport = URLSessionTransport.bearer(session: session, wallClock: { stamp })
      let error = await #expect(throws: ProviderResponseError.self) {
        _ = try await transport.send(URLRequest(url: server.url("/x")), with: "t")
      }
      let response = try #require(error?.response)
      #expect(response.status == 429)
      #expect(response.headers["retry-after"] == "12")
      #expect(response.body == Data(#"{"error":"slow"}"#.utf8))
      #expect(response.receivedAt == stamp)
      #expect(error?.description == "HTTP 429")
      let classification = TestClassifier().classify(thrown: try #require(error))
      #expect(classification.disposition == .retryable)
      #expect(classification.retryAfter == .seconds(12))
    }
  }

  @Test func transportFailuresArriveAsURLErrors() async throws {
    let session = URLSession(configuration: .ephemeral)
    defer { session.finishTasksAndInvalidate() }
    // A server that has stopped leaves a port nobody listens on.
    let url = try await withScriptedServer(.always(.text(200))) { $0.url("/gone") }
    let transport = URLSessionTransport.bearer(session: session)
    let error = await #expect(throws: URLError.self) {
      _ = try await transport.send(URLRequest(url: url), with: "t")
    }
    let classification = TestClassifier().classify(thrown: try #require(error))
    #expect(classification.reason == .connectionLost)
  }
}
