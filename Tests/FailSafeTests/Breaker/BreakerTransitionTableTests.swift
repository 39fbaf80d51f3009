import FailSafeTesting
import Foundation
import Testing

@testable import FailSafe

/// The transition table in code (`BreakerTransitions`) against the one in Docs/Breaker.md, and
/// against what the machine's entry points actually do for every state and trigger.
@Suite("Breaker transition table")
struct BreakerTransitionTableTests {
  /// One row as both tables can state it.
  private struct Move: Hashable, CustomStringConvertible {
    let from: BreakerState
    let trigger: String
    let to: String
    let effect: String
    var description: String { "\(from) --\(trigger)--> \(to) [\(effect)]" }
  }

  private static func destinationName(_ row: BreakerTransitionRow) -> String {
    switch row.destination {
    case .unchanged: return "same"
    case .to(let state): return state.rawValue
    case .snapshotState: return "snapshot's state"
    }
  }

  private static var codeMoves: [Move] {
    BreakerTransitions.rows.map {
      Move(
        from: $0.from, trigger: "\($0.trigger)", to: destinationName($0), effect: "\($0.effect)")
    }
  }

  /// The rows of the table under "## Every transition and its cause".
  private static func documentedMoves() throws -> [Move] {
    let path = TestFixtures.packageRoot.appendingPathComponent("Docs/Breaker.md").path
    let text = try String(contentsOfFile: path, encoding: .utf8)
    guard let section = text.range(of: "## Every transition and its cause") else {
      Issue.record("Docs/Breaker.md has no transition table section")
      return []
    }
    let rest = text[section.upperBound...]
    let body = rest.range(of: "\n## ").map { rest[..<$0.lowerBound] } ?? rest
    var moves: [Move] = []
    for line in body.split(separator: "\n") where line.hasPrefix("| ") {
      let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst()
        .dropLast().map { $0.trimmingCharacters(in: .whitespaces) }
      guard cells.count == 5, cells[0] != "from" else { continue }
      let trigger = cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
      let effect = cells[4].split(separator: "`").first.map(String.init) ?? ""
      for from in try states(cells[0]) {
        moves.append(Move(from: from, trigger: trigger, to: cells[2], effect: effect))
      }
    }
    return moves
  }

  private struct UnknownState: Error { let name: String }

  private static func states(_ cell: String) throws -> [BreakerState] {
    switch cell {
    case "any": return BreakerState.allCases
    case "any but dead": return BreakerState.allCases.filter { $0 != .dead }
    default:
      return try cell.split(separator: ",").map {
        let name = $0.trimmingCharacters(in: .whitespaces)
        guard let state = BreakerState(rawValue: name) else { throw UnknownState(name: name) }
        return state
      }
    }
  }

  @Test func theDocumentedTableIsTheCodeTableRowForRow() throws {
    let documented = try Self.documentedMoves()
    #expect(!documented.isEmpty)
    let code = Self.codeMoves
    for move in Set(code).subtracting(documented) {
      Issue.record("in code, not in Docs/Breaker.md: \(move)")
    }
    for move in Set(documented).subtracting(code) {
      Issue.record("in Docs/Breaker.md, not in code: \(move)")
    }
    #expect(documented.count == Set(documented).count, "a row is documented twice")
  }

  @Test func noStateHasTwoRowsForOneTrigger() {
    var seen = Set<String>()
    for row in BreakerTransitions.rows {
      let key = "\(row.from) \(row.trigger)"
      #expect(seen.insert(key).inserted, "two rows for \(key): the second is unreachable")
    }
  }

  @Test func everyTriggerAndEveryEffectIsReachable() {
    let rows = BreakerTransitions.rows
    for trigger in BreakerTrigger.allCases {
      #expect(rows.contains { $0.trigger == trigger }, "no row fires on \(trigger)")
    }
    let effects: Set<BreakerEffect> = [
      .admit, .admitProbe, .clearEpisode, .countFailure, .countFailureAndTrip, .releaseProbe,
      .recordVerdict, .suspend, .extendSuspension, .holdOpen, .closeKeepingStreak,
      .closeClearingEpisode, .resetStreak, .restoreSnapshot,
    ]
    #expect(Set(rows.map(\.effect)) == effects)
  }

  @Test func theLookupAnswersEveryRowAndNothingElse() {
    let rows = BreakerTransitions.rows
    for state in BreakerState.allCases {
      for trigger in BreakerTrigger.allCases {
        let expected = rows.first { $0.from == state && $0.trigger == trigger }
        #expect(BreakerTransitions.row(from: state, on: trigger) == expected)
      }
    }
  }

  @Test func deadIsLeftOnlyByARevivalAReplacementOrARestore() {
    let exits = BreakerTransitions.rows.filter { $0.from == .dead && $0.target != .dead }
    #expect(Set(exits.map(\.trigger)) == [.revive, .credentialReplaced, .restore])
  }

  // MARK: The machine does what its row says

  private typealias Machine = BreakerMachine<ManualClock.Instant>
  private static let now = Duration.seconds(100)
  private static let policy = BreakerPolicy(failureThreshold: 3)

  /// A machine standing in `state`, with an open or suspended cooldown over at `now` and no
  /// probe out.
  private static func machine(in state: BreakerState) -> Machine {
    var machine = Machine(random: .seeded(1))
    machine.state = state
    machine.generation = 10
    if state == .open || state == .suspended { machine.reopenAt = .seconds(50) }
    return machine
  }

  private static func failure(_ disposition: Disposition, wait: Duration? = nil)
    -> Classification
  {
    Classification(disposition: disposition, reason: "test", retryAfter: wait)
  }

  /// Reports `trigger` through the machine's own entry point, the way `CircuitBreaker` does.
  private static func report(_ trigger: BreakerTrigger, to machine: inout Machine) {
    var events = EventBuffer<ManualClock.Instant>(
      isEnabled: true, credential: "table", origin: BreakerOrigin(ManualClock.Instant.zero))
    let now = Self.now
    let policy = Self.policy
    let permit = BreakerPermit(generation: machine.generation, isProbe: false)
    let probe = BreakerPermit(generation: machine.generation, isProbe: true)
    switch trigger {
    case .call, .cooldownOver, .probeSlotFree:
      _ = machine.acquire(now: now, policy: policy, events: &events)
    case .success:
      machine.recordSuccess(permit, now: now, policy: policy, events: &events)
    case .probeSucceeded:
      machine.recordSuccess(probe, now: now, policy: policy, events: &events)
    case .retryableFailure:
      machine.recordFailure(
        permit, failure(.retryable), now: now, policy: policy, events: &events)
    case .failureThresholdReached:
      machine.consecutiveFailures = policy.failureThreshold - 1
      machine.recordFailure(
        permit, failure(.retryable), now: now, policy: policy, events: &events)
    case .providerWait:
      machine.recordFailure(
        permit, failure(.retryable, wait: .seconds(5)), now: now, policy: policy,
        events: &events)
    case .probeFailed:
      machine.recordFailure(probe, failure(.retryable), now: now, policy: policy, events: &events)
    case .probeReleased:
      machine.recordCancellation(probe, now: now, policy: policy, events: &events)
    case .permanentFailure:
      machine.recordFailure(permit, failure(.permanent), now: now, policy: policy, events: &events)
    case .unauthorizedFailure:
      machine.recordFailure(
        permit, failure(.unauthorized), now: now, policy: policy, events: &events)
    case .quotaExhausted:
      machine.recordFailure(
        permit, failure(.quotaExhausted, wait: .seconds(3_600)), now: now, policy: policy,
        events: &events)
    case .forceOpen:
      machine.forceOpen(until: now + .seconds(60), now: now, policy: policy, events: &events)
    case .forceClose:
      machine.forceClose(now: now, policy: policy, events: &events)
    case .revive:
      machine.revive(now: now, policy: policy, events: &events)
    case .resume:
      machine.resume(now: now, policy: policy, events: &events)
    case .credentialReplaced:
      machine.credentialReplaced(now: now, policy: policy, events: &events)
    case .resetStreak:
      machine.resetStreak(now: now, policy: policy, events: &events)
    case .restore:
      machine.restore(
        BreakerSnapshot(state: .suspended, cooldownRemaining: .seconds(30)), now: now,
        policy: policy, events: &events)
    }
  }

  /// Triggers an entry point can only report in some states: elsewhere the same call is
  /// another trigger (an `acquire` is `call`, `cooldownOver` or `probeSlotFree` by state).
  private static func isReportable(_ trigger: BreakerTrigger, in state: BreakerState) -> Bool {
    switch trigger {
    case .call: return state == .closed
    case .cooldownOver: return state == .open || state == .suspended
    case .probeSlotFree: return state == .halfOpen
    default: return true
    }
  }

  @Test(arguments: BreakerState.allCases)
  func eachEntryPointMovesAsItsRowSays(from state: BreakerState) {
    for trigger in BreakerTrigger.allCases where Self.isReportable(trigger, in: state) {
      var machine = Self.machine(in: state)
      let before = machine.generation
      Self.report(trigger, to: &machine)
      guard let row = BreakerTransitions.row(from: state, on: trigger) else {
        #expect(machine.state == state, "\(state) on \(trigger): no row, yet it moved")
        continue
      }
      let target = row.target ?? .suspended  // the restored snapshot's state
      #expect(machine.state == target, "\(state) on \(trigger): expected \(target)")
      if case .to = row.destination {
        #expect(machine.generation != before, "\(state) on \(trigger): a move starts a generation")
      }
    }
  }
}
