import Foundation

/// What the ``ScriptedHTTPServer`` answers to one request.
struct ScriptedResponse: Sendable {
  /// The status code.
  var status: Int
  /// Extra headers; `Content-Length` and `Connection` are written by the server.
  var headers: [(name: String, value: String)]
  /// The body bytes.
  var body: Data
  /// Close the connection after this answer instead of keeping it alive.
  var closesConnection: Bool

  init(
    status: Int, headers: [(name: String, value: String)] = [], body: Data = Data(),
    closesConnection: Bool = false
  ) {
    self.status = status
    self.headers = headers
    self.body = body
    self.closesConnection = closesConnection
  }

  /// A JSON answer with `Content-Type: application/json`.
  static func json(
    _ status: Int, _ body: String, headers: [(name: String, value: String)] = []
  ) -> ScriptedResponse {
    ScriptedResponse(
      status: status, headers: [("Content-Type", "application/json")] + headers,
      body: Data(body.utf8))
  }

  /// A plain text answer.
  static func text(
    _ status: Int, _ body: String = "", headers: [(name: String, value: String)] = []
  ) -> ScriptedResponse {
    ScriptedResponse(
      status: status, headers: [("Content-Type", "text/plain")] + headers, body: Data(body.utf8))
  }

  /// The bytes of the status line, the headers and the body.
  func serialized(keepAlive: Bool) -> [UInt8] {
    var head = "HTTP/1.1 \(status) \(Self.reasonPhrase(status))\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    head += "Content-Length: \(body.count)\r\n"
    head += "Connection: \(keepAlive ? "keep-alive" : "close")\r\n\r\n"
    return Array(head.utf8) + Array(body)
  }

  private static func reasonPhrase(_ status: Int) -> String {
    switch status {
    case 200: return "OK"
    case 400: return "Bad Request"
    case 401: return "Unauthorized"
    case 403: return "Forbidden"
    case 404: return "Not Found"
    case 429: return "Too Many Requests"
    case 500: return "Internal Server Error"
    case 503: return "Service Unavailable"
    default: return "Scripted"
    }
  }
}
