import Foundation

/// How an ``EtcdBreakerStateStore`` proves who it is on every request.
public enum EtcdAuthentication: Sendable, Hashable {
  /// `Authorization: Basic base64(user:password)`, for a TLS proxy in front of etcd that checks
  /// passwords.
  case basic(user: String, password: String)
  /// `Authorization: Bearer TOKEN`, for a proxy that checks tokens.
  case bearer(String)
  /// `Authorization: TOKEN`, as etcd's own gateway expects a token from `/v3/auth/authenticate`
  /// when etcd authentication is enabled.
  case etcdToken(String)

  /// The `Authorization` header value.
  var headerValue: String {
    switch self {
    case .basic(let user, let password):
      return "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    case .bearer(let token):
      return "Bearer " + token
    case .etcdToken(let token):
      return token
    }
  }
}
