extension CircuitBreaker {
  /// Runs `operation` if the breaker admits it, and reports its outcome.
  ///
  /// The rejection is decided before `operation` starts. A value is a success; a thrown error
  /// is classified by `classifier` and reported, then rethrown unchanged. `CancellationError`,
  /// a `cancelled` classification, or a cancelled task is reported as cancellation (neutral).
  ///
  /// - Throws: ``BreakerRejection`` when rejected, otherwise whatever `operation` threw.
  public func run<T>(
    classifier: some FailureClassifying, _ operation: () async throws -> T
  ) async throws -> T {
    let permit = try acquire()
    let value: T
    do {
      value = try await operation()
    } catch {
      if error is CancellationError || Task.isCancelled {
        recordCancellation(permit)
      } else {
        let classification = classifier.classify(error)
        if classification.reason == .cancelled {
          recordCancellation(permit)
        } else {
          recordFailure(permit, classification)
        }
      }
      throw error
    }
    recordSuccess(permit)
    return value
  }
}
