/// Thrown when a provider answers with a status that is not a success, so that the executor, the
/// refresh coordinator and the user's own code can hand the whole response to a classifier.
///
/// Its description names the status only: the body may echo secrets and stays out of logs.
public struct ProviderResponseError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The response as received: status, headers, body and the instant it arrived.
  public var response: ProviderResponse

  /// Wraps a non-success response.
  public init(_ response: ProviderResponse) { self.response = response }

  /// `HTTP <status>`, without headers or body.
  public var description: String { "HTTP \(response.status)" }
}

extension FailureClassifying {
  /// Classifies anything a call threw: a ``ProviderResponseError`` by its response, anything else
  /// (transport errors, cancellation, the caller's own errors) as an error.
  public func classify(thrown error: any Error) -> Classification {
    if let failure = error as? ProviderResponseError { return classify(failure.response) }
    return classify(error)
  }
}
