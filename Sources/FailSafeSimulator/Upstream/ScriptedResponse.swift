import FailSafe

/// One answer a scripted upstream gives: status, headers and body, as a provider sends them.
public struct ScriptedResponse: Sendable, Hashable {
  /// The HTTP status code.
  public var status: Int
  /// The response headers.
  public var headers: HTTPHeaderFields
  /// The response body as sent.
  public var body: String

  /// Creates a response from its parts.
  public init(status: Int, headers: HTTPHeaderFields = [:], body: String = "") {
    self.status = status
    self.headers = headers
    self.body = body
  }

  /// Whether this is a success (a 2xx status).
  public var isSuccess: Bool { (200..<300).contains(status) }

  /// The response as the classifier's input.
  public var providerResponse: ProviderResponse {
    ProviderResponse(status: status, headers: headers, body: body)
  }

  /// A plain `200 OK` with a small JSON body.
  public static let ok = ScriptedResponse(
    status: 200, headers: ["content-type": "application/json"], body: #"{"ok":true}"#)
}
