import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

extension ClockedRetryExecutor {
  /// Sends `request` through `transport` with a credential from the pool, retrying, rotating
  /// and refreshing as the executor decides.
  ///
  /// Non-2xx answers are classified from their status, headers and body; `URLError`s are
  /// classified as errors (timeouts and lost connections are retryable for the built-in
  /// classifier).
  ///
  /// - Returns: the body and the response of the first 2xx answer.
  /// - Throws: ``RetryFailure`` with the first and the last failure.
  ///
  /// Inlinable, like `run`, so that it specialises in the caller's module instead of running
  /// the generic executor with its metadata looked up on every request.
  @inlinable
  nonisolated(nonsending) public func data(
    for request: URLRequest, using transport: URLSessionTransport<Credential>
  ) async throws(Failure) -> (Data, HTTPURLResponse) {
    try await run { credential in
      try await transport.send(request, with: credential)
    }
  }
}
