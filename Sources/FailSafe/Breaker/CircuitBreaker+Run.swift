extension CircuitBreaker {
  /// Runs `operation` if the breaker admits it, and reports its outcome.
  ///
  /// The rejection is decided before `operation` starts. A value is a success; a thrown error
  /// is classified by `classifier` and reported, then rethrown unchanged. `CancellationError`,
  /// a `cancelled` classification, or a cancelled task is reported as cancellation (neutral).
  ///
  /// - Throws: ``BreakerRejection`` when rejected, otherwise whatever `operation` threw.
  @inlinable
  public func run<T>(
    classifier: some FailureClassifying, _ operation: () async throws -> T
  ) async throws -> T {
    // Inlined so the closed success path (acquire, operation, recordSuccess) specialises in the
    // caller; a thrown error is reported out of line.
    let permit = try acquire()
    let value: T
    do {
      value = try await operation()
    } catch {
      recordThrown(error, permit: permit, classifier: classifier)
      throw error
    }
    recordSuccess(permit)
    return value
  }

  /// Reports an error `operation` threw under `permit`: cancellation is neutral, anything else
  /// is classified and recorded as a failure.
  @usableFromInline
  func recordThrown(_ error: any Error, permit: BreakerPermit, classifier: any FailureClassifying) {
    if error is CancellationError || Task.isCancelled {
      recordCancellation(permit)
      return
    }
    let classification = classifier.classify(error)
    if classification.reason == .cancelled {
      recordCancellation(permit)
    } else {
      recordFailure(permit, classification)
    }
  }
}
