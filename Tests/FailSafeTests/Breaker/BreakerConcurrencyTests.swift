import FailSafe
import FailSafeTesting
import Synchronization
import Testing

@Suite("BreakerConcurrency", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(2))))
struct BreakerConcurrencyTests {
  /// Thousands of tasks race for one half-open breaker: exactly one probe, every time.
  @Test func halfOpenAdmitsExactlyOneProbeUnderContention() async throws {
    for round in 0..<40 {
      let (breaker, clock) = makeBreaker()
      breaker.fail(3, with: Failures.serverError)
      await clock.advance(by: .seconds(1))
      let admitted = await withTaskGroup(of: BreakerPermit?.self) { group in
        for _ in 0..<2_000 {
          group.addTask { try? breaker.acquire() }
        }
        var permits: [BreakerPermit] = []
        for await permit in group { if let permit { permits.append(permit) } }
        return permits
      }
      #expect(admitted.count == 1, "round \(round)")
      #expect(admitted.allSatisfy { $0.isProbe })
      #expect(breaker.snapshot().counters.rejections == 1_999)
    }
  }

  /// Many tasks report concurrently into a closed breaker: it opens exactly once and every
  /// stale report afterwards is ignored.
  @Test func concurrentFailuresOpenOnce() async throws {
    for _ in 0..<20 {
      let recorder = EventRecorder()
      let (breaker, _) = makeBreaker(recorder: recorder)
      let permits = (0..<500).compactMap { _ in try? breaker.acquire() }
      await withTaskGroup(of: Void.self) { group in
        for (index, permit) in permits.enumerated() {
          group.addTask {
            if index.isMultiple(of: 2) {
              breaker.recordFailure(permit, Failures.serverError)
            } else {
              breaker.recordSuccess(permit)
            }
          }
        }
      }
      #expect(recorder.transitions.filter { $0 == "closed->open" }.count <= 1)
      #expect(breaker.snapshot().streak <= 1)
    }
  }

  /// Mixed traffic: acquires, successes, failures and operator actions from many tasks never
  /// break the invariant that at most one probe is out per half-open episode.
  @Test func mixedTrafficKeepsOneProbePerEpisode() async throws {
    let (breaker, clock) = makeBreaker()
    let gauge = ProbeGauge()
    for _ in 0..<20 {
      breaker.forceOpen(until: clock.now)
      await withTaskGroup(of: Void.self) { group in
        for index in 0..<400 {
          group.addTask {
            guard let permit = try? breaker.acquire() else { return }
            if permit.isProbe {
              gauge.enter()
            }
            if index.isMultiple(of: 3) {
              breaker.recordFailure(permit, Failures.serverError)
            } else {
              breaker.recordSuccess(permit)
            }
            if permit.isProbe { gauge.leave() }
          }
        }
      }
    }
    #expect(gauge.peak == 1)
  }

  /// Rejections race an operator re-opening the breaker with new deadlines: the kept refusal is
  /// replaced under the lock while tasks take it, every rejection is counted once, and each one
  /// states a deadline some re-opening set.
  @Test func rejectionsRacingNewDeadlinesAreCountedAndWhole() async throws {
    let (breaker, clock) = makeBreaker()
    let start = clock.now
    breaker.forceOpen(until: start.advanced(by: .seconds(1)))
    let tally = RejectionTally()
    await withTaskGroup(of: Void.self) { group in
      for _ in 0..<8 {
        group.addTask {
          for _ in 0..<2_000 {
            guard let rejection = breaker.rejection() else { continue }
            tally.thrown.add(1, ordering: .relaxed)
            let retryAfter = rejection.retryAfter
            let whole =
              rejection.state == .open
              && (rejection.reopenAt == nil
                ? retryAfter == nil
                : retryAfter.map { (1...5).map(Duration.seconds).contains($0) } == true
                  && rejection.reopenAt.map { start.duration(to: $0) } == retryAfter)
            if !whole { tally.malformed.add(1, ordering: .relaxed) }
          }
        }
      }
      group.addTask {
        for round in 0..<2_000 {
          if round.isMultiple(of: 7) {
            breaker.forceOpen(until: nil)
          } else {
            breaker.forceOpen(until: start.advanced(by: .seconds(Int64(round % 5 + 1))))
          }
        }
      }
    }
    #expect(tally.thrown.load(ordering: .relaxed) == 16_000)
    #expect(tally.malformed.load(ordering: .relaxed) == 0)
    #expect(breaker.snapshot().counters.rejections == 16_000)
  }
}

extension BreakerConcurrencyTests {
  /// Concurrent first use of the same ids, with eviction running, yields one breaker per id
  /// at a time, and unhealthy breakers are never evicted.
  @Test func registryFirstUseUnderContention() async throws {
    let registry = BreakerRegistry(policy: plainPolicy, clock: ManualClock(), capacity: 64)
    let dead = registry.breaker(for: "key-0")
    dead.fail(1, with: Failures.keyInvalid)
    let identities = await withTaskGroup(of: (Int, ObjectIdentifier).self) { group in
      for index in 0..<2_000 {
        group.addTask {
          let breaker = registry.breaker(for: CredentialID("key-\(index % 8)"))
          if index % 8 == 1 { breaker.fail(1, with: Failures.tokenExpired) }
          _ = registry.breaker(for: CredentialID("idle-\(index)"))
          return (index % 8, ObjectIdentifier(breaker))
        }
      }
      var seen: [Int: Set<ObjectIdentifier>] = [:]
      for await (key, identity) in group { seen[key, default: []].insert(identity) }
      return seen
    }
    #expect(identities[0] == [ObjectIdentifier(dead)])
    #expect(registry.existingBreaker(for: "key-0") === dead)
    #expect(dead.state == .dead)
    // Every task that fetched key-1 paused it, so whichever instance the registry still holds
    // is paused (an idle instance may have been evicted before its failure landed).
    if let paused = registry.existingBreaker(for: "key-1") { #expect(paused.state == .paused) }
    #expect(registry.count <= 64)
  }
}

/// Counts probes out at once and remembers the peak.
private final class ProbeGauge: Sendable {
  private let out = Atomic<Int>(0)
  private let highest = Atomic<Int>(0)

  var peak: Int { highest.load(ordering: .sequentiallyConsistent) }

  func enter() {
    let now = out.add(1, ordering: .sequentiallyConsistent).newValue
    highest.max(now, ordering: .sequentiallyConsistent)
  }

  func leave() { out.subtract(1, ordering: .sequentiallyConsistent) }
}

/// Counts rejections, and those whose fields disagree, across tasks.
final class RejectionTally: Sendable {
  let thrown = Atomic<Int>(0)
  let malformed = Atomic<Int>(0)
}
