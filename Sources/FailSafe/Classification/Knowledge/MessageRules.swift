/// What the wording of a message means, for bodies whose identifiers are missing or only
/// broad. Rules are checked in order and the first that applies wins; each says which
/// statuses it may apply to, so wording never turns a 5xx or a 429 into a dead credential.
enum MessageRules {
  /// The verdict the wording supports for a response with `status`, or `nil`.
  static func verdict(for facts: MessageFacts, status: Int) -> Verdict? {
    let clientSide = StatusDefaults.isClientSide(status)
    let belowServerError = status < 500
    if status == 429, requestNeedsMoreThanPlan(facts) {
      return wording(.fatal, .requestExceedsLimit)
    }
    if belowServerError, let verdict = billing(facts) { return verdict }
    if clientSide, let verdict = credential(facts, status: status) { return verdict }
    if status >= 400, status < 500,
      facts.requestExceedsWindow
        || (status == 429 && facts.has(.tooLarge) && facts.has(.request))
    {
      return wording(.fatal, .requestExceedsLimit)
    }
    if clientSide, let verdict = request(facts, status: status) { return verdict }
    if let verdict = transient(facts, status: status) { return verdict }
    if facts.has(.systemMemory) && facts.has(.required) {
      return wording(.fatal, .insufficientResources)
    }
    return nil
  }

  /// A 429 whose wording says the request needs what the plan lacks ("this model requires a
  /// paid plan", "not available on your current plan", a window of `limit: 0`): waiting never
  /// makes it fit. Wording about the rate itself keeps it a rate limit.
  private static func requestNeedsMoreThanPlan(_ facts: MessageFacts) -> Bool {
    if facts.has(.rateLimit) || facts.has(.rateLimited) || facts.has(.tooMany) { return false }
    if facts.windowIsZero { return true }
    return facts.has(.plan)
      && (facts.has(.required) || facts.has(.notSupported) || facts.has(.unsupported)
        || (facts.has(.not) && facts.has(.supported)))
  }

  private static func billing(_ facts: MessageFacts) -> Verdict? {
    if facts.has(.unpaid) { return wording(.quotaExhausted, .billing) }
    if facts.has(.spendLimit) || (facts.has(.spend) && facts.has(.exceeded))
      || facts.has(.creditBalance) || facts.has(.keyLimit)
      || facts.has(.freeDaily)
      || (facts.has(.credit)
        && (facts.has(.insufficient) || facts.has(.no) || facts.has(.any) || facts.has(.out)
          || facts.has(.purchase) || facts.has(.exceeded) || facts.has(.month)))
      || (facts.has(.balance) && facts.has(.insufficient))
      || (facts.has(.billing) && (facts.has(.not) || facts.has(.disabled)) && !facts.has(.quota)
        && !facts.has(.location))
      || (facts.has(.payment) && facts.has(.required))
      || (facts.has(.billing) && facts.has(.enable) && !facts.has(.quota)
        && !facts.has(.location))
    {
      return wording(.quotaExhausted, .billing)
    }
    if facts.has(.quota) || facts.has(.limit) || facts.has(.limited) {
      // A short window named in the text makes it a rate limit, whatever else is said.
      if facts.has(.minute) || facts.has(.hour) { return nil }
      if facts.has(.month) || (facts.has(.quota) && facts.has(.day))
        || (facts.has(.usage) && facts.has(.exceeded))
      {
        return wording(.quotaExhausted, .quotaExhausted)
      }
      // A daily limit: a quota, unless the provider's own wait says the window reopens soon
      // (OpenAI's requests-per-day rate limits say "try again in 6m0s").
      if facts.has(.day) {
        return Verdict(outcome: .quotaUnlessShortWait, strength: .wording, source: "daily limit")
      }
      // Google's generic "Resource has been exhausted (e.g. check quota)" is shared capacity.
      // Azure API Management's quota policy answers "Out of call volume quota" (a 403).
      if facts.has(.quota)
        && (facts.has(.exceeded) || facts.has(.insufficient)
          || (facts.has(.out) && !facts.has(.timedOut)))
        && !facts.has(.resource)
      {
        return Verdict(outcome: .quotaUnlessShortWait, strength: .wording, source: "quota")
      }
    }
    return nil
  }

  private static func credential(_ facts: MessageFacts, status: Int) -> Verdict? {
    // "invalid, expired, or revoked" cannot tell which: it stays `unauthorized` (below).
    if facts.has(.leaked) || (facts.has(.revoked) && !facts.has(.expired)) {
      return wording(.permanent, .keyRevoked)
    }
    let credentialNamed =
      facts.has(.keyNoun) || facts.has(MessageWord.apiKey) || facts.has(.token)
      || facts.has(.secretToken)
    if status == 401 || status == 403, credentialNamed, !facts.has(.expired) {
      // The provider says the key or token is gone, not that it lapsed.
      if facts.has(.deleted) { return wording(.permanent, .keyRevoked) }
      if facts.has(.unknown) || (facts.has(.token) && facts.has(.invalid)) {
        return wording(.permanent, .keyInvalid)
      }
    }
    if facts.has(.disabled) && !facts.has(.enable) && !facts.has(.serviceDisabled)
      && (facts.has(.account) || facts.has(.user) || facts.has(.keyNoun)
        || facts.has(MessageWord.apiKey)
        || facts.has(.key))
    {
      return wording(.permanent, facts.has(.account) ? .accountDisabled : .keyRevoked)
    }
    let keyNamed = facts.has(.keyNoun) || facts.has(MessageWord.apiKey)
    if keyNamed && facts.has(.expired) && !facts.has(.token) {
      return wording(.permanent, .keyExpired)
    }
    if (keyNamed || facts.has(.secretToken))
      && (facts.has(.invalid) || facts.has(.incorrect) || facts.has(.notValid)
        || facts.has(.notFound))
    {
      return wording(.permanent, .keyInvalid)
    }
    if facts.has(.authenticationFails)
      || ((status == 401 || status == 403)
        && facts.has(.user) && (facts.has(.notFound) || facts.has(.noSuch)))
    {
      return wording(.permanent, .keyInvalid)
    }
    if facts.has(.expired)
      && (facts.has(.token) || facts.has(.credentials) || facts.has(.secretToken))
    {
      return wording(.unauthorized, .tokenExpired)
    }
    if facts.has(.noCredential) || facts.has(.unregistered)
      || ((facts.has(.missing) || facts.has(.required) || (facts.has(.not) && facts.has(.provide)))
        && (keyNamed || facts.has(.credentials) || facts.has(.token)))
    {
      return wording(.unauthorized, .credentialMissing)
    }
    return nil
  }

  private static func request(_ facts: MessageFacts, status: Int) -> Verdict? {
    if facts.has(.contextLength) || facts.has(.context) && facts.has(.exceeded)
      || (facts.has(.tooLong) && (facts.has(.prompt) || facts.has(.tokens) || facts.has(.context)))
      || (facts.has(.maximum) && facts.has(.tokens) && facts.has(.exceeded))
    {
      return wording(.fatal, .contextTooLong)
    }
    if (facts.has(.tooLarge) && (facts.has(.payload) || facts.has(.request)))
      || (facts.has(.payload) && facts.has(.exceeded))
    {
      return wording(.fatal, .payloadTooLarge)
    }
    if (facts.has(.content) && facts.has(.policy)) || facts.has(.flagged) {
      return wording(.fatal, .contentPolicy)
    }
    if facts.has(.location)
      && (facts.has(.unsupported) || facts.has(.notSupported)
        || (facts.has(.not) && facts.has(.supported)))
    {
      return wording(.fatal, .regionUnsupported)
    }
    if facts.has(.decommissioned)
      || (status != 401 && status != 403
        && (facts.has(.notFound) || facts.has(.noSuch) || (facts.has(.not) && facts.has(.exist))))
    {
      return wording(.fatal, .notFound)
    }
    return nil
  }

  private static func transient(_ facts: MessageFacts, status: Int) -> Verdict? {
    if facts.has(.rateLimit) || facts.has(.rateLimited) || facts.has(.secondaryRate)
      || (facts.has(.tooMany) && facts.has(.request)) || facts.has(.slowDown)
    {
      return wording(.retryable, .rateLimited)
    }
    if facts.has(.overloaded) || facts.has(.temporarilyUnavailable)
      || (facts.has(.capacity)
        && (facts.has(.no) || facts.has(.exceeded) || facts.has(.insufficient)))
      || (facts.has(.loading) && status == 503)
    {
      return wording(.retryable, .overloaded)
    }
    if status >= 500 || status == 408 || status == 429,
      facts.has(.timeout) || facts.has(.timedOut) || facts.has(.deadlineExceeded)
    {
      return wording(.retryable, .timeout)
    }
    return nil
  }

  private static func wording(_ disposition: Disposition, _ reason: FailureReason) -> Verdict {
    .decided(disposition, reason, .wording, source: "")
  }
}
