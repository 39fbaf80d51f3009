/// Which service of the upstream a simulated request goes to.
public enum UpstreamEndpoint: String, Sendable, Hashable, Codable {
  /// The provider's API, called with a credential for each job.
  case api
  /// The OAuth token endpoint, called with a refresh token to get a new access token.
  case token
}

/// What a scripted upstream answers, as a function of virtual time, endpoint and credential.
///
/// Rules are tried in order and the first whose endpoint, credential and time window match
/// answers; without a match the upstream answers ``success``. Rules with several responses
/// answer them in turn (for example 503 then 529), by the order requests reach the rule.
public struct UpstreamScript: Sendable {
  /// One scripted trouble: answer `responses` to matching requests sent inside `window`.
  public struct Rule: Sendable {
    /// The endpoint the rule applies to.
    public var endpoint: UpstreamEndpoint
    /// The credential the rule applies to, or `nil` for every credential.
    public var credential: String?
    /// When the rule applies, as offsets from the start of the run (`from ..< until`).
    public var window: Range<Duration>
    /// The answers, given in turn; never empty.
    public var responses: [ScriptedResponse]

    /// Creates a rule. An empty `responses` is treated as a plain `500`.
    public init(
      endpoint: UpstreamEndpoint = .api, credential: String? = nil, window: Range<Duration>,
      responses: [ScriptedResponse]
    ) {
      self.endpoint = endpoint
      self.credential = credential
      self.window = window
      self.responses = responses.isEmpty ? [ScriptedResponse(status: 500)] : responses
    }

    /// Whether this rule answers a request to `endpoint` with `credential` sent at `time`.
    public func matches(endpoint: UpstreamEndpoint, credential: String, at time: Duration) -> Bool {
      endpoint == self.endpoint && (self.credential == nil || self.credential == credential)
        && window.contains(time)
    }
  }

  /// The rules, tried in order.
  public var rules: [Rule]
  /// The answer when no rule matches.
  public var success: ScriptedResponse
  /// How long the upstream takes to answer, drawn per request from this range.
  public var latency: ClosedRange<Duration>
  /// When the upstream recovers from its scripted trouble, or `nil` if it never does; the
  /// report measures the time from here to the first success.
  public var recovery: Duration?
  /// OAuth tokens, or `nil` when credentials are plain API keys.
  ///
  /// With OAuth, the API accepts only the newest access token, until it expires (answering
  /// `401` token expired otherwise), and the token endpoint accepts only the newest refresh
  /// token: refresh tokens are single-use, and presenting an older one is answered
  /// `400 invalid_grant` (RFC 6749 section 10.4). Access token `access-N` and refresh token
  /// `refresh-N` are the N-th grant's; `access-0` is already expired when the run starts.
  public var oauthAccessTokenLifetime: Duration?

  /// Creates a script.
  public init(
    rules: [Rule], success: ScriptedResponse = .ok,
    latency: ClosedRange<Duration> = .milliseconds(400)...(.milliseconds(1_600)),
    recovery: Duration? = nil, oauthAccessTokenLifetime: Duration? = nil
  ) {
    self.rules = rules
    self.success = success
    self.latency = latency
    self.recovery = recovery
    self.oauthAccessTokenLifetime = oauthAccessTokenLifetime
  }
}
