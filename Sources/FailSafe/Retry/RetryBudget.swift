import Synchronization

/// A token bucket shared by every caller of one service that decides whether a retry may go out.
///
/// First attempts never touch the bucket: they always go out. Each retry withdraws
/// ``Configuration/retryCost`` tokens (``Configuration/timeoutRetryCost`` after a timeout) and is
/// refused when the bucket holds fewer. A success deposits tokens back: the cost of the retry that
/// succeeded, or ``Configuration/successRefund`` for a success on the first attempt. The bucket
/// never holds more than ``Configuration/capacity`` tokens and starts full.
///
/// So retries keep flowing while failures are rare, and stop when most calls fail: with the
/// defaults (capacity 500, cost 5, refund 1) a burst of 100 retries with no success empties the
/// bucket, and after that retries are allowed only at the rate successes refill it, at most one
/// retry per five successful calls. This is the scheme of AWS's retry quota and gRPC's retry
/// throttling: under an outage, load on the service stays close to one request per call.
///
/// Thread safety: the balance is a single `Atomic<Int>` updated with compare-and-exchange, so the
/// bucket costs no lock and no allocation, and it is safe to share between any number of tasks.
public final class RetryBudget: Sendable {
  /// How large the bucket is and what retries cost.
  public struct Configuration: Sendable, Hashable, CustomStringConvertible {
    /// The most tokens the bucket holds; it starts with this many.
    public let capacity: Int
    /// Tokens one retry withdraws.
    public let retryCost: Int
    /// Tokens one retry after a timeout withdraws; timeouts are costlier for the service.
    public let timeoutRetryCost: Int
    /// Tokens a success on the first attempt deposits.
    public let successRefund: Int

    /// The defaults: capacity 500, retry cost 5, timeout retry cost 10, refund 1 per success.
    public static let standard = Configuration(
      uncheckedCapacity: 500, retryCost: 5, timeoutRetryCost: 10, successRefund: 1)

    /// Creates a configuration.
    ///
    /// - Throws: ``RetryBudgetConfigurationError`` if `capacity` is not positive, or a cost or the
    ///   refund is negative or larger than `capacity`.
    public init(capacity: Int, retryCost: Int, timeoutRetryCost: Int, successRefund: Int)
      throws(RetryBudgetConfigurationError)
    {
      guard capacity > 0 else { throw .capacityNotPositive(capacity) }
      for (name, value) in [
        ("retryCost", retryCost), ("timeoutRetryCost", timeoutRetryCost),
        ("successRefund", successRefund),
      ] where value < 0 || value > capacity {
        throw .valueOutOfRange(name: name, value: value, capacity: capacity)
      }
      self.init(
        uncheckedCapacity: capacity, retryCost: retryCost, timeoutRetryCost: timeoutRetryCost,
        successRefund: successRefund)
    }

    private init(uncheckedCapacity: Int, retryCost: Int, timeoutRetryCost: Int, successRefund: Int)
    {
      self.capacity = uncheckedCapacity
      self.retryCost = retryCost
      self.timeoutRetryCost = timeoutRetryCost
      self.successRefund = successRefund
    }

    /// For example `capacity=500 retryCost=5 timeoutRetryCost=10 successRefund=1`.
    public var description: String {
      "capacity=\(capacity) retryCost=\(retryCost) timeoutRetryCost=\(timeoutRetryCost)"
        + " successRefund=\(successRefund)"
    }
  }

  /// Proof that a retry was paid for: pass it to ``recordSuccess(after:)`` if the retry succeeds.
  public struct Withdrawal: Sendable, Hashable {
    /// The tokens this retry took out of the bucket.
    public let cost: Int
  }

  /// The configuration the bucket was created with.
  public let configuration: Configuration
  @usableFromInline let balance: Atomic<Int>

  /// Creates a full bucket.
  public init(_ configuration: Configuration = .standard) {
    self.configuration = configuration
    balance = Atomic(configuration.capacity)
  }

  /// The tokens in the bucket right now (between 0 and the capacity).
  public var availableTokens: Int { balance.load(ordering: .relaxed) }

  /// Tries to pay for a retry after a failure for `reason`.
  ///
  /// - Returns: the withdrawal, or `nil` if the bucket holds fewer tokens than the retry costs;
  ///   then the retry must not be sent.
  public func withdrawRetry(after reason: FailureReason) -> Withdrawal? {
    let cost = reason == .timeout ? configuration.timeoutRetryCost : configuration.retryCost
    var current = balance.load(ordering: .relaxed)
    while true {
      guard current >= cost else { return nil }
      let (exchanged, original) = balance.compareExchange(
        expected: current, desired: current - cost, ordering: .relaxed)
      if exchanged { return Withdrawal(cost: cost) }
      current = original
    }
  }

  /// Records a successful call: refunds the cost of `withdrawal` if the success came on a paid
  /// retry, otherwise ``Configuration/successRefund``. The balance never exceeds the capacity.
  @inlinable
  public func recordSuccess(after withdrawal: Withdrawal? = nil) {
    deposit(withdrawal?.cost ?? configuration.successRefund)
  }

  // Inlinable so a success with a full bucket (the usual case) is one load in the caller.
  @inlinable
  func deposit(_ amount: Int) {
    guard amount > 0 else { return }
    let capacity = configuration.capacity
    var current = balance.load(ordering: .relaxed)
    while current < capacity {
      // Both values lie in 0...capacity, so `capacity - current` cannot overflow.
      let next = amount >= capacity - current ? capacity : current + amount
      let (exchanged, original) = balance.compareExchange(
        expected: current, desired: next, ordering: .relaxed)
      if exchanged { return }
      current = original
    }
  }
}

/// Why a ``RetryBudget/Configuration`` was refused.
public enum RetryBudgetConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The capacity must be at least one token.
  case capacityNotPositive(Int)
  /// A cost or the refund must lie between zero and the capacity.
  case valueOutOfRange(name: String, value: Int, capacity: Int)

  /// A sentence naming the bad value and the allowed range.
  public var description: String {
    switch self {
    case .capacityNotPositive(let value):
      return "retry budget capacity must be at least 1, got \(value)"
    case .valueOutOfRange(let name, let value, let capacity):
      return "retry budget \(name) must lie in 0...\(capacity), got \(value)"
    }
  }
}
