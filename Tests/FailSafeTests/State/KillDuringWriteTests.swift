import FailSafe
import Foundation
import Testing

@Suite("state file survives a killed writer", .timeLimit(.minutes(1)))
struct KillDuringWriteTests {
  @Test func aWriterKilledWithSIGKILLMidSaveLeavesALoadableFile() throws {
    let directory = try StateFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/state.json"
    let entries = 300
    for round in 1...3 {
      let child = try StateHelperProcess(["save-loop", path, "\(entries)"])
      defer { child.kill() }
      let line = child.waitForLine { $0 == "saved \(round)" }
      try #require(line != nil, "the helper stopped early: \(child.errorText)")
      #if os(Linux)
        // Kill it while it is writing a file in the directory, before its last bytes.
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        let killedMidWrite = child.killMidWrite(
          in: directory, excluding: ["state.json.lock"], before: size - 1_000)
        #expect(killedMidWrite, "round \(round): \(child.errorText)")
      #else
        // Without /proc, kill at a different point of the save loop each round.
        child.kill()
      #endif
      #expect(child.wasKilled)

      let reading = try FileBreakerStateStore(path: path).load()
      #expect(!reading.isDamaged, "round \(round): \(reading.diagnostics)")
      #expect(reading.document.credentials.count == entries)
      // Every entry comes from one and the same save: the file is old or new, never torn.
      let generations = Set(reading.document.credentials.values.map(\.counters.failures))
      #expect(generations.count == 1, "round \(round): \(generations)")
    }
    // The killed holder's lock is gone and a leftover temporary file does not matter.
    let store = FileBreakerStateStore(path: path)
    _ = try store.save(
      PersistedStateDocument(credentials: [
        "after": PersistedCredentialState(status: .closed, updatedAt: StateFixtures.epoch)
      ]))
    #expect(try store.load().document.credentials.count == entries + 1)
  }

  @Test func aHalfWrittenTemporaryFileIsIgnoredAndReplaced() throws {
    let directory = try StateFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = FileBreakerStateStore(path: directory + "/state.json")
    _ = try store.save(StateFixtures.sampleDocument)
    // What a crash after writing half of the next version would leave behind.
    let next = try StateFixtures.sampleDocument.encoded()
    try next.prefix(next.count / 2).write(to: URL(fileURLWithPath: store.temporaryPath))
    let reading = try store.load()
    #expect(!reading.isDamaged)
    #expect(reading.document.credentials == StateFixtures.sampleDocument.credentials)
    _ = try store.save(
      PersistedStateDocument(credentials: [
        "new": PersistedCredentialState(status: .closed, updatedAt: StateFixtures.epoch)
      ]))
    #expect(try store.load().document.credentials.count == 4)
  }
}
