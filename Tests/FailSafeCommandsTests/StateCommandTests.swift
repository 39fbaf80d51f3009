import FailSafe
import FailSafeCommands
import FailSafeTesting
import Foundation
import Testing

@Suite("failsafe state", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct StateCommandTests {
  static let epoch = Date(timeIntervalSince1970: 1_795_449_600)
  let command = StateCommand(wallClock: .fixed(StateCommandTests.epoch.addingTimeInterval(100)))

  static func at(_ seconds: Double) -> Date { epoch.addingTimeInterval(seconds) }

  static let sample = PersistedStateDocument(credentials: [
    "dead-key": PersistedCredentialState(
      status: .dead, consecutiveFailures: 1, streak: 1, reason: .keyInvalid,
      firstError: PersistedFailure(
        disposition: .permanent, reason: .keyInvalid,
        evidence: "HTTP 400 API_KEY_INVALID key=[REDACTED]\u{1B}[2J", repeats: 4),
      counters: BreakerCounters(rejections: 1_000, failures: 5), updatedAt: at(10)),
    "open-key": PersistedCredentialState(
      status: .open, consecutiveFailures: 3, streak: 2, reopenAt: at(700),
      firstError: PersistedFailure(disposition: .retryable, reason: .overloaded, evidence: "529"),
      updatedAt: at(20)),
    "fine-key": PersistedCredentialState(status: .closed, updatedAt: at(30)),
  ])

  struct Scratch {
    let directory: String
    var path: String { directory + "/state.json" }

    init() throws {
      directory =
        FileManager.default.temporaryDirectory
        .appendingPathComponent("failsafe-state-cli-\(UUID().uuidString)").path
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func write(_ document: PersistedStateDocument) async throws {
      _ = try await FileBreakerStateStore(path: path).save(document)
    }

    func load() async throws -> StateDocumentReading {
      try await FileBreakerStateStore(path: path).load()
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
  }

  func run(_ arguments: [String]) async -> (status: Int32, output: String, error: String) {
    let capture = CapturedCommandIO()
    let status = await FailSafeCommandLine.run(arguments, io: capture.io)
    return (status, capture.output, capture.error)
  }

  func runCommand(_ arguments: [String]) async -> (status: Int32, output: String, error: String) {
    let capture = CapturedCommandIO()
    let status = await command.run(arguments: arguments, io: capture.io)
    return (status, capture.output, capture.error)
  }

  @Test func stateIsRegisteredWithTheCommandLine() async {
    let result = await run(["--help"])
    #expect(result.output.contains("state"))
    let help = await run(["state", "--help"])
    #expect(help.status == ExitStatus.success)
    #expect(help.output.contains("revive FILE ID"))
  }

  @Test func showListsHeldCredentialsFirstWithTheirFirstError() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    try await scratch.write(Self.sample)
    let result = await runCommand(["show", scratch.path])
    #expect(result.status == ExitStatus.success)
    #expect(result.error.isEmpty)
    let lines = result.output.split(separator: "\n").map(String.init)
    #expect(lines.first == "3 credentials: 1 dead, 1 open, 1 closed")
    #expect(lines[1].hasPrefix("CREDENTIAL"))
    #expect(lines[2].hasPrefix("dead-key"))
    #expect(lines[2].contains("permanent/keyInvalid: HTTP 400 API_KEY_INVALID key=[REDACTED]"))
    #expect(lines[2].contains("(+4 more)"))
    #expect(lines[2].contains("never (held)"))
    #expect(lines[3].hasPrefix("open-key"))
    #expect(lines[3].contains("in 10m"))
    #expect(lines[4].hasPrefix("fine-key"))
    #expect(!result.output.contains("\u{1B}"))
  }

  @Test func showJSONPrintsTheDocument() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    try await scratch.write(Self.sample)
    let result = await runCommand(["show", scratch.path, "--json"])
    #expect(result.status == ExitStatus.success)
    let reread = PersistedStateDocument.read(from: Data(result.output.utf8), loadedAt: Self.epoch)
    #expect(!reread.isDamaged)
    let stored = try await scratch.load().document.credentials
    #expect(reread.document.credentials == stored)
  }

  @Test func aDamagedFileIsShownAsFarAsReadableWithWarningsAndAFailureStatus() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let text = """
      {"version": 1, "credentials": {
        "a": {"state": "dead", "consecutiveFailures": "not-a-number", "updatedAt": "2026-11-23T16:00:00.000Z"},
        "b": {"state": "zombie", "updatedAt": "2026-11-23T16:00:00.000Z"},
        "c": {"state": "clo
      """
    try text.write(toFile: scratch.path, atomically: false, encoding: .utf8)
    let result = await runCommand(["show", scratch.path])
    #expect(result.status == ExitStatus.failure)
    #expect(result.output.contains("3 credentials: 1 dead, 2 paused"))
    #expect(result.error.contains("warning:"))
    #expect(result.error.contains("consecutiveFailures"))
    #expect(result.error.contains("unknown state 'zombie'"))
    #expect(result.error.contains("truncated"))
    #expect(!result.error.contains("Fatal"))
  }

  @Test func showReadsAFileThatBeginsWithAByteOrderMark() async throws {
    // Issue 19 #2: a UTF-8 BOM before the JSON is not damage.
    let scratch = try Scratch()
    defer { scratch.remove() }
    let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    try Data(bom + Array(Self.sample.encoded())).write(to: URL(fileURLWithPath: scratch.path))
    let result = await runCommand(["show", scratch.path])
    #expect(result.status == ExitStatus.success)
    #expect(result.error.isEmpty)
    #expect(result.output.hasPrefix("3 credentials: 1 dead, 1 open, 1 closed"))
  }

  @Test(arguments: [
    ["show"], ["show", "a", "b"], ["revive", "x"], ["frob", "x"], [], ["show", "-x", "f"],
  ])
  func badUsageIsAUsageError(arguments: [String]) async {
    let result = await runCommand(arguments)
    #expect(result.status == ExitStatus.usage)
    #expect(result.error.contains("failsafe state:"))
  }

  @Test(arguments: [
    ["show", "--etcd", "http://127.0.0.1:1"], ["show", "--prefix", "p/"],
    ["show", "--etcd", "ftp://x", "--prefix", "p/"],
    ["show", "--etcd", "http://127.0.0.1:1", "--prefix", ""],
    ["revive", "--etcd", "http://127.0.0.1:1", "--prefix", "p/"], ["show", "--etcd"],
  ])
  func badEtcdUsageIsAUsageError(arguments: [String]) async {
    let result = await runCommand(arguments)
    #expect(result.status == ExitStatus.usage)
    #expect(result.error.contains("failsafe state:"))
  }

  @Test func anUnreachableEtcdIsAClearError() async {
    // Nothing listens on port 1: the connection is refused at once.
    let shown = await runCommand(["show", "--etcd", "http://127.0.0.1:1", "--prefix", "p/"])
    #expect(shown.status == ExitStatus.failure)
    #expect(shown.error.hasPrefix("failsafe state: etcd unreachable: http://127.0.0.1:1"))
    let revived = await runCommand([
      "revive", "--etcd", "http://127.0.0.1:1", "--prefix", "p/", "dead-key",
    ])
    #expect(revived.status == ExitStatus.failure)
    #expect(revived.error.contains("etcd unreachable"))
  }

  @Test func missingDirectoryAndForeignFilesAreClearErrors() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let missing = await runCommand(["show", scratch.directory + "/nope.json"])
    #expect(missing.status == ExitStatus.failure)
    #expect(missing.error.contains("no state file"))
    let directory = await runCommand(["show", scratch.directory])
    #expect(directory.status == ExitStatus.failure)
    #expect(directory.error.contains("not a regular file"))
    let foreign = scratch.directory + "/notes.txt"
    try "Dear diary,\n".write(toFile: foreign, atomically: false, encoding: .utf8)
    let shown = await runCommand(["show", foreign])
    #expect(shown.status == ExitStatus.failure)
    #expect(shown.error.contains("does not look like a FailSafe state file"))
    let paused = await runCommand(["pause", foreign, "k"])
    #expect(paused.status == ExitStatus.failure)
    #expect(try String(contentsOfFile: foreign, encoding: .utf8) == "Dear diary,\n")
  }

  @Test func reviveWinsOverAWorkerThatStillRemembersTheKeyAsDead() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    try await scratch.write(Self.sample)
    let result = await runCommand(["revive", scratch.path, "dead-key"])
    #expect(result.status == ExitStatus.success)
    #expect(result.output == "revived 'dead-key' (was dead: keyInvalid)\n")
    let revived = try await scratch.load().document.credentials["dead-key"]
    #expect(revived?.status == .closed)
    #expect(revived?.streak == 0)
    #expect(revived?.lastOperatorAction?.kind == .revive)
    // A worker saves the dead entry it loaded before the revive: the revive still stands.
    try await scratch.write(Self.sample)
    #expect(try await scratch.load().document.credentials["dead-key"]?.status == .closed)
  }

  @Test func resetClearsALiveCredentialButRefusesAHeldOne() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    try await scratch.write(Self.sample)
    let reset = await runCommand(["reset", scratch.path, "open-key"])
    #expect(reset.status == ExitStatus.success)
    let entry = try await scratch.load().document.credentials["open-key"]
    #expect(entry?.status == .closed)
    #expect(entry?.streak == 0)
    #expect(entry?.firstError == nil)
    let refused = await runCommand(["reset", scratch.path, "dead-key"])
    #expect(refused.status == ExitStatus.failure)
    #expect(refused.error.contains("use 'failsafe state revive'"))
    #expect(try await scratch.load().document.credentials["dead-key"]?.status == .dead)
    let unknown = await runCommand(["revive", scratch.path, "nobody"])
    #expect(unknown.status == ExitStatus.failure)
    #expect(unknown.error.contains("no credential 'nobody'"))
  }

  @Test func pauseTakesACredentialOutOfRotationAgainstStaleWorkers() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    try await scratch.write(Self.sample)
    let paused = await runCommand(["pause", scratch.path, "fine-key"])
    #expect(paused.status == ExitStatus.success)
    try await scratch.write(Self.sample)
    let entry = try await scratch.load().document.credentials["fine-key"]
    #expect(entry?.status == .paused)
    #expect(entry?.reason == "operatorPause")
    let revived = await runCommand(["revive", scratch.path, "fine-key"])
    #expect(revived.status == ExitStatus.success)
    #expect(try await scratch.load().document.credentials["fine-key"]?.status == .closed)
  }

  @Test func editingADamagedFileRepairsItAndKeepsACopy() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let text = """
      {"version": 1, "credentials": {
        "b": {"state": "zombie", "updatedAt": "2026-11-23T16:00:00.000Z"}}}
      """
    try text.write(toFile: scratch.path, atomically: false, encoding: .utf8)
    let result = await runCommand(["revive", scratch.path, "b"])
    #expect(result.status == ExitStatus.success)
    #expect(result.output.contains("was paused: damagedEntry"))
    #expect(result.error.contains(".damaged"))
    #expect(try String(contentsOfFile: scratch.path + ".damaged", encoding: .utf8) == text)
    let repaired = try await scratch.load()
    #expect(!repaired.isDamaged)
    #expect(repaired.document.credentials["b"]?.status == .closed)
  }

  @Test func aRepairNamesTheCopyItKeptWhenEarlierCopiesAreKept() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    // An earlier repair's copy, with other bytes: it is never overwritten.
    let earlier = #"{"version": 1, "credentials": {"a": {"state": "zombie"}}}"#
    try earlier.write(toFile: scratch.path + ".damaged", atomically: false, encoding: .utf8)
    let text = #"{"version": 1, "credentials": {"b": {"state": "zombie"}}}"#
    try text.write(toFile: scratch.path, atomically: false, encoding: .utf8)
    let result = await runCommand(["revive", scratch.path, "b"])
    #expect(result.status == ExitStatus.success)
    #expect(result.error.contains("the damaged bytes are in '\(scratch.path).damaged.1'"))
    #expect(try String(contentsOfFile: scratch.path + ".damaged.1", encoding: .utf8) == text)
    #expect(try String(contentsOfFile: scratch.path + ".damaged", encoding: .utf8) == earlier)
  }
}
