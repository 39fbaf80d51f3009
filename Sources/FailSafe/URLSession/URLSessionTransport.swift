import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Sends one `URLRequest` with a credential through a `URLSession`: the piece of a call that the
/// retry executor repeats.
///
/// The credential is applied by the user's closure (an `Authorization` header, an API key
/// header, a query item), so the transport never sees how secrets are laid out. A response whose
/// status is not 2xx is thrown as a ``ProviderResponseError`` stamped with ``wallClock``'s time,
/// for the classifier; transport failures are rethrown as the `URLError` URLSession gave.
public struct URLSessionTransport<Credential: Sendable>: Sendable {
  /// Writes `credential` into `request`.
  public typealias Authorizer = @Sendable (inout URLRequest, Credential) -> Void

  /// The session requests go through.
  public let session: URLSession
  /// The wall clock that stamps ``ProviderResponse/receivedAt``.
  public let wallClock: @Sendable () -> Date
  /// Applies the credential to each request.
  public let authorize: Authorizer

  /// Creates a transport.
  ///
  /// - Parameters:
  ///   - session: the session to use; `URLSession.shared` by default.
  ///   - wallClock: the time source for `receivedAt`; the system's wall clock by default.
  ///   - authorize: writes the credential into each request.
  public init(
    session: URLSession = .shared,
    wallClock: @escaping @Sendable () -> Date = { Date() },
    authorize: @escaping Authorizer
  ) {
    self.session = session
    self.wallClock = wallClock
    self.authorize = authorize
  }

  /// Sends `request` with `credential` applied.
  ///
  /// - Returns: the body and the response, for a 2xx status.
  /// - Throws: ``ProviderResponseError`` for any other status; the `URLError` (or other error)
  ///   URLSession threw; `CancellationError` if the task was cancelled before sending.
  public func send(_ request: URLRequest, with credential: Credential) async throws -> (
    Data, HTTPURLResponse
  ) {
    try Task.checkCancellation()
    var authorized = request
    authorize(&authorized, credential)
    let (data, response) = try await session.data(for: authorized)
    guard let http = response as? HTTPURLResponse else {
      throw URLError(.badServerResponse)
    }
    guard (200..<300).contains(http.statusCode) else {
      throw ProviderResponseError(
        ProviderResponse(data: data, response: http, receivedAt: wallClock()))
    }
    return (data, http)
  }
}

extension URLSessionTransport where Credential == String {
  /// A transport that sends the credential as `Authorization: Bearer <credential>`.
  public static func bearer(
    session: URLSession = .shared, wallClock: @escaping @Sendable () -> Date = { Date() }
  ) -> URLSessionTransport {
    URLSessionTransport(session: session, wallClock: wallClock) { request, token in
      request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
    }
  }

  /// A transport that sends the credential in the header `name`, such as `x-api-key` or
  /// `x-goog-api-key`.
  public static func apiKeyHeader(
    _ name: String, session: URLSession = .shared,
    wallClock: @escaping @Sendable () -> Date = { Date() }
  ) -> URLSessionTransport {
    URLSessionTransport(session: session, wallClock: wallClock) { request, key in
      request.setValue(key, forHTTPHeaderField: name)
    }
  }
}
