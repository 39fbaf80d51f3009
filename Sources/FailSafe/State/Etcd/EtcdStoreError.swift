/// Why an ``EtcdBreakerStateStore`` call failed. The breakers in memory are never affected;
/// `BreakerStatePersistence` retries at the next change or sync.
public enum EtcdStoreError: Error, Sendable, Hashable, CustomStringConvertible {
  /// No endpoint could be reached: each endpoint with what went wrong there.
  case unreachable([String])
  /// An endpoint answered with an error status (etcd's own message included).
  case rejected(endpoint: String, status: Int, message: String)
  /// A response was larger than the configured bound; it was not read further.
  case responseTooLarge(endpoint: String, limit: Int)
  /// A response was not the JSON the etcd v3 gateway sends.
  case malformedResponse(endpoint: String, problem: String)
  /// The compare-and-set of one key lost to other writers every time, up to the bound.
  case tooManyConflicts(key: String, attempts: Int)
  /// The configuration cannot work (no endpoint, an empty prefix).
  case invalidConfiguration(String)

  /// A one-line message for operators.
  public var description: String {
    switch self {
    case .unreachable(let problems):
      return "etcd unreachable: " + problems.joined(separator: "; ")
    case .rejected(let endpoint, let status, let message):
      return "etcd at \(endpoint) answered HTTP \(status): \(message)"
    case .responseTooLarge(let endpoint, let limit):
      return "etcd at \(endpoint) sent a response larger than \(limit) bytes; not read"
    case .malformedResponse(let endpoint, let problem):
      return "etcd at \(endpoint) sent an unexpected response: \(problem)"
    case .tooManyConflicts(let key, let attempts):
      return "etcd key '\(key)' changed under every one of \(attempts) compare-and-set attempts"
    case .invalidConfiguration(let problem):
      return "etcd store misconfigured: \(problem)"
    }
  }
}
