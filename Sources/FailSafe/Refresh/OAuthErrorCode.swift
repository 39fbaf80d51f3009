import Foundation

/// The `error` field of an OAuth 2.0 token endpoint's error answer (RFC 6749, section 5.2).
enum OAuthErrorCode {
  /// The refresh token is invalid, expired, revoked or was issued to another client: refreshing
  /// again can never succeed, so the credential is dead whatever the status code says.
  static let invalidGrant = "invalid_grant"

  /// The top-level `error` string of a JSON body, or `nil` if the body is not such an object.
  /// Only a bounded prefix is parsed: token endpoints answer errors in a few hundred bytes.
  static func code(in body: Data) -> String? {
    let limit = 16_384
    guard !body.isEmpty, body.count <= limit,
      let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any]
    else { return nil }
    return object["error"] as? String
  }
}
