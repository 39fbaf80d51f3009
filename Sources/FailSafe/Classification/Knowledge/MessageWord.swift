/// The words of an error message that carry meaning for classification. Several spellings
/// map to one word (`organization`, `organisation`, `org`, `account` are all ``account``).
enum MessageWord: UInt8, CaseIterable {
  case api, key, apiKey, token, subscription, security, secret, access
  case invalid, incorrect, valid, not, no, expired, revoked, leaked, disabled
  case account, user, found, exist, such, missing, required, provide, credentials, fails
  case unregistered, quota, billing, credit, balance, insufficient, spend, limit, limited
  case exceeded, rate, rateLimited, too, many, request, requested, large, long, payload
  case context, length, maximum, tokens, prompt, content, policy, flagged, location
  case supported, unsupported, overloaded, capacity, temporarily, unavailable, loading
  case timeout, timed, out, deadline, memory, system, permission, month, minute, day
  case any, purchase, payment, enable, freeDaily, slow, down, again, retry, inKeyword
  case after, secondary, decommissioned, authorized, service, internalWord, resource
  case usage, hour

  /// The spellings of each word, lower case.
  private static let spellings: [(String, MessageWord)] = [
    ("api", .api), ("key", .key), ("keys", .key), ("apikey", .apiKey), ("api_key", .apiKey),
    ("api-key", .apiKey), ("x-api-key", .apiKey), ("x-goog-api-key", .apiKey),
    ("token", .token), ("subscription", .subscription), ("security", .security),
    ("secret", .secret), ("access", .access), ("invalid", .invalid), ("malformed", .invalid),
    ("incorrect", .incorrect), ("wrong", .incorrect), ("valid", .valid), ("not", .not),
    ("didn", .not), ("doesn", .not), ("isn", .not), ("wasn", .not), ("cannot", .not),
    ("no", .no), ("expired", .expired), ("expire", .expired), ("revoked", .revoked),
    ("leaked", .leaked), ("compromised", .leaked), ("disabled", .disabled),
    ("deactivated", .disabled), ("suspended", .disabled), ("terminated", .disabled),
    ("banned", .disabled), ("account", .account), ("organization", .account),
    ("organisation", .account), ("org", .account), ("consumer", .account),
    ("project", .account), ("team", .account), ("workspace", .account), ("user", .user),
    ("found", .found), ("exist", .exist), ("exists", .exist), ("such", .such),
    ("missing", .missing), ("required", .required), ("requires", .required),
    ("require", .required), ("provide", .provide), ("provided", .provide),
    ("credential", .credentials), ("credentials", .credentials),
    ("authorization", .credentials), ("authentication", .credentials), ("auth", .credentials),
    ("fails", .fails), ("failed", .fails), ("unregistered", .unregistered), ("quota", .quota),
    ("billing", .billing), ("credit", .credit), ("credits", .credit), ("balance", .balance),
    ("insufficient", .insufficient), ("spend", .spend), ("spending", .spend),
    ("limit", .limit), ("limits", .limit), ("limited", .limited), ("exceeded", .exceeded),
    ("exceed", .exceeded), ("exceeds", .exceeded), ("exhausted", .exceeded),
    ("reached", .exceeded), ("rate", .rate), ("ratelimit", .rateLimited),
    ("rate_limit", .rateLimited), ("rate-limit", .rateLimited), ("ratelimited", .rateLimited),
    ("rate-limited", .rateLimited), ("throttled", .rateLimited), ("throttling", .rateLimited),
    ("throttle", .rateLimited), ("too", .too), ("many", .many), ("request", .request),
    ("requests", .request), ("requested", .requested), ("large", .large), ("big", .large),
    ("long", .long), ("payload", .payload), ("entity", .payload), ("body", .payload),
    ("file", .payload), ("context", .context), ("length", .length), ("window", .length),
    ("maximum", .maximum), ("max", .maximum), ("tokens", .tokens), ("prompt", .prompt),
    ("input", .prompt), ("content", .content), ("safety", .content),
    ("responsible", .content), ("policy", .policy), ("policies", .policy),
    ("filter", .policy), ("filtered", .policy), ("filtering", .policy),
    ("violation", .policy), ("violates", .policy), ("flagged", .flagged),
    ("moderation", .flagged), ("location", .location), ("region", .location),
    ("country", .location), ("territory", .location), ("supported", .supported),
    ("available", .supported), ("unsupported", .unsupported), ("overloaded", .overloaded),
    ("overload", .overloaded), ("busy", .overloaded), ("capacity", .capacity),
    ("temporarily", .temporarily), ("unavailable", .unavailable), ("loading", .loading),
    ("timeout", .timeout), ("timed", .timed), ("out", .out), ("deadline", .deadline),
    ("memory", .memory), ("system", .system), ("permission", .permission),
    ("permissions", .permission), ("forbidden", .permission), ("denied", .permission),
    ("month", .month), ("monthly", .month), ("minute", .minute), ("min", .minute),
    ("day", .day), ("daily", .day), ("any", .any), ("purchase", .purchase), ("buy", .purchase),
    ("payment", .payment), ("enable", .enable), ("enabled", .enable),
    ("free-models-per-day", .freeDaily), ("slow", .slow), ("down", .down),
    ("again", .again), ("retry", .retry), ("in", .inKeyword), ("after", .after),
    ("secondary", .secondary), ("decommissioned", .decommissioned),
    ("discontinued", .decommissioned), ("authorized", .authorized), ("service", .service),
    ("internal", .internalWord), ("resource", .resource),
    ("usage", .usage), ("hour", .hour), ("hourly", .hour), ("second", .hour), ("seconds", .hour),
  ]

  /// Spellings by their packed form, so a lookup is one hash probe. A reader of many words
  /// reads this once and passes it to ``lookup(_:start:count:in:)`` (each read of a lazy
  /// static is a call).
  static let table = PackedWordTable(
    spellings.compactMap { spelling, word in PackedWord(spelling).map { ($0, word) } })

  /// The word spelled by `bytes[start..<start+count]` (any case), or `nil`; `table` is
  /// ``table``.
  @inline(always)
  static func lookup(
    _ bytes: UnsafeRawBufferPointer, start: Int, count: Int, in table: PackedWordTable<MessageWord>
  ) -> MessageWord? {
    guard count > 0, count <= PackedWord.maximumLength, start >= 0, start < bytes.count,
      table.mayHold(first: bytes[start], count: count),
      let packed = PackedWord(bytes, start: start, count: count)
    else { return nil }
    return table[packed]
  }
}
