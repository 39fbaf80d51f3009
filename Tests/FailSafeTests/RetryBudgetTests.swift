import FailSafe
import FailSafeTesting
import Testing

@Suite("RetryBudget", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct RetryBudgetTests {
  @Test func startsFullAndRefusesRetriesOnceEmpty() throws {
    let budget = RetryBudget(
      try .init(capacity: 20, retryCost: 5, timeoutRetryCost: 10, successRefund: 1))
    #expect(budget.availableTokens == 20)
    #expect(budget.withdrawRetry(after: .serverError)?.cost == 5)
    #expect(budget.withdrawRetry(after: .timeout)?.cost == 10)
    #expect(budget.availableTokens == 5)
    #expect(budget.withdrawRetry(after: .timeout) == nil)
    #expect(budget.availableTokens == 5)
    #expect(budget.withdrawRetry(after: .rateLimited) != nil)
    #expect(budget.withdrawRetry(after: .rateLimited) == nil)
    #expect(budget.availableTokens == 0)
  }

  @Test func successesRefillUpToCapacity() throws {
    let budget = RetryBudget(
      try .init(capacity: 10, retryCost: 5, timeoutRetryCost: 5, successRefund: 1))
    let first = try #require(budget.withdrawRetry(after: .serverError))
    _ = budget.withdrawRetry(after: .serverError)
    #expect(budget.availableTokens == 0)
    budget.recordSuccess()
    #expect(budget.availableTokens == 1)
    budget.recordSuccess(after: first)
    #expect(budget.availableTokens == 6)
    for _ in 0..<100 { budget.recordSuccess() }
    #expect(budget.availableTokens == 10)
  }

  @Test func defaultsAllowOneRetryPerFiveSuccessesOnceDrained() {
    let budget = RetryBudget()
    #expect(budget.configuration == .standard)
    var granted = 0
    while budget.withdrawRetry(after: .serverError) != nil { granted += 1 }
    #expect(granted == 100)
    for _ in 0..<4 { budget.recordSuccess() }
    #expect(budget.withdrawRetry(after: .serverError) == nil)
    budget.recordSuccess()
    #expect(budget.withdrawRetry(after: .serverError) != nil)
  }

  @Test func badConfigurationsAreRefusedWithAReason() {
    #expect(throws: RetryBudgetConfigurationError.capacityNotPositive(0)) {
      try RetryBudget.Configuration(
        capacity: 0, retryCost: 1, timeoutRetryCost: 1, successRefund: 1)
    }
    #expect(
      throws: RetryBudgetConfigurationError.valueOutOfRange(
        name: "retryCost", value: -1, capacity: 10)
    ) {
      try RetryBudget.Configuration(
        capacity: 10, retryCost: -1, timeoutRetryCost: 1, successRefund: 1)
    }
    #expect(
      throws: RetryBudgetConfigurationError.valueOutOfRange(
        name: "successRefund", value: 11, capacity: 10)
    ) {
      try RetryBudget.Configuration(
        capacity: 10, retryCost: 1, timeoutRetryCost: 1, successRefund: 11)
    }
    let error = RetryBudgetConfigurationError.capacityNotPositive(-3)
    #expect(error.description == "retry budget capacity must be at least 1, got -3")
  }

  @Test func hugeRefundsAndCapacitiesDoNotOverflow() throws {
    let budget = RetryBudget(
      try .init(
        capacity: .max, retryCost: .max, timeoutRetryCost: 0, successRefund: .max))
    #expect(budget.withdrawRetry(after: .serverError) != nil)
    #expect(budget.availableTokens == 0)
    budget.recordSuccess()
    budget.recordSuccess()
    #expect(budget.availableTokens == .max)
    #expect(budget.withdrawRetry(after: .timeout)?.cost == 0)
  }
}

@Suite("RetryBudget Concurrency", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct RetryBudgetConcurrencyTests {
  @Test(arguments: 0..<5)
  func concurrentWithdrawalsGrantExactlyWhatTheBucketHolds(round: Int) async throws {
    let budget = RetryBudget(
      try .init(capacity: 500, retryCost: 5, timeoutRetryCost: 10, successRefund: 1))
    let granted = await withTaskGroup(of: Int.self) { group in
      for index in 0..<2_000 {
        group.addTask {
          budget.withdrawRetry(after: index.isMultiple(of: 2) ? .timeout : .serverError)?.cost
            ?? 0
        }
      }
      return await group.reduce(0, +)
    }
    // Every token was spent exactly once: nothing granted twice, nothing lost.
    #expect(granted + budget.availableTokens == 500)
    #expect(budget.availableTokens < 5)
  }

  @Test(arguments: 0..<5)
  func mixedConcurrentTrafficKeepsTheBalanceInBoundsAndConserved(round: Int) async throws {
    let budget = RetryBudget(
      try .init(capacity: 1_000, retryCost: 3, timeoutRetryCost: 3, successRefund: 1))
    // Drain first so refunds never hit the capacity and the books must balance exactly.
    var drained = 0
    while let withdrawal = budget.withdrawRetry(after: .serverError) { drained += withdrawal.cost }
    let (withdrawn, refunded) = await withTaskGroup(of: (Int, Int).self) { group in
      for index in 0..<3_000 {
        group.addTask {
          if index % 3 == 0 {
            return (budget.withdrawRetry(after: .serverError)?.cost ?? 0, 0)
          }
          budget.recordSuccess()
          return (0, 1)
        }
      }
      return await group.reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
    }
    #expect(refunded == 2_000)
    #expect(budget.availableTokens == 1_000 - drained + refunded - withdrawn)
    #expect((0...1_000).contains(budget.availableTokens))
  }
}
