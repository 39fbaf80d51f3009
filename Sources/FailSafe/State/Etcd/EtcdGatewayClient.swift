import Foundation
import Synchronization

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Posts JSON to the etcd v3 gateway (`/v3/kv/...`) of the first endpoint that answers, and
/// reads the answer up to a byte bound (a larger one is cancelled, never read whole).
final class EtcdGatewayClient: Sendable {
  private let configuration: EtcdStoreConfiguration
  private let collector: EtcdResponseCollector
  private let session: URLSession
  /// The endpoint that answered last: the first one tried next time.
  private let preferred = Atomic<Int>(0)

  init(configuration: EtcdStoreConfiguration) {
    self.configuration = configuration
    let collector = EtcdResponseCollector()
    self.collector = collector
    let sessionConfiguration = URLSessionConfiguration.ephemeral
    sessionConfiguration.timeoutIntervalForRequest = Self.seconds(configuration.requestTimeout)
    sessionConfiguration.httpMaximumConnectionsPerHost = 4
    session = URLSession(
      configuration: sessionConfiguration, delegate: collector, delegateQueue: nil)
  }

  deinit {
    // The session holds its delegate strongly until invalidated.
    session.finishTasksAndInvalidate()
  }

  private static func seconds(_ duration: Duration) -> TimeInterval {
    let parts = duration.components
    return max(0.001, Double(parts.seconds) + Double(parts.attoseconds) * 1e-18)
  }

  /// Posts `body` to `path` (`/v3/kv/range`) and decodes the answer.
  func post<Body: Encodable, Answer: Decodable>(
    _ path: String, _ body: Body, as answer: Answer.Type
  ) async throws -> Answer {
    let endpoints = configuration.endpoints
    guard !endpoints.isEmpty else {
      throw EtcdStoreError.invalidConfiguration("no endpoint given")
    }
    let payload = try EtcdWire.encoder.encode(body)
    let first = preferred.load(ordering: .relaxed)
    var problems: [String] = []
    for step in 0..<endpoints.count {
      let index = (first &+ step) % endpoints.count
      let endpoint = endpoints[index]
      let url = endpoint.appendingPathComponent(String(path.drop(while: { $0 == "/" })))
      var request = URLRequest(url: url)
      request.httpMethod = "POST"
      request.httpBody = payload
      request.timeoutInterval = Self.seconds(configuration.requestTimeout)
      request.setValue("application/json", forHTTPHeaderField: "Content-Type")
      #if canImport(FoundationNetworking)
        // A pooled connection to a member that died ends with no response, which
        // FoundationNetworking treats as a fatal error ("Transfer completed, but there's no
        // response"): one connection per request instead, which costs a TCP handshake.
        request.setValue("close", forHTTPHeaderField: "Connection")
      #endif
      if let authentication = configuration.authentication {
        request.setValue(authentication.headerValue, forHTTPHeaderField: "Authorization")
      }
      let name = endpoint.absoluteString
      let outcome: EtcdResponseCollector.Outcome
      do {
        outcome = try await collector.perform(
          request, on: session, limit: configuration.maximumResponseBytes)
      } catch let error as URLError {
        problems.append("\(name): \(error.localizedDescription) (URLError \(error.code.rawValue))")
        continue
      } catch is EtcdResponseCollector.TooLarge {
        throw EtcdStoreError.responseTooLarge(
          endpoint: name, limit: configuration.maximumResponseBytes)
      }
      let status = outcome.status
      if status == 502 || status == 503 || status == 504 {
        // A member without a leader, or a proxy without a member: try the next one.
        problems.append("\(name): HTTP \(status) \(Self.message(in: outcome.body))")
        continue
      }
      guard (200..<300).contains(status) else {
        throw EtcdStoreError.rejected(
          endpoint: name, status: status, message: Self.message(in: outcome.body))
      }
      preferred.store(index, ordering: .relaxed)
      do {
        return try EtcdWire.decoder.decode(Answer.self, from: Data(outcome.body))
      } catch {
        throw EtcdStoreError.malformedResponse(endpoint: name, problem: "\(error)")
      }
    }
    throw EtcdStoreError.unreachable(problems)
  }

  /// etcd's message in an error body, bounded, or the body's start.
  private static func message(in body: [UInt8]) -> String {
    let decoded = try? EtcdWire.decoder.decode(EtcdWire.ErrorResponse.self, from: Data(body))
    let text = decoded?.message ?? decoded?.error ?? String(decoding: body, as: UTF8.self)
    return StateText.bounded(text, to: 200)
  }
}

/// The session delegate that gathers each response's bytes up to a bound.
///
/// `@unchecked Sendable`: `NSObject` is not `Sendable`, but this class adds only a `Mutex`
/// and is final; every mutable state is behind that mutex.
final class EtcdResponseCollector: NSObject, URLSessionDataDelegate, @unchecked Sendable {
  /// A response's status and body.
  struct Outcome: Sendable {
    var status: Int
    var body: [UInt8]
  }

  /// The response was larger than the bound.
  struct TooLarge: Error {}

  private struct Pending {
    var continuation: CheckedContinuation<Outcome, any Error>
    var body: [UInt8] = []
    var limit: Int
    var tooLarge = false
  }

  private let pending = SanitizerVisibleMutex<[Int: Pending]>([:])

  /// Runs `request` and returns its response, or throws `TooLarge` or the `URLError`.
  func perform(_ request: URLRequest, on session: URLSession, limit: Int) async throws -> Outcome {
    let task = session.dataTask(with: request)
    let identifier = task.taskIdentifier
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        pending.withLock {
          $0[identifier] = Pending(continuation: continuation, limit: limit)
        }
        task.resume()
      }
    } onCancel: {
      task.cancel()
    }
  }

  func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
    let cancel = pending.withLock { pending -> Bool in
      guard var entry = pending[dataTask.taskIdentifier], !entry.tooLarge else { return false }
      // `body.count <= limit` always holds, so the subtraction cannot go below zero.
      if data.count > entry.limit - entry.body.count {
        entry.tooLarge = true
        entry.body = []
        pending[dataTask.taskIdentifier] = entry
        return true
      }
      entry.body.append(contentsOf: data)
      pending[dataTask.taskIdentifier] = entry
      return false
    }
    if cancel { dataTask.cancel() }
  }

  func urlSession(
    _ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?
  ) {
    guard let entry = pending.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else {
      return
    }
    if entry.tooLarge {
      entry.continuation.resume(throwing: TooLarge())
    } else if let error {
      entry.continuation.resume(
        throwing: (error as? URLError)
          ?? URLError(.unknown, userInfo: [NSUnderlyingErrorKey: error]))
    } else {
      let status = (task.response as? HTTPURLResponse)?.statusCode ?? 0
      entry.continuation.resume(returning: Outcome(status: status, body: entry.body))
    }
  }
}
