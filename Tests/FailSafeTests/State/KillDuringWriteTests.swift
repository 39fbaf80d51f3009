import FailSafe
import FailSafeTesting
import Foundation
import Testing

@Suite(
  "state file survives a killed writer",
  .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct KillDuringWriteTests {
  /// The helper saves once, then stops itself part-way through writing its second save's
  /// temporary file (after `round` chunks of 16 KiB) and is killed there with `SIGKILL`.
  @Test func aWriterKilledWithSIGKILLMidSaveLeavesALoadableFile() async throws {
    let directory = try StateFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/state.json"
    let entries = 300
    for round in 1...3 {
      let child = try StateHelperProcess(["save-loop", path, "\(entries)", "\(round)"])
      defer { child.kill() }
      let line = child.waitForLine { $0.hasPrefix("stopped mid-write") }
      try #require(line != nil, "the helper stopped early: \(child.errorText)")
      child.kill()
      #expect(child.wasKilled)

      // The kill landed mid-write: the temporary file is there and shorter than the file.
      let store = FileBreakerStateStore(path: path)
      let attributes = FileManager.default.attributesOfItem
      let partial = try attributes(store.temporaryPath)[.size] as? Int ?? 0
      let whole = try attributes(path)[.size] as? Int ?? 0
      #expect(partial == round * 16 * 1_024, "round \(round): \(line ?? "")")
      #expect(partial < whole)

      let reading = try await store.load()
      #expect(!reading.isDamaged, "round \(round): \(reading.diagnostics)")
      #expect(reading.document.credentials.count == entries)
      // Every entry comes from the first, completed save: the file is old, never torn.
      let generations = Set(reading.document.credentials.values.map(\.counters.failures))
      #expect(generations == [1], "round \(round): \(generations)")
    }
    // The killed holder's lock is gone and a leftover temporary file does not matter.
    let store = FileBreakerStateStore(path: path)
    _ = try await store.save(
      PersistedStateDocument(credentials: [
        "after": PersistedCredentialState(status: .closed, updatedAt: StateFixtures.epoch)
      ]))
    #expect(try await store.load().document.credentials.count == entries + 1)
  }

  @Test func aHalfWrittenTemporaryFileIsIgnoredAndReplaced() async throws {
    let directory = try StateFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = FileBreakerStateStore(path: directory + "/state.json")
    _ = try await store.save(StateFixtures.sampleDocument)
    // What a crash after writing half of the next version would leave behind.
    let next = try StateFixtures.sampleDocument.encoded()
    try next.prefix(next.count / 2).write(to: URL(fileURLWithPath: store.temporaryPath))
    let reading = try await store.load()
    #expect(!reading.isDamaged)
    #expect(reading.document.credentials == StateFixtures.sampleDocument.credentials)
    _ = try await store.save(
      PersistedStateDocument(credentials: [
        "new": PersistedCredentialState(status: .closed, updatedAt: StateFixtures.epoch)
      ]))
    #expect(try await store.load().document.credentials.count == 4)
  }
}
