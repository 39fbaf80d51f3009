import FailSafe

/// One call through the retry executor that succeeds at once: lease a credential from the pool,
/// pass its breaker, run the operation, report success, return.
enum ExecutorBenchmarks {
  /// The executor benchmarks.
  static let all: [Benchmark] = [
    successPath, successPathPool3, successPathLetClosure, successPathDeadline, breakerRun,
  ]

  /// `RetryExecutor.run` with one credential whose operation succeeds on the first attempt, the
  /// operation written as a user writes it: a closure literal at the call site.
  static let successPath = Benchmark(
    name: "executor.successPath",
    summary: "RetryExecutor.run succeeding at once (one credential, default configuration)",
    measurement: .timePerOperation {
      let executor = makeExecutor(credentials: 1)
      return { n in
        for _ in 0..<n {
          do {
            blackHole(try await executor.run { key in protectedOperation(key.utf8.count) })
          } catch {
            blackHole(error)
          }
        }
      }
    })

  /// `successPath` on a pool of three credentials taken in turn (round robin).
  static let successPathPool3 = Benchmark(
    name: "executor.successPathPool3",
    summary: "successPath on three credentials, round robin",
    measurement: .timePerOperation {
      let executor = makeExecutor(credentials: 3)
      return { n in
        for _ in 0..<n {
          do {
            blackHole(try await executor.run { key in protectedOperation(key.utf8.count) })
          } catch {
            blackHole(error)
          }
        }
      }
    })

  /// `successPath` with the operation stored in a `let` first: passing it to the generic `run`
  /// converts it on every call to the parameter's type (`nonisolated(nonsending)`, and
  /// reabstracted), two allocations that belong to how the harness holds the closure, not to
  /// FailSafe. Reported apart so that artefact is not charged to the executor.
  static let successPathLetClosure = Benchmark(
    name: "executor.successPathLetClosure",
    summary: "successPath with the operation in a let (adds its conversion thunk)",
    measurement: .timePerOperation {
      let executor = makeExecutor(credentials: 1)
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

  /// `successPath` with a call deadline: the attempt must be cut at the deadline, so it runs
  /// raced against a sleep on the clock (a task group of two); the clock is read once.
  static let successPathDeadline = Benchmark(
    name: "executor.successPathDeadline",
    summary: "successPath with a 30 s call deadline (the attempt raced against the deadline)",
    measurement: .timePerOperation {
      let executor = makeExecutor(
        credentials: 1, configuration: RetryConfiguration(deadline: .seconds(30)))
      return { n in
        for _ in 0..<n {
          do {
            blackHole(try await executor.run { key in protectedOperation(key.utf8.count) })
          } catch {
            blackHole(error)
          }
        }
      }
    })

  /// `CircuitBreaker.run(classifier:_:)`, the async closure API, on a closed breaker.
  static let breakerRun = Benchmark(
    name: "breaker.run",
    summary: "CircuitBreaker.run(classifier:) succeeding on a closed breaker",
    measurement: .timePerOperation {
      let breaker = CircuitBreaker(credential: "bench-run")
      let classifier = ProviderErrorClassifier()
      return { n in
        for i in 0..<n {
          do {
            blackHole(try await breaker.run(classifier: classifier) { protectedOperation(i) })
          } catch {
            blackHole(error)
          }
        }
      }
    })

  /// An executor with the default configuration over `credentials` credentials.
  private static func makeExecutor(
    credentials: Int, configuration: RetryConfiguration = RetryConfiguration()
  ) -> RetryExecutor<String> {
    let list = (0..<credentials).map { (id: CredentialID("bench-key-\($0)"), credential: "key") }
    guard let pool = try? CredentialPool(list) else {
      preconditionFailure("a non-empty pool with unique ids is always valid")
    }
    return RetryExecutor(
      pool: pool, classifier: ProviderErrorClassifier(), configuration: configuration)
  }
}
