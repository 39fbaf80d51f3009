import Foundation

/// A provider's failed answer as it came off the wire: status, headers and body bytes.
public struct ProviderResponse: Sendable, Hashable {
  /// The HTTP status code.
  public var status: Int
  /// The response headers, looked up case-insensitively.
  public var headers: HTTPHeaderFields
  /// The raw body. Classifiers inspect at most a bounded prefix of it.
  public var body: Data
  /// When the response was received, by the caller's wall clock. Used to turn absolute reset
  /// times into waits when the response carries no `date` header; `nil` if unknown.
  public var receivedAt: Date?

  /// Creates a response from its parts.
  public init(
    status: Int, headers: HTTPHeaderFields = HTTPHeaderFields(), body: Data = Data(),
    receivedAt: Date? = nil
  ) {
    self.status = status
    self.headers = headers
    self.body = body
    self.receivedAt = receivedAt
  }

  /// Creates a response whose body is the UTF-8 bytes of `body`.
  public init(
    status: Int, headers: HTTPHeaderFields = HTTPHeaderFields(), body: String,
    receivedAt: Date? = nil
  ) {
    self.init(status: status, headers: headers, body: Data(body.utf8), receivedAt: receivedAt)
  }
}
