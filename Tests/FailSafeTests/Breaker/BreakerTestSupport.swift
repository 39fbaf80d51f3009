import FailSafe
import FailSafeTesting
import Foundation
import Testing

/// Classifications the breaker tests report.
enum Failures {
  static let serverError = Classification(
    disposition: .retryable, reason: .serverError, evidence: "503")
  static func rateLimited(wait: Duration) -> Classification {
    Classification(disposition: .retryable, reason: .rateLimited, retryAfter: wait, evidence: "429")
  }
  static let keyInvalid = Classification(
    disposition: .permanent, reason: .keyInvalid, evidence: "400 API_KEY_INVALID")
  static let tokenExpired = Classification(
    disposition: .unauthorized, reason: .tokenExpired, evidence: "401")
  static let badRequest = Classification(
    disposition: .fatal, reason: .badRequest, evidence: "400 bad request")
  static func quota(wait: Duration?) -> Classification {
    Classification(
      disposition: .quotaExhausted, reason: .quotaExhausted, retryAfter: wait, evidence: "429 quota"
    )
  }
}

/// Records every event a breaker emits, from any thread.
final class EventRecorder: Sendable {
  private let recorded = LockedValue<[BreakerEvent<ManualClock.Instant>]>([])

  var events: [BreakerEvent<ManualClock.Instant>] { recorded.value }
  var kinds: [BreakerEvent<ManualClock.Instant>.Kind] { events.map(\.kind) }

  /// `from -> to` of every transition, in order.
  var transitions: [String] {
    kinds.compactMap {
      if case .transition(let from, let to, _) = $0 { return "\(from)->\(to)" }
      return nil
    }
  }

  var observer: @Sendable (BreakerEvent<ManualClock.Instant>) -> Void {
    { event in self.recorded.withLock { $0.append(event) } }
  }
}

/// A classifier for `run`: every error is the classification it carries.
struct CarriedClassifier: FailureClassifying {
  func classify(_ response: ProviderResponse) -> Classification { Failures.serverError }
  func classify(_ error: any Error) -> Classification {
    (error as? CarriedFailure)?.classification ?? Failures.serverError
  }
}

/// An error carrying its own classification.
struct CarriedFailure: Error {
  let classification: Classification
}

/// No jitter, base 1 s, cap 8 s, threshold 3: cooldowns 1, 2, 4, 8, 8 s.
let plainPolicy = BreakerPolicy(
  failureThreshold: 3,
  backoff: BackoffPolicy(base: .seconds(1), maximum: .seconds(8), jitter: .none),
  maximumProviderWait: .seconds(60), quotaCooldown: .seconds(3_600),
  maximumQuotaWait: .seconds(7_200), probeLeaseTimeout: .seconds(30))

func makeBreaker(
  policy: BreakerPolicy = plainPolicy, recorder: EventRecorder? = nil
) -> (CircuitBreaker<ManualClock>, ManualClock) {
  let clock = ManualClock()
  let breaker = CircuitBreaker(
    credential: "key-1", policy: policy, clock: clock, random: .seeded(7),
    observer: recorder?.observer)
  return (breaker, clock)
}

extension CircuitBreaker {
  /// Acquires a permit, or records the test failure and returns nil.
  func permit(sourceLocation: SourceLocation = #_sourceLocation) -> BreakerPermit? {
    do {
      return try acquire()
    } catch {
      Issue.record("rejected: \(error)", sourceLocation: sourceLocation)
      return nil
    }
  }

  /// The rejection `acquire()` throws, or nil if it admitted the call.
  func rejection() -> Rejection? {
    do {
      _ = try acquire()
      return nil
    } catch {
      return error
    }
  }

  /// Fails `count` calls in a row with `classification`.
  func fail(_ count: Int, with classification: Classification) {
    for _ in 0..<count {
      guard let permit = try? acquire() else { return }
      recordFailure(permit, classification)
    }
  }
}
