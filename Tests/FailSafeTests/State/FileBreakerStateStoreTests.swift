import Dispatch
import FailSafe
import FailSafeTesting
import Foundation
import Testing

@Suite("file state store", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct FileBreakerStateStoreTests {
  typealias F = StateFixtures

  func withDirectory(_ body: (String) async throws -> Void) async throws {
    let directory = try F.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try await body(directory)
  }

  func inode(_ path: String) throws -> UInt64 {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
  }

  @Test func aMissingFileLoadsAsEmptyAndASaveCreatesIt() async throws {
    try await withDirectory { directory in
      let store = FileBreakerStateStore(
        path: directory + "/state.json", wallClock: .fixed(F.at(99)))
      #expect(!store.exists)
      let empty = try await store.load()
      #expect(empty.document.credentials.isEmpty)
      #expect(empty.diagnostics.isEmpty)
      let saved = try await store.save(F.sampleDocument)
      #expect(saved.document.credentials == F.sampleDocument.credentials)
      let loaded = try await store.load()
      #expect(loaded.diagnostics.isEmpty)
      #expect(loaded.document.credentials == F.sampleDocument.credentials)
      #expect(loaded.document.savedAt == F.at(99))
      #expect(!FileManager.default.fileExists(atPath: store.temporaryPath))
    }
  }

  @Test func twoStoresOnOneFileMergeInsteadOfOverwriting() async throws {
    try await withDirectory { directory in
      let path = directory + "/state.json"
      let first = FileBreakerStateStore(path: path)
      let second = FileBreakerStateStore(path: path)
      _ = try await first.save(
        PersistedStateDocument(credentials: ["a": F.entry(.dead, updated: 10)]))
      let merged = try await second.save(
        PersistedStateDocument(credentials: [
          "a": F.entry(.closed, updated: 20), "b": F.entry(.closed, updated: 20),
        ]))
      #expect(merged.document.credentials["a"]?.status == .dead)
      #expect(try await first.load().document.credentials.keys.sorted() == ["a", "b"])
    }
  }

  @Test func anUnchangedSaveDoesNotRewriteTheFile() async throws {
    try await withDirectory { directory in
      let store = FileBreakerStateStore(path: directory + "/state.json")
      _ = try await store.save(F.sampleDocument)
      let before = try inode(store.path)
      // The caller's copy has sub-millisecond dates; the file has milliseconds: still no write.
      var document = F.sampleDocument
      document.credentials["fine-key"]?.updatedAt = F.at(30.000_2)
      _ = try await store.save(document)
      _ = try await store.save(try await store.load().document)
      #expect(try inode(store.path) == before)
      _ = try await store.save(PersistedStateDocument(credentials: ["new": F.entry(.closed)]))
      #expect(try inode(store.path) != before)
    }
  }

  @Test func aDamagedFileIsCopiedAsideBeforeItIsRepaired() async throws {
    try await withDirectory { directory in
      let store = FileBreakerStateStore(path: directory + "/state.json")
      let damaged = #"{"version": 1, "credentials": {"a": {"state": "dead", "consecutiveFa"#
      try damaged.write(toFile: store.path, atomically: false, encoding: .utf8)
      let reading = try await store.save(
        PersistedStateDocument(credentials: ["b": F.entry(.closed, updated: 1)]))
      #expect(reading.isDamaged)
      #expect(reading.document.credentials["a"]?.status == .dead)
      #expect(try String(contentsOfFile: store.damagedCopyPath, encoding: .utf8) == damaged)
      let repaired = try await store.load()
      #expect(!repaired.isDamaged)
      #expect(repaired.document.credentials.keys.sorted() == ["a", "b"])
    }
  }

  @Test func aFileFromANewerVersionIsNeverOverwritten() async throws {
    try await withDirectory { directory in
      let store = FileBreakerStateStore(path: directory + "/state.json")
      let newer = #"{"version": 2, "credentials": {}, "somethingNew": true}"#
      try newer.write(toFile: store.path, atomically: false, encoding: .utf8)
      await #expect(throws: StateStoreError.newerVersion(path: store.path, version: 2)) {
        _ = try await store.save(F.sampleDocument)
      }
      #expect(try String(contentsOfFile: store.path, encoding: .utf8) == newer)
      #expect(try await store.load().document.isFromNewerVersion)
    }
  }

  @Test func aFileThatIsNotAStateFileIsNeverOverwritten() async throws {
    try await withDirectory { directory in
      let store = FileBreakerStateStore(path: directory + "/config.yaml")
      let foreign = "server:\n  port: 8080\n"
      try foreign.write(toFile: store.path, atomically: false, encoding: .utf8)
      await #expect(throws: StateStoreError.notAStateFile(path: store.path)) {
        _ = try await store.save(F.sampleDocument)
      }
      #expect(try String(contentsOfFile: store.path, encoding: .utf8) == foreign)
      // An empty file is a state file that lost its content: it is repaired.
      try "".write(toFile: store.path, atomically: false, encoding: .utf8)
      _ = try await store.save(F.sampleDocument)
      #expect(try await store.load().document.credentials.count == 3)
    }
  }

  @Test func aDirectoryOrAnUnreadablePathIsAClearError() async throws {
    try await withDirectory { directory in
      let store = FileBreakerStateStore(path: directory)
      await #expect(throws: StateStoreError.notARegularFile(path: directory)) {
        _ = try await store.load()
      }
      let nowhere = FileBreakerStateStore(path: directory + "/missing/dir/state.json")
      await #expect(throws: StateStoreError.self) { _ = try await nowhere.save(F.sampleDocument) }
      do {
        _ = try await nowhere.save(F.sampleDocument)
      } catch {
        #expect("\(error)".contains("No such file or directory"))
      }
    }
  }

  @Test func anOversizedFileIsReadUpToTheLimitAndReported() async throws {
    try await withDirectory { directory in
      let path = directory + "/state.json"
      var document = PersistedStateDocument()
      for index in 0..<40 { document.credentials["key-\(index)"] = F.entry(.dead) }
      _ = try await FileBreakerStateStore(path: path).save(document)
      // A store whose own bound allows one entry reads less than this file holds.
      let store = FileBreakerStateStore(
        path: path, sizeBound: StateSizeBound(maximumEntries: 1), maximumFileBytes: 1)
      let size = try Data(contentsOf: URL(fileURLWithPath: store.path)).count
      #expect(store.readLimit < size)
      let reading = try await store.load()
      #expect(reading.isDamaged)
      #expect(reading.diagnostics.first?.message.contains("larger than") == true)
    }
  }

  @Test func theFileIsBoundedAcrossSaves() async throws {
    try await withDirectory { directory in
      let store = FileBreakerStateStore(
        path: directory + "/state.json", sizeBound: StateSizeBound(maximumEntries: 10))
      for round in 0..<5 {
        var document = PersistedStateDocument()
        for index in 0..<10 {
          document.credentials["r\(round)-\(index)"] = F.entry(
            index == 0 ? .dead : .closed, updated: Double(round * 10 + index))
        }
        _ = try await store.save(document)
      }
      let loaded = try await store.load().document
      #expect(loaded.credentials.count == 10)
      #expect((0..<5).allSatisfy { loaded.credentials["r\($0)-0"]?.status == .dead })
    }
  }

  @Test func concurrentSaversLoseNothing() async throws {
    try await withDirectory { directory in
      let path = directory + "/state.json"
      let failures = LockedFailures()
      DispatchQueue.concurrentPerform(iterations: 8) { worker in
        let store = FileBreakerStateStore(path: path)
        for index in 0..<15 {
          do {
            _ = try store.saveSynchronously(
              PersistedStateDocument(credentials: [
                "w\(worker)-\(index)": F.entry(.open, streak: 1, reopenIn: 60, updated: 1)
              ]))
          } catch {
            failures.record("\(error)")
          }
        }
      }
      #expect(failures.all.isEmpty)
      let loaded = try await FileBreakerStateStore(path: path).load()
      #expect(loaded.document.credentials.count == 8 * 15)
      #expect(!loaded.isDamaged)
    }
  }

  @Test func updateEditsUnderTheLockAndKeepsWhatOthersWrote() async throws {
    try await withDirectory { directory in
      let store = FileBreakerStateStore(path: directory + "/state.json")
      _ = try await store.save(F.sampleDocument)
      let reading = try await store.update { document in
        document.credentials["dead-key"] = F.entry(.closed, updated: 50, action: .revive)
      }
      #expect(reading.document.credentials["dead-key"]?.status == .closed)
      #expect(try await store.load().document.credentials.count == 3)
      struct Refused: Error {}
      await #expect(throws: Refused.self) {
        _ = try await store.update { document in
          document.credentials = [:]
          throw Refused()
        }
      }
      #expect(try await store.load().document.credentials.count == 3)
    }
  }
}

/// Errors collected from several threads.
final class LockedFailures: Sendable {
  private let storage = LockedValue<[String]>([])
  func record(_ failure: String) { storage.withLock { $0.append(failure) } }
  var all: [String] { storage.withLock { $0 } }
}
