import FailSafe

/// One call through the retry executor that succeeds at once: lease a credential from the pool,
/// pass its breaker, run the operation, report success, return.
enum ExecutorBenchmarks {
  /// The executor benchmarks.
  static let all: [Benchmark] = [successPath]

  /// `RetryExecutor.run` with one credential whose operation succeeds on the first attempt.
  static let successPath = Benchmark(
    name: "executor.successPath",
    summary: "RetryExecutor.run succeeding at once (one credential, default configuration)",
    measurement: .timePerOperation {
      guard
        let pool = try? ClockedCredentialPool(
          [(id: "bench-key", credential: "key")], registry: BreakerRegistry())
      else { preconditionFailure("a pool of one credential with a unique id is always valid") }
      let executor = ClockedRetryExecutor(pool: pool, classifier: ProviderErrorClassifier())
      // Made once, outside the loop: a closure capturing the loop index would allocate a
      // context per call and charge the benchmark's own allocation to the executor.
      let operation: @Sendable (String) async throws -> Int = { key in
        protectedOperation(key.utf8.count)
      }
      return { n in
        for _ in 0..<n {
          do {
            blackHole(try await executor.run(operation))
          } catch {
            blackHole(error)
          }
        }
      }
    })
}
