import FailSafe
import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// A real request to a loopback server through URLSession, bare and through the executor: not a
/// target (the network stack dominates), but what FailSafe adds to a real call, in proportion.
enum URLSessionBenchmarks {
  /// The URLSession benchmarks.
  static let all: [Benchmark] = [bare, executor]

  /// One `GET` with an API key header on a kept-alive loopback connection, as a service writes
  /// it without FailSafe: the key set on each request, the status checked.
  static let bare = Benchmark(
    name: "baseline.urlSession",
    summary: "one URLSession GET to a loopback server (kept-alive connection)",
    measurement: .timePerOperation {
      let (session, url) = makeSessionAndServer()
      let template = URLRequest(url: url)
      return { n in
        for _ in 0..<n {
          do {
            var request = template
            request.setValue("key", forHTTPHeaderField: "x-api-key")
            let (data, response) = try await session.data(for: request)
            guard (response as? HTTPURLResponse)?.statusCode == 200 else {
              fail("the loopback server answered \(response)")
            }
            blackHole(data)
          } catch {
            fail("\(error)")
          }
        }
      }
    })

  /// The same `GET` through `RetryExecutor.data(for:using:)` (one credential, default
  /// configuration, the key sent by an `apiKeyHeader` transport).
  static let executor = Benchmark(
    name: "executor.urlSession",
    summary: "baseline.urlSession through RetryExecutor.data(for:using:) (one credential)",
    measurement: .timePerOperation {
      let (session, url) = makeSessionAndServer()
      let executor: RetryExecutor<String>
      do {
        executor = RetryExecutor(pool: try CredentialPool(["bench-key": "key"]))
      } catch {
        fail("\(error)")
      }
      let transport = URLSessionTransport.apiKeyHeader("x-api-key", session: session)
      let request = URLRequest(url: url)
      return { n in
        for _ in 0..<n {
          do {
            blackHole(try await executor.data(for: request, using: transport))
          } catch {
            fail("\(error)")
          }
        }
      }
    })

  /// A server of its own (for the life of the process) and a session that keeps its one
  /// connection alive.
  private static func makeSessionAndServer() -> (URLSession, URL) {
    let server: LoopbackHTTPServer
    do {
      server = try LoopbackHTTPServer()
    } catch {
      fail("\(error)")
    }
    let configuration = URLSessionConfiguration.ephemeral
    configuration.httpMaximumConnectionsPerHost = 1
    return (URLSession(configuration: configuration), server.url("/v1/bench"))
  }

  /// A request that fails against a server of our own means the figures would be wrong: stop
  /// with the reason instead of printing them.
  private static func fail(_ reason: String) -> Never {
    printError("URLSession benchmark: \(reason)")
    exit(BenchExitStatus.failure)
  }
}
