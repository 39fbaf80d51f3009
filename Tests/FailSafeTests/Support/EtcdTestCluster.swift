import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Real etcd members on 127.0.0.1 for the etcd store's tests: each with free ports and its own
/// temporary data directory, its output in files (never pipes, so a leftover child can never
/// hold `swift test`'s output open), and always killed and reaped: by ``stop()``, or when the
/// cluster goes away.
///
/// `etcd` comes from Debian's `etcd-server` package. Without it the tests are skipped (see
/// ``isAvailable``), except under `CI=true`, where they run and fail.
final class EtcdTestCluster {
  /// Why a cluster could not be started.
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// The install hint shown when etcd is missing.
  static let installHint =
    "etcd is not on the PATH: install it with 'apt-get install -y etcd-server' to run the etcd "
    + "store tests (they fail instead of skipping when CI=true)"

  /// The `etcd` executable on the PATH, if any.
  static let executable: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = "\(directory)/etcd"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }()

  /// `true` if the environment says it is CI (`CI=true`).
  static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

  /// Whether the etcd tests run: etcd is installed, or this is CI (where a missing etcd fails).
  static var shouldRun: Bool { executable != nil || isCI }

  private struct Member {
    var name: String
    var clientPort: UInt16
    var peerPort: UInt16
    var process: Process?
  }

  private let directory: String
  private var members: [Member]
  private let token = "failsafe-\(UUID().uuidString.prefix(8))"

  /// Client URLs of every member, in member order.
  var endpoints: [URL] {
    members.map { URL(string: "http://127.0.0.1:\($0.clientPort)")! }
  }

  /// Starts `size` members and waits until every one answers.
  init(size: Int) async throws {
    guard Self.executable != nil else {
      throw Failure(description: Self.installHint)
    }
    directory =
      FileManager.default.temporaryDirectory
      .appendingPathComponent("failsafe-etcd-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    members = try Self.freshMembers(size)
    // A second try on fresh ports and data: a port picked free can be taken by another test
    // before etcd binds it, and a member once sat refusing connections for a whole minute on
    // a machine loaded by the sanitizer run.
    var attempt = 1
    while true {
      do {
        for index in members.indices { try launch(index) }
        for index in members.indices { try await waitUntilServing(index) }
        return
      } catch {
        stop()
        guard attempt < 2 else { throw error }
        attempt += 1
        for member in members {
          try? FileManager.default.removeItem(atPath: "\(directory)/\(member.name).etcd")
        }
        members = try Self.freshMembers(size)
      }
    }
  }

  private static func freshMembers(_ size: Int) throws -> [Member] {
    try (0..<max(1, size)).map { index in
      Member(name: "m\(index)", clientPort: try freePort(), peerPort: try freePort())
    }
  }

  deinit {
    stop()
    try? FileManager.default.removeItem(atPath: directory)
  }

  private static func freePort() throws -> UInt16 {
    let (descriptor, port) = try LoopbackSocket.listen()
    LoopbackSocket.close(descriptor)
    return port
  }

  private func launch(_ index: Int) throws {
    let member = members[index]
    let cluster = members.map { "\($0.name)=http://127.0.0.1:\($0.peerPort)" }.joined(
      separator: ",")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Self.executable ?? "etcd")
    process.arguments = [
      "--name", member.name,
      "--data-dir", "\(directory)/\(member.name).etcd",
      "--listen-client-urls", "http://127.0.0.1:\(member.clientPort)",
      "--advertise-client-urls", "http://127.0.0.1:\(member.clientPort)",
      "--listen-peer-urls", "http://127.0.0.1:\(member.peerPort)",
      "--initial-advertise-peer-urls", "http://127.0.0.1:\(member.peerPort)",
      "--initial-cluster", cluster,
      "--initial-cluster-state", "new",
      "--initial-cluster-token", token,
      "--heartbeat-interval", "50",
      "--election-timeout", "750",
      "--logger", "zap", "--log-level", "warn",
    ]
    let log = "\(directory)/\(member.name).log"
    if !FileManager.default.fileExists(atPath: log) {
      _ = FileManager.default.createFile(atPath: log, contents: nil)
    }
    guard let output = FileHandle(forWritingAtPath: log) else {
      throw Failure(description: "cannot open \(log)")
    }
    output.seekToEndOfFile()
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = output
    process.standardError = output
    try process.run()
    try? output.close()
    members[index].process = process
  }

  /// Polls the member until it answers a range read (it has a leader), for up to 60 s (a
  /// loaded machine syncs etcd's first log writes slowly). Uses its own session, so other
  /// tests' requests cannot queue ahead of it.
  private func waitUntilServing(_ index: Int) async throws {
    let url = endpoints[index].appendingPathComponent("v3/kv/range")
    let session = URLSession(configuration: .ephemeral)
    defer { session.finishTasksAndInvalidate() }
    let deadline = ContinuousClock.now.advanced(by: .seconds(60))
    var problem = "no answer yet"
    while ContinuousClock.now < deadline {
      guard members[index].process?.isRunning == true else {
        throw Failure(description: "etcd \(members[index].name) exited: \(log(of: index))")
      }
      var request = URLRequest(url: url)
      request.httpMethod = "POST"
      request.httpBody = Data(#"{"key":"AA=="}"#.utf8)
      request.timeoutInterval = 5
      do {
        let (_, response) = try await session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        if status == 200 { return }
        problem = "HTTP \(status)"
      } catch {
        problem = "\(error)"
      }
      try await Task.sleep(for: .milliseconds(50))
    }
    throw Failure(
      description:
        "etcd \(members[index].name) did not serve within 60 s (last: \(problem)): "
        + log(of: index))
  }

  /// The end of member `index`'s log, for failure messages.
  func log(of index: Int) -> String {
    let text =
      (try? String(contentsOfFile: "\(directory)/\(members[index].name).log", encoding: .utf8))
      ?? ""
    return String(text.suffix(2_000))
  }

  /// Kills member `index` with `SIGKILL` and reaps it.
  func kill(_ index: Int) {
    guard let process = members[index].process else { return }
    members[index].process = nil
    if process.isRunning { _ = Foundation.kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }

  /// Waits until every member still running reports the same leader, and that leader is
  /// running: the election after a kill is over. (Requests during an election can end with
  /// the connection closed and no response, which FoundationNetworking on Linux turns into a
  /// crash: swiftlang/swift-corelibs-foundation#5285.) Status is answered locally, without
  /// a leader.
  func waitForLeader() async throws {
    let session = URLSession(configuration: .ephemeral)
    defer { session.finishTasksAndInvalidate() }
    struct Status: Decodable {
      struct Header: Decodable { var memberId: String? }
      var header: Header?
      var leader: String?
    }
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    let deadline = ContinuousClock.now.advanced(by: .seconds(30))
    while ContinuousClock.now < deadline {
      var leaders: Set<String> = []
      var running: Set<String> = []
      for index in members.indices where members[index].process?.isRunning == true {
        var request = URLRequest(
          url: endpoints[index].appendingPathComponent("v3/maintenance/status"))
        request.httpMethod = "POST"
        request.httpBody = Data("{}".utf8)
        request.timeoutInterval = 2
        guard let (data, _) = try? await session.data(for: request),
          let status = try? decoder.decode(Status.self, from: data)
        else { continue }
        leaders.insert(status.leader ?? "0")
        if let id = status.header?.memberId { running.insert(id) }
      }
      if leaders.count == 1, let leader = leaders.first, running.contains(leader) { return }
      try await Task.sleep(for: .milliseconds(50))
    }
    throw Failure(description: "the remaining etcd members elected no leader within 30 s")
  }

  /// The size in bytes of the value stored under `key` (0 if none).
  static func rawValueSize(of key: String, at endpoint: URL) async throws -> Int {
    try await rawValue(of: key, at: endpoint)?.count ?? 0
  }

  /// The raw bytes under `key`.
  static func rawValue(of key: String, at endpoint: URL) async throws -> [UInt8]? {
    var request = URLRequest(url: endpoint.appendingPathComponent("v3/kv/range"))
    request.httpMethod = "POST"
    request.httpBody = try JSONEncoder().encode(["key": Data(key.utf8).base64EncodedString()])
    let (data, _) = try await URLSession.shared.data(for: request)
    struct Answer: Decodable {
      struct KV: Decodable { var value: String? }
      var kvs: [KV]?
    }
    let value = try JSONDecoder().decode(Answer.self, from: data).kvs?.first?.value
    return value.flatMap { Data(base64Encoded: $0) }.map(Array.init)
  }

  /// Starts member `index` again on its data directory and waits until it serves.
  func restart(_ index: Int) async throws {
    kill(index)
    try launch(index)
    try await waitUntilServing(index)
  }

  /// Kills and reaps every member. Safe to call more than once.
  func stop() {
    for index in members.indices { kill(index) }
  }
}
