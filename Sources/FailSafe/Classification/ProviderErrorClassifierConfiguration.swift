extension ProviderErrorClassifier {
  /// The settings of a ``ProviderErrorClassifier``.
  public struct Configuration: Sendable, Hashable {
    /// The longest wait any classification carries; a provider's longer wait (or a hostile
    /// `Retry-After: 99999999999`) is cut to this. Default: one hour.
    public var maximumWait: Duration
    /// A quota signal that does not say which window ran out (Google `QUOTA_EXHAUSTED`, "you
    /// exceeded your quota") is a short rate window, so `retryable`, when the provider's wait
    /// is at most this; otherwise `quotaExhausted`. Default: ten minutes.
    public var shortQuotaWindow: Duration
    /// A retryable answer (a 429, a 503, a throttling code) whose provider wait is longer than
    /// this is a daily or monthly allowance, not a blip: it is `quotaExhausted`, and its wait
    /// is reported as stated, above ``maximumWait`` (the breaker caps it). A wait longer than
    /// a year is a broken hint, capped and never read as a quota. Default: one hour.
    public var quotaWaitThreshold: Duration
    /// The user's rules, checked in order before the built-in knowledge.
    public var rules: [ClassificationRule]
    /// The most characters of message quoted in the evidence. Default: 120.
    public var evidenceLength: Int

    /// Creates a configuration.
    public init(
      maximumWait: Duration = .seconds(3_600), shortQuotaWindow: Duration = .seconds(600),
      rules: [ClassificationRule] = [], evidenceLength: Int = 120,
      quotaWaitThreshold: Duration = .seconds(3_600)
    ) {
      self.maximumWait = maximumWait
      self.shortQuotaWindow = shortQuotaWindow
      self.quotaWaitThreshold = quotaWaitThreshold
      self.rules = rules
      self.evidenceLength = evidenceLength
    }
  }
}
