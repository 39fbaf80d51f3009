import FailSafe

/// The breaker's guard around one call: the cost FailSafe adds to every request.
enum GuardBenchmarks {
  /// The guard benchmarks.
  static let all: [Benchmark] = [
    closedSuccess, openRejection, openRejectionContinuousClock, contended8,
  ]

  /// Permit + protected operation + success report through a closed breaker, as a caller using
  /// the two-step API would write it.
  static let closedSuccess = Benchmark(
    name: "guard.closedSuccess",
    summary: "acquire + operation + recordSuccess on a closed breaker (compare bareCall)",
    measurement: .timePerOperation {
      guardedCalls(through: CircuitBreaker(credential: "bench-closed"))
    })

  /// A call refused by an open breaker, as the provider's wait opened it, on the default clock
  /// (``CoarseMonotonicClock``).
  static let openRejection = Benchmark(
    name: "guard.openRejection",
    summary: "acquire rejected by a breaker opened by a 429 with a 15-minute wait",
    measurement: .timePerOperation {
      let defaultClock = CircuitBreaker().clock  // whatever clock a plain breaker reads
      return guardedCalls(through: openBreaker(clock: defaultClock))
    })

  /// `openRejection` on a breaker that reads `ContinuousClock`: the price of a precise clock
  /// read (`clock.continuousNow`) on every rejected call, and of an `Instant` the compiler cannot
  /// see into (`ContinuousClock.Instant` is a resilient standard-library type).
  static let openRejectionContinuousClock = Benchmark(
    name: "guard.openRejectionContinuousClock",
    summary: "openRejection on a breaker reading ContinuousClock",
    measurement: .timePerOperation {
      guardedCalls(through: openBreaker(clock: ContinuousClock()))
    })

  /// Eight tasks on one closed breaker; `n` counts calls over all tasks together, so the figure
  /// is wall time per call in aggregate (two cores here: expect contention, not speed-up).
  static let contended8 = Benchmark(
    name: "guard.contended8",
    summary: "8 tasks share one closed breaker; wall ns per call, aggregate",
    measurement: .timePerOperation {
      let breaker = CircuitBreaker(credential: "bench-contended")
      return { n in
        let tasks = 8
        await withTaskGroup(of: Void.self) { group in
          for task in 0..<tasks {
            // Spread the remainder so exactly `n` calls are made in total.
            let calls = n / tasks + (task < n % tasks ? 1 : 0)
            group.addTask {
              for i in 0..<calls { guardedCall(breaker, i) }
            }
          }
        }
      }
    })

  /// The workload of the guard benchmarks: `n` guarded calls through `breaker`.
  static func guardedCalls<C: Clock>(through breaker: CircuitBreaker<C>) -> Benchmark.Workload
  where C.Duration == Duration {
    { n in
      for i in 0..<n { guardedCall(breaker, i) }
    }
  }

  /// One call through `breaker` as a user writes it: acquire, operate, report success.
  @inline(__always)
  static func guardedCall<C: Clock>(_ breaker: CircuitBreaker<C>, _ input: Int)
  where C.Duration == Duration {
    do {
      let permit = try breaker.acquire()
      let output = protectedOperation(input)
      breaker.recordSuccess(permit)
      blackHole(output)
    } catch {
      blackHole(error.state)
    }
  }

  /// A breaker opened the way production opens one: a retryable 429 carrying a provider wait.
  static func openBreaker<C: Clock>(clock: C) -> CircuitBreaker<C> where C.Duration == Duration {
    let breaker = CircuitBreaker(credential: "bench-open", clock: clock)
    let rateLimited = Classification(
      disposition: .retryable, reason: .rateLimited, retryAfter: .seconds(900),
      evidence: "429 rate_limit_exceeded: Rate limit reached for requests")
    if let permit = try? breaker.acquire() { breaker.recordFailure(permit, rateLimited) }
    return breaker
  }
}
