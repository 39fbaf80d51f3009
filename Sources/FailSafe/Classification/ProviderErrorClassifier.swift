/// The built-in classifier: turns any provider's failed response, or a transport error, into
/// a ``Classification`` without being told which provider sent it.
///
/// Evidence is weighed in this order (the strongest candidate wins; on a tie, the first):
/// 1. the user's ``ClassificationRule``s, in order (first match decides);
/// 2. documented identifiers (`invalid_api_key`, `insufficient_quota`, `API_KEY_INVALID`,
///    AWS exception names, Google `QuotaFailure` per-day / per-minute quota ids, ...);
/// 3. ambiguous quota identifiers (`QUOTA_EXHAUSTED`), resolved by the provider's wait;
/// 4. headers: `stripe-should-retry: true`, a rate-limit policy or window of a day or more at
///    0, then the message wording (dead or missing keys, billing, daily allowances, context
///    length, a request bigger than its rate window or plan, rate limits, overload);
/// 5. a rate-limit header reporting an empty window, then a `"retryable": true` body flag;
/// 6. broad categories (`invalid_request_error`, `RESOURCE_EXHAUSTED`, ...), which never turn
///    a 429 or a 5xx into a non-retryable answer;
/// 7. the status code alone (see the documentation for the defaults: an unknown 4xx is
///    `fatal`, an unknown 5xx `retryable`).
///
/// Only the first 64 KiB of a body is read, in place, with a flat scanner that cannot recurse,
/// and only the first 256 header fields.
/// The wait is capped at ``Configuration/maximumWait``, except that a `quotaExhausted` answer
/// reports the provider's wait as stated; a `retryable` answer whose wait is longer than
/// ``Configuration/quotaWaitThreshold`` is `quotaExhausted` (a daily allowance, not a blip).
/// Evidence is short and redacted by ``SecretRedactor``.
public struct ProviderErrorClassifier: FailureClassifying {
  /// The settings: wait cap, quota window, quota wait threshold, user rules, evidence length.
  public var configuration: Configuration {
    didSet {
      (maximumWaitSeconds, shortQuotaWindowSeconds, quotaWaitThresholdSeconds) = Self.limits(
        of: configuration)
    }
  }

  /// ``Configuration/maximumWait`` and ``Configuration/shortQuotaWindow`` in seconds, worked
  /// out whenever the configuration is set rather than on every classification (reading a
  /// `Duration`'s components divides a 128-bit integer).
  private var maximumWaitSeconds: Double
  private var shortQuotaWindowSeconds: Double
  private var quotaWaitThresholdSeconds: Double

  /// The longest provider wait that is ever read as meaning something (a year and a day):
  /// a longer one (`Retry-After: 99999999999`, a date in the year 9999) is a broken hint,
  /// capped at ``Configuration/maximumWait`` and never turned into a quota.
  static let longestPlausibleWait: Double = 366 * 86_400

  /// Creates a classifier with `configuration`.
  public init(configuration: Configuration = Configuration()) {
    self.configuration = configuration
    (maximumWaitSeconds, shortQuotaWindowSeconds, quotaWaitThresholdSeconds) = Self.limits(
      of: configuration)
  }

  private static func limits(of configuration: Configuration) -> (Double, Double, Double) {
    (
      seconds(configuration.maximumWait), seconds(configuration.shortQuotaWindow),
      seconds(configuration.quotaWaitThreshold)
    )
  }

  /// Classifies a provider's non-success HTTP response.
  public func classify(_ response: ProviderResponse) -> Classification {
    // The whole classification runs while the body is lent: messages and identifiers are
    // ranges of it, never copies.
    BodyScanner.withInspectedBytes(of: response.body) { classify(response, inspected: $0) }
  }

  private func classify(_ response: ProviderResponse, inspected: UnsafeRawBufferPointer)
    -> Classification
  {
    let status = response.status
    let body = BodyScanner.scan(inspected)
    let headers = HeaderSignals(response.headers, status: status, receivedAt: response.receivedAt)
    // The messages' words are read only when they can matter (see ``LazyMessageFacts``):
    // for the wait when no header or field states one, or for the wording's verdict.
    var facts = LazyMessageFacts()
    let statedWait =
      headers.explicitWait ?? body.structuredWait(reference: headers.reference)
      ?? headers.windowResetWait
    let rawWait =
      statedWait ?? facts.read(body, in: inspected).statedWait(reference: headers.reference)
    let wait = cappedWait(rawWait)

    var chosen: Verdict
    if let rule = matchingRule(status: status, headers: headers, body: body, inspected: inspected) {
      chosen = .decided(rule.disposition, rule.reason, .definitive, source: rule.code ?? "rule")
    } else {
      chosen = builtInVerdict(
        status: status, body: body, inspected: inspected, headers: headers, facts: &facts)
    }

    var (disposition, reason) = resolve(chosen.outcome, wait: wait)
    // A provider wait longer than the threshold (within reason) is a long-window allowance.
    let longWait = rawWait.flatMap {
      $0.isFinite && $0 >= 0 && $0 <= Self.longestPlausibleWait ? $0 : nil
    }
    if disposition == .retryable, let longWait, longWait > quotaWaitThresholdSeconds {
      (disposition, reason) = (.quotaExhausted, .quotaExhausted)
    }
    // A quota's wait is reported as the provider states it: the cap belongs to the breaker.
    let reportedWait = disposition == .quotaExhausted ? (longWait ?? wait) : wait
    let firstMessage = body.firstMessage
    let messageIsCut =
      firstMessage.map { Self.isCut($0, in: inspected, bodyLength: response.body.count) } ?? false
    let evidence = firstMessage.withBytes(in: inspected) { message in
      chosen.bodySourceField.map { body.fields[$0].text }.withBytes(in: inspected) { bodySource in
        Evidence.make(
          status: status, source: chosen.source, bodySource: bodySource, message: message,
          messageIsCut: messageIsCut,
          limit: configuration.evidenceLength)
      }
    }
    return Classification(
      disposition: disposition, reason: reason,
      retryAfter: reportedWait.map(Self.duration(seconds:)),
      evidence: evidence)
  }

  /// Whether `message` ends inside a word that goes on past it: a span followed by another
  /// token byte of the body (cut by a title's or message's length cap), or one that ends the
  /// inspected prefix of a longer body; decoded text (JSON with escapes) that reaches the
  /// message length cap, or comes from a body longer than its inspected prefix.
  private static func isCut(
    _ message: BodyText, in inspected: UnsafeRawBufferPointer, bodyLength: Int
  ) -> Bool {
    func isToken(_ byte: UInt8) -> Bool { ByteClass.of(byte) & ByteClass.token != 0 }
    switch message {
    case .span(let range):
      guard range.upperBound > 0, range.upperBound <= inspected.count,
        isToken(inspected[range.upperBound - 1])
      else { return false }
      guard range.upperBound < inspected.count else { return bodyLength > inspected.count }
      return isToken(inspected[range.upperBound])
    case .decoded(let bytes):
      guard let last = bytes.last, isToken(last) else { return false }
      return bytes.count >= BodySignals.maximumMessageLength || bodyLength > inspected.count
    }
  }

  /// The first user rule that matches, if any. Only here are the identifiers and messages
  /// copied into lower-cased `String`s and arrays, as the rules compare them.
  private func matchingRule(
    status: Int, headers: HeaderSignals, body: BodySignals, inspected: UnsafeRawBufferPointer
  ) -> ClassificationRule? {
    guard !configuration.rules.isEmpty else { return nil }
    var codes = headers.codes
    var messages: [[UInt8]] = []
    for field in body.fields {
      switch field.kind {
      case .code: codes.append(field.text.lowercasedString(in: inspected))
      case .message: messages.append(field.text.withBytes(in: inspected) { Array($0) })
      case .quota: break
      }
    }
    return configuration.rules.first {
      $0.matches(status: status, codes: codes, messages: messages)
    }
  }

  /// Classifies an error thrown instead of a response. Cancellation is
  /// `fatal`/``FailureReason/cancelled`` (never retried, neutral for the credential); see
  /// Docs/Classification.md for the transport table.
  public func classify(_ error: any Error) -> Classification {
    TransportErrorClassifier.classify(error)
  }

  private func builtInVerdict(
    status: Int, body: BodySignals, inspected: UnsafeRawBufferPointer, headers: HeaderSignals,
    facts: inout LazyMessageFacts
  ) -> Verdict {
    var best = StatusDefaults.verdict(for: status)
    var bestFromCode = false
    func consider(_ candidate: Verdict?, fromCode: Bool = false) {
      guard let candidate, candidate.strength > best.strength else { return }
      best = candidate
      bestFromCode = fromCode
    }
    for code in headers.codes {
      var code = code
      let verdict = code.withUTF8 {
        ErrorCode.verdict(for: UnsafeRawBufferPointer($0), status: status)
      }
      consider(verdict, fromCode: true)
    }
    for field in body.fields where field.kind == .code {
      let verdict = field.text.withBytes(in: inspected) {
        ErrorCode.verdict(for: $0, status: status)
      }
      consider(verdict, fromCode: true)
    }
    consider(QuotaWindow.verdict(for: body, in: inspected))
    if headers.longWindowExhausted, status == 429 || status == 403 {
      consider(
        .decided(.quotaExhausted, .quotaExhausted, .quotaHeader, source: "ratelimit-policy"))
    }
    if headers.shouldRetry == true {
      consider(.decided(.retryable, .serverError, .retryHeader, source: "stripe-should-retry"))
    }
    // Every wording verdict has strength `.wording`: when the best so far is at least that
    // strong and did not come from a code (the only case where the wording refines the
    // reason, below), the wording cannot change the answer, so the messages are not read.
    var wording: Verdict?
    if bestFromCode || best.strength < .wording {
      wording = MessageRules.verdict(for: facts.read(body, in: inspected), status: status)
    }
    if body.shape == .html, wording?.disposition != .retryable { wording = nil }
    consider(wording)
    if headers.rateLimitExhausted, status == 403 || status == 429 {
      consider(
        .decided(.retryable, .rateLimited, .rateLimitHeader, source: "x-ratelimit-remaining"))
    }
    if body.retryableFlag == true {
      consider(
        .decided(.retryable, StatusDefaults.verdictReason(status), .flag, source: "retryable"))
    }
    // A throttling code whose message names a long allowance or billing ("Throttling: Daily
    // message quota exceeded") is that quota: the code says how it is enforced, the wording
    // which window ran out. A short provider wait still makes a daily limit a rate limit.
    if bestFromCode, best.disposition == .retryable, let wording,
      wording.disposition == .quotaExhausted || wording.disposition == nil
    {
      best.outcome = wording.outcome
    }
    // A code decided the disposition; the wording may still name the reason more precisely
    // (API_KEY_INVALID whose message says "API key expired" is keyExpired).
    if bestFromCode, let wording, case .decided(let disposition, let reason) = wording.outcome,
      best.disposition == disposition, disposition != .retryable
    {
      best.outcome = .decided(disposition, reason)
    }
    return best
  }

  private func resolve(_ outcome: Verdict.Outcome, wait: Double?) -> (Disposition, FailureReason) {
    switch outcome {
    case .decided(let disposition, let reason):
      return (disposition, reason)
    case .quotaUnlessShortWait:
      if let wait, wait <= shortQuotaWindowSeconds {
        return (.retryable, .rateLimited)
      }
      return (.quotaExhausted, .quotaExhausted)
    }
  }

  /// `seconds` capped at `maximumWait`; `nil` if absent, negative or not finite.
  private func cappedWait(_ seconds: Double?) -> Double? {
    // A negative wait is a broken hint, not "retry now": it is ignored.
    guard let seconds, seconds.isFinite, seconds >= 0 else { return nil }
    return min(seconds, maximumWaitSeconds)
  }

  /// `Duration.seconds(seconds)`, from an integer when `seconds` is a whole number (the usual
  /// `38s`): the standard library multiplies a `Double`'s integral part by 10^18 exactly and
  /// adds its rounded fraction (here 0), so both give the same attoseconds, and the integer
  /// form skips the split into parts and the floating-point conversion.
  static func duration(seconds: Double) -> Duration {
    if let whole = Int64(exactly: seconds) { return .seconds(whole) }
    return .seconds(seconds)
  }

  private static func seconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return max(0, Double(seconds) + Double(attoseconds) / 1e18)
  }
}
