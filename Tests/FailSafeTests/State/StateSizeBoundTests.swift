import FailSafe
import FailSafeTesting
import Foundation
import Testing

@Suite("state size bound", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct StateSizeBoundTests {
  typealias F = StateFixtures

  @Test func healthyCredentialsGoFirstThenOtherLiveOnesNeverHeldOnesWhileOthersRemain() {
    var document = PersistedStateDocument()
    for index in 0..<5 {
      document.credentials["healthy-\(index)"] = F.entry(.closed, updated: Double(100 + index))
      document.credentials["open-\(index)"] = F.entry(
        .open, streak: 1, reopenIn: 60, updated: Double(index))
      document.credentials["dead-\(index)"] = F.entry(.dead, updated: Double(index))
    }
    let outcome = StateSizeBound(maximumEntries: 7).apply(to: document)
    #expect(outcome.document.credentials.count == 7)
    #expect(outcome.droppedHeld.isEmpty)
    #expect(
      Set(outcome.evicted) == Set((0..<5).map { "healthy-\($0)" } + ["open-0", "open-1", "open-2"]))
    #expect(
      Set(outcome.document.credentials.keys)
        == Set(["open-3", "open-4"] + (0..<5).map { "dead-\($0)" }))
  }

  @Test func heldCredentialsAloneBeyondTheBoundDropTheOldestAndSaySo() {
    var document = PersistedStateDocument()
    for index in 0..<10 {
      document.credentials["dead-\(index)"] = F.entry(.dead, updated: Double(index))
    }
    let outcome = StateSizeBound(maximumEntries: 8).apply(to: document)
    #expect(outcome.document.credentials.count == 8)
    #expect(outcome.droppedHeld == ["dead-0", "dead-1"])
  }

  @Test func theFileSizeIsBoundedWhateverTheEntriesHold() throws {
    var document = PersistedStateDocument()
    let bigEvidence = String(repeating: "e", count: 10_000)
    for index in 0..<300 {
      var entry = F.entry(.dead, streak: Int.max, updated: Double(index))
      entry.firstError = PersistedFailure(
        disposition: .permanent, reason: FailureReason(rawValue: bigEvidence),
        evidence: bigEvidence)
      entry.reason = FailureReason(rawValue: bigEvidence)
      document.credentials[String(repeating: "k", count: 500) + "\(index)"] = entry
    }
    document.credentials[String(repeating: "x", count: 5_000)] = F.entry(.dead)
    let bounded = StateSizeBound(maximumEntries: 100).apply(to: document).document
    let data = try bounded.encoded()
    #expect(
      PersistedStateDocument.read(from: data, loadedAt: F.epoch).document.credentials.count == 100)
    #expect(data.count < 100 * 1_600)
  }
}
