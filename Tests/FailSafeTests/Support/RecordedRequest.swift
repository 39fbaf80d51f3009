import FailSafe
import Foundation

/// One request the ``ScriptedHTTPServer`` received, as it arrived on the wire.
struct RecordedRequest: Sendable, CustomStringConvertible {
  /// Arrival order across the whole server, from 0.
  let index: Int
  /// Which accepted connection carried it, from 0.
  let connection: Int
  /// `GET`, `POST`, ...
  let method: String
  /// The request target as sent: path and query.
  let target: String
  /// Every header; names compared case-insensitively.
  let headers: HTTPHeaderFields
  /// The body, de-chunked if it was sent chunked.
  let body: Data
  /// When the server finished reading it, on the real clock.
  let receivedAt: ContinuousClock.Instant

  /// The target without its query.
  var path: String { String(target.prefix { $0 != "?" }) }
  /// The `Authorization` header, if any.
  var authorization: String? { headers["authorization"] }

  var description: String { "#\(index) \(method) \(target)" }
}
