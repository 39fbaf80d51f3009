/// How a ``ScriptedHTTPServer`` answers: a function from each request (with its arrival index)
/// to a response, so scenarios like "revoked after 10 requests" are one `if`.
struct HTTPScript: Sendable {
  /// Answers one request; called on a server thread.
  let respond: @Sendable (RecordedRequest) -> ScriptedResponse

  init(_ respond: @escaping @Sendable (RecordedRequest) -> ScriptedResponse) {
    self.respond = respond
  }

  /// Answers every request with `response`.
  static func always(_ response: ScriptedResponse) -> HTTPScript { HTTPScript { _ in response } }
}
