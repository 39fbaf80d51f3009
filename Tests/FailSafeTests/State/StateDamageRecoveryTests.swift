import FailSafe
import FailSafeTesting
import Foundation
import Testing

/// Issue 19 #3: the lenient reader stopped at the first syntax error, so one flipped bit hid
/// every entry after it; the next save wrote the file without them, and a later repair
/// overwrote the `.damaged` copy.
@Suite("state damage recovery", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(2))))
struct StateDamageRecoveryTests {
  typealias F = StateFixtures

  func withDirectory(_ body: (String) async throws -> Void) async throws {
    let directory = try F.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try await body(directory)
  }

  /// `count` credentials, every third one alive and the others dead, with evidence.
  static func document(count: Int) -> PersistedStateDocument {
    var document = PersistedStateDocument(savedAt: F.at(0))
    for index in 0..<count {
      let id = "credential-\(String(format: "%04d", index))"
      document.credentials[id] =
        index % 3 == 0
        ? F.entry(.open, streak: 2, reopenIn: 60, updated: Double(index), failures: 2)
        : F.entry(.dead, updated: Double(index), action: index % 5 == 0 ? .pause : nil)
    }
    return document
  }

  /// Replaces the first `,` from `position` on with `#`: a syntax error.
  static func breakComma(in bytes: inout [UInt8], near position: Int) {
    var index = position
    while bytes[index] != UInt8(ascii: ",") { index += 1 }
    bytes[index] = UInt8(ascii: "#")
  }

  static func read(_ bytes: [UInt8]) -> StateDocumentReading {
    PersistedStateDocument.read(from: Data(bytes), loadedAt: F.at(1_000))
  }

  /// The byte ranges of each entry in a written file: from its id's quote to its `}`. An
  /// entry's key is found at the entries' indentation (a line of its own, four spaces in), so
  /// an id spelled like the document's `credentials` key is not taken for it.
  static func entryRanges(in bytes: [UInt8], ids: [String]) -> [String: Range<Int>] {
    var ranges: [String: Range<Int>] = [:]
    let text = Array(bytes)
    let data = Data(bytes)
    let indentation = "\n    "
    for id in ids {
      let needle = Data("\(indentation)\"\(id)\" : {".utf8)
      guard let found = data.range(of: needle) else { continue }
      let start = found.lowerBound + indentation.utf8.count
      var end = found.upperBound
      var depth = 1
      while end < text.count, depth > 0 {
        if text[end] == UInt8(ascii: "{") { depth += 1 }
        if text[end] == UInt8(ascii: "}") { depth -= 1 }
        end += 1
      }
      ranges[id] = start..<end
    }
    return ranges
  }

  @Test func oneFlippedBitInALargeFileCostsNoOtherDeadCredential() async throws {
    let document = Self.document(count: 430)
    let bytes = Array(try document.encoded())
    #expect(bytes.count > 150_000)
    let deadIDs = document.credentials.filter { $0.value.status == .dead }.map(\.key)
    let ranges = Self.entryRanges(in: bytes, ids: deadIDs)
    // The issue's case: a bit flipped about a third into the file, on a structural byte.
    var damaged = bytes
    var position = bytes.count * 36 / 100
    while damaged[position] != UInt8(ascii: ",") { position += 1 }
    damaged[position] ^= 0x04
    let reading = Self.read(damaged)
    #expect(reading.isDamaged)
    let inside = ranges.first { $0.value.contains(position) }?.key
    for id in deadIDs where id != inside {
      #expect(reading.document.credentials[id]?.status == .dead, "\(id)")
    }
    #expect(reading.document.credentials.count == document.credentials.count)
  }

  @Test func everyDeadEntrySurvivesAnySingleByteDamageElsewhere() async throws {
    var document = Self.document(count: 6)
    // Ids spelled like the document's own keys (the fuzzer's find: a dead `credentials`).
    for id in ["credentials", "savedAt", "version"] {
      document.credentials[id] = F.entry(.dead, updated: 7, reason: .keyInvalid)
    }
    let bytes = Array(try document.encoded())
    let deadIDs = document.credentials.filter { $0.value.status == .dead }.map(\.key).sorted()
    let ranges = Self.entryRanges(in: bytes, ids: deadIDs)
    #expect(ranges.count == deadIDs.count)
    let replacements: [UInt8] = [0x00, 0x0A, 0x20, 0x22, 0x2C, 0x3A, 0x5C, 0x5B, 0x7B, 0x7D, 0xFF]
    for position in bytes.indices {
      // A flipped bit at even positions, a byte that matters to JSON at odd ones.
      var damaged = bytes
      damaged[position] =
        position.isMultiple(of: 2)
        ? bytes[position] ^ (1 << UInt8(position / 2 % 8))
        : replacements[position / 2 % replacements.count]
      do {
        let variant = damaged[position]
        let reading = Self.read(damaged)
        for id in deadIDs where !(ranges[id]?.contains(position) ?? false) {
          #expect(
            reading.document.credentials[id]?.status == .dead,
            "byte \(position) to \(variant): \(id) is \(String(describing: reading.document.credentials[id]?.status))"
          )
        }
      }
    }
  }

  @Test func aSaveOverADamagedFileKeepsEveryReadableDeadCredential() async throws {
    try await withDirectory { directory in
      let store = FileBreakerStateStore(path: directory + "/state.json")
      let document = Self.document(count: 60)
      _ = try await store.save(document)
      var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: store.path)))
      Self.breakComma(in: &bytes, near: bytes.count / 3)
      try Data(bytes).write(to: URL(fileURLWithPath: store.path))
      let saved = try await FileBreakerStateStore(path: store.path).save(PersistedStateDocument())
      #expect(saved.isDamaged)
      let reloaded = try await FileBreakerStateStore(path: store.path).load()
      #expect(!reloaded.isDamaged)
      let dead = document.credentials.filter { $0.value.status == .dead }.keys
      let keptDead = dead.filter { reloaded.document.credentials[$0]?.status == .dead }
      #expect(keptDead.count >= dead.count - 1)
      #expect(try Data(contentsOf: URL(fileURLWithPath: store.damagedCopyPath)) == Data(bytes))
    }
  }

  @Test func aLaterRepairNeverOverwritesAnEarlierDamagedCopy() async throws {
    try await withDirectory { directory in
      let store = FileBreakerStateStore(path: directory + "/state.json")
      var copies: [Data] = []
      for round in 0..<3 {
        _ = try await store.save(Self.document(count: 10 + round))
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: store.path)))
        Self.breakComma(in: &bytes, near: bytes.count / 2)
        try Data(bytes).write(to: URL(fileURLWithPath: store.path))
        copies.append(Data(bytes))
        _ = try await FileBreakerStateStore(path: store.path).save(PersistedStateDocument())
      }
      let paths = [
        store.damagedCopyPath, store.damagedCopyPath + ".1", store.damagedCopyPath + ".2",
      ]
      for (path, copy) in zip(paths, copies) {
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == copy, "\(path)")
      }
    }
  }

  @Test func damageAtTheStartStillReadsEveryEntry() async throws {
    let document = Self.document(count: 6)
    var bytes = Array(try document.encoded())
    bytes[0] = UInt8(ascii: "x")
    let reading = Self.read(bytes)
    #expect(reading.isStateFile)
    #expect(reading.document.credentials.count == 6)
    // A damaged file of another kind is still not taken for a state file.
    let other = Self.read(Array(#"x{"settings": {"state": "dead"}}"#.utf8))
    #expect(!other.isStateFile)
  }
}
