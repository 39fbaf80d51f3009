import Foundation

/// Where and how an ``EtcdBreakerStateStore`` reaches etcd.
public struct EtcdStoreConfiguration: Sendable, Hashable {
  /// Client URLs of the members (`http://10.0.0.1:2379`), tried in turn when one cannot be
  /// reached; the last one that answered is tried first.
  public var endpoints: [URL]
  /// The key prefix every credential's key starts with (`failsafe/prod/`); the store owns
  /// every key under it.
  public var prefix: String
  /// Credentials sent with every request, if any.
  public var authentication: EtcdAuthentication?
  /// How long one HTTP request may take before the next endpoint is tried.
  public var requestTimeout: Duration
  /// The most compare-and-set attempts for one key in one save or update.
  public var maximumAttempts: Int
  /// The first retry waits up to this long (full jitter); each later one up to twice as long.
  public var retryBase: Duration
  /// The longest wait between two compare-and-set attempts.
  public var retryMaximum: Duration
  /// The most bytes read of one response; a larger one is an error, never read whole.
  public var maximumResponseBytes: Int

  /// Creates a configuration.
  public init(
    endpoints: [URL], prefix: String, authentication: EtcdAuthentication? = nil,
    requestTimeout: Duration = .seconds(5), maximumAttempts: Int = 16,
    retryBase: Duration = .milliseconds(5), retryMaximum: Duration = .milliseconds(500),
    maximumResponseBytes: Int = 128 << 20
  ) {
    self.endpoints = endpoints
    self.prefix = prefix
    self.authentication = authentication
    self.requestTimeout = requestTimeout
    self.maximumAttempts = max(1, maximumAttempts)
    self.retryBase = max(retryBase, .zero)
    self.retryMaximum = max(retryMaximum, .zero)
    self.maximumResponseBytes = max(1_024, maximumResponseBytes)
  }
}
