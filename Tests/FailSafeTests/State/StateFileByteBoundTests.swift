import FailSafe
import FailSafeTesting
import Foundation
import Testing

/// Issue 19 #1: the file store's read limit was below what the store itself wrote within its
/// own bounds, so a fresh load read its own file as damaged and a save dropped dead keys.
@Suite("state file byte bound", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(2))))
struct StateFileByteBoundTests {
  typealias F = StateFixtures

  func withDirectory(_ body: (String) async throws -> Void) async throws {
    let directory = try F.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try await body(directory)
  }

  /// `count` entries with `idLength`-byte ids, every `deadEvery`-th dead, each with evidence
  /// of 300 non-ASCII characters.
  func document(count: Int, idLength: Int, evidence: String, deadEvery: Int)
    -> PersistedStateDocument
  {
    var document = PersistedStateDocument()
    for index in 0..<count {
      let suffix = "-\(index)"
      let id = String(repeating: "k", count: idLength - suffix.utf8.count) + suffix
      let isDead = index % deadEvery == 0
      var entry = F.entry(
        isDead ? .dead : .open, streak: isDead ? 0 : 1, reopenIn: isDead ? nil : 60,
        updated: Double(index))
      entry.firstError = PersistedFailure(
        disposition: isDead ? .permanent : .retryable, reason: .keyInvalid, evidence: evidence)
      document.credentials[id] = entry
    }
    return document
  }

  @Test func aFileOfTheDefaultBoundsLargestEntriesLoadsWholeAndKeepsEveryDeadKey() async throws {
    try await withDirectory { directory in
      let store = FileBreakerStateStore(path: directory + "/state.json")
      let evidence = String(repeating: "é€", count: 150)  // 300 characters, 750 bytes
      let written = document(count: 10_000, idLength: 500, evidence: evidence, deadEvery: 1_000)
      _ = try await store.save(written)
      let size = try FileManager.default.attributesOfItem(atPath: store.path)[.size] as? Int ?? 0
      #expect(size > 16 << 20)
      #expect(size <= StateSizeBound().maximumFileBytes)

      let fresh = FileBreakerStateStore(path: store.path)
      let loaded = try await fresh.load()
      #expect(!loaded.isDamaged, "\(loaded.diagnostics.prefix(2))")
      #expect(loaded.document.credentials.count == 10_000)
      #expect(loaded.document.credentials.values.filter { $0.status == .dead }.count == 10)
      let saved = try await fresh.save(PersistedStateDocument())
      #expect(saved.document.credentials.count == 10_000)
      #expect(
        try await fresh.load().document.credentials.values.filter { $0.status == .dead }.count == 10
      )
      #expect(!FileManager.default.fileExists(atPath: store.damagedCopyPath))
    }
  }

  @Test func aLargerEntryBoundRaisesTheReadLimitWithIt() async throws {
    let bound = StateSizeBound(maximumEntries: 40_000)
    #expect(bound.maximumFileBytes > 40_000 * 1_000)
    #expect(
      FileBreakerStateStore(path: "unused", sizeBound: bound).readLimit >= bound.maximumFileBytes)
    #expect(FileBreakerStateStore(path: "unused").readLimit >= StateSizeBound().maximumFileBytes)
    // The case, scaled down: an ordinary file beyond 16 MiB that a 40,000 bound allows.
    try await withDirectory { directory in
      let store = FileBreakerStateStore(
        path: directory + "/state.json", sizeBound: bound, maximumFileBytes: 1 << 20)
      let written = document(count: 4_000, idLength: 200, evidence: "HTTP 401", deadEvery: 40)
      _ = try await store.save(written)
      let size = try FileManager.default.attributesOfItem(atPath: store.path)[.size] as? Int ?? 0
      #expect(size > 1 << 20)
      let fresh = FileBreakerStateStore(
        path: store.path, sizeBound: bound, maximumFileBytes: 1 << 20)
      _ = try await fresh.save(PersistedStateDocument())
      let loaded = try await fresh.load()
      #expect(!loaded.isDamaged)
      #expect(loaded.document.credentials.values.filter { $0.status == .dead }.count == 100)
    }
  }

  /// The bound holds by construction: entries with every field at its worst (ids of control
  /// characters, texts of many-scalar characters and quotes, extreme numbers) stay within it.
  @Test func theWorstEntriesTheWriterCanProduceStayWithinTheBound() async throws {
    let bound = StateSizeBound(maximumEntries: 20)
    let heavy = String(repeating: "\"\\e\u{301}\u{302}\u{303}", count: 400)
    var document = PersistedStateDocument(savedAt: F.at(0))
    for index in 0..<20 {
      let id = String(repeating: "\u{1}", count: 509) + String(format: "%03d", index)
      var entry = PersistedCredentialState(
        status: .suspended, reopenAt: F.at(1), reason: FailureReason(rawValue: heavy),
        firstError: PersistedFailure(
          disposition: .quotaExhausted, reason: FailureReason(rawValue: heavy), evidence: heavy,
          at: F.at(2)),
        updatedAt: F.at(3),
        lastOperatorAction: OperatorAction(kind: OperatorActionKind(rawValue: heavy), at: F.at(4)))
      entry.consecutiveFailures = Int.min
      entry.streak = Int.max
      entry.counters = BreakerCounters(
        rejections: .max, failures: .max, trips: .max, probes: .max)
      entry.firstError?.repeats = Int.min
      document.credentials[id] = entry
    }
    let encoded = try bound.apply(to: document).document.encoded()
    #expect(encoded.count <= bound.maximumFileBytes)
    #expect(encoded.count * 2 > bound.maximumFileBytes, "the bound is not wildly loose")
  }
}
