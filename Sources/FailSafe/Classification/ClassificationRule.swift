/// A user's own classification rule, checked before every built-in one.
///
/// A rule matches when every criterion it sets matches (criteria left `nil` match anything):
/// the status is in ``statuses``; ``code`` equals, ignoring case, one of the response's
/// identifiers (JSON `type`, `code`, `status`, `reason`, `__type`, `error_code`, or the
/// `x-amzn-errortype` header); ``messageContains`` occurs, ignoring case, in one of its messages.
/// Rules are tried in order and the first match decides; the provider's wait is still read
/// from the response and capped.
///
/// ```swift
/// let classifier = ProviderErrorClassifier(configuration: .init(rules: [
///   ClassificationRule(status: 400, messageContains: "organization must be verified",
///                      disposition: .permanent, reason: .accountDisabled),
/// ]))
/// ```
public struct ClassificationRule: Sendable, Hashable {
  /// The statuses the rule applies to, or `nil` for any status.
  public var statuses: ClosedRange<Int>?
  /// An identifier that must be present (case-insensitive), or `nil`.
  public var code: String?
  /// Text that must occur in a message (case-insensitive), or `nil`.
  public var messageContains: String?
  /// The disposition a match yields.
  public var disposition: Disposition
  /// The reason a match yields.
  public var reason: FailureReason

  /// Creates a rule for a range of statuses.
  public init(
    statuses: ClosedRange<Int>? = nil, code: String? = nil, messageContains: String? = nil,
    disposition: Disposition, reason: FailureReason
  ) {
    self.statuses = statuses
    self.code = code?.lowercased()
    self.messageContains = messageContains?.lowercased()
    self.disposition = disposition
    self.reason = reason
  }

  /// Creates a rule for one status.
  public init(
    status: Int, code: String? = nil, messageContains: String? = nil,
    disposition: Disposition, reason: FailureReason
  ) {
    self.init(
      statuses: status...status, code: code, messageContains: messageContains,
      disposition: disposition, reason: reason)
  }

  /// Whether the rule matches a response with `status`, lower-cased `codes` and `messages`.
  func matches(status: Int, codes: [String], messages: [[UInt8]]) -> Bool {
    if let statuses, !statuses.contains(status) { return false }
    if let code, !codes.contains(code) { return false }
    if let messageContains, !messageContains.isEmpty {
      let found = messages.contains {
        String(decoding: $0, as: UTF8.self).lowercased().contains(messageContains)
      }
      if !found { return false }
    }
    return true
  }
}
