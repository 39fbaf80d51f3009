/// Anything that turns a failed call into a ``Classification``.
///
/// The breaker and the executor only ever talk to this protocol, so a user can replace the
/// built-in classifier entirely. Implementations must be pure and fast: they run on every
/// failure, possibly from many tasks at once.
public protocol FailureClassifying: Sendable {
  /// Classifies a provider's non-success HTTP response.
  func classify(_ response: ProviderResponse) -> Classification
  /// Classifies an error thrown instead of a response (transport errors, cancellation, or an
  /// error of the caller's own).
  func classify(_ error: any Error) -> Classification
}
