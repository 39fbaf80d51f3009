import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A running `FailSafeStateTestHelper` child process, for tests that need a second real
/// process. Its standard output is a pipe read line by line; standard error goes to a file.
///
/// The child is always killed and reaped: by ``kill()``, or when this object goes away. The
/// helper also exits by itself when its parent dies or after a minute, so no child outlives a
/// test run or keeps a pipe open.
final class StateHelperProcess {
  struct NotFound: Error, CustomStringConvertible {
    let searched: [String]
    var description: String {
      "FailSafeStateTestHelper not found next to the test bundle; searched: "
        + searched.joined(separator: ", ")
    }
  }

  private let process = Process()
  private let output = Pipe()
  private let errorPath: String
  private var pending = ""
  private var reaped = false

  /// The helper executable: SwiftPM puts it in the build directory that also holds the test
  /// bundle, so look in the directories above the running test binary.
  static func executable() throws -> URL {
    var starts: [URL] = [
      URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath(),
      Bundle.main.bundleURL, Bundle.main.executableURL,
    ].compactMap { $0 }
    #if os(Linux)
      starts.append(URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath())
    #endif
    var searched: [String] = []
    for start in starts {
      var directory = start.deletingLastPathComponent()
      for _ in 0..<5 {
        let candidate = directory.appendingPathComponent("FailSafeStateTestHelper")
        searched.append(candidate.path)
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        directory = directory.deletingLastPathComponent()
      }
    }
    throw NotFound(searched: searched)
  }

  /// Starts the helper with `arguments`.
  init(_ arguments: [String]) throws {
    errorPath =
      FileManager.default.temporaryDirectory
      .appendingPathComponent("failsafe-helper-\(UUID().uuidString).stderr").path
    _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
    process.executableURL = try Self.executable()
    process.arguments = arguments
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = output
    process.standardError = FileHandle(forWritingAtPath: errorPath)
    try process.run()
    // Only the child writes to the pipe now; EOF means it is gone.
    try? output.fileHandleForWriting.close()
  }

  deinit {
    kill()
    try? FileManager.default.removeItem(atPath: errorPath)
  }

  /// What the helper wrote to standard error so far.
  var errorText: String {
    (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
  }

  /// Reads lines until one satisfies `predicate` and returns it; `nil` if the helper closed its
  /// output (exited) first.
  func waitForLine(where predicate: (String) -> Bool) -> String? {
    while true {
      while let newline = pending.firstIndex(of: "\n") {
        let line = String(pending[..<newline])
        pending.removeSubrange(...newline)
        if predicate(line) { return line }
      }
      let data = output.fileHandleForReading.availableData
      if data.isEmpty { return nil }
      pending += String(decoding: data, as: UTF8.self)
    }
  }

  #if os(Linux)
    /// Kills the helper in the middle of writing a file in `directory` (other than
    /// `excluding`): once it holds such a file open for writing with fewer than `before` bytes
    /// written, it is stopped with `SIGSTOP`, checked again while stopped, and killed with
    /// `SIGKILL` (or resumed, if the moment had passed). Returns `false` if the helper exited or
    /// `attempts` ran out first.
    func killMidWrite(
      in directory: String, excluding: Set<String>, before: Int, attempts: Int = 2_000_000
    ) -> Bool {
      let pid = process.processIdentifier
      for _ in 0..<attempts {
        // The helper exits by itself within a minute; a cancelled test stops sooner.
        guard process.isRunning, !Task.isCancelled else { return false }
        guard isWriting(pid: pid, in: directory, excluding: excluding, before: before) else {
          continue
        }
        _ = Foundation.kill(pid, SIGSTOP)
        guard waitUntilStopped(pid: pid) else { return false }
        if isWriting(pid: pid, in: directory, excluding: excluding, before: before) {
          kill()
          return true
        }
        _ = Foundation.kill(pid, SIGCONT)
      }
      return false
    }

    /// Whether `pid` has a file directly in `directory` open for writing, positioned before
    /// byte `before`.
    private func isWriting(
      pid: Int32, in directory: String, excluding: Set<String>, before: Int
    ) -> Bool {
      let descriptors = "/proc/\(pid)/fd"
      guard let names = try? FileManager.default.contentsOfDirectory(atPath: descriptors) else {
        return false
      }
      for name in names {
        guard
          let target = try? FileManager.default.destinationOfSymbolicLink(
            atPath: descriptors + "/" + name),
          (target as NSString).deletingLastPathComponent == directory,
          !excluding.contains((target as NSString).lastPathComponent),
          let info = try? String(contentsOfFile: "/proc/\(pid)/fdinfo/\(name)", encoding: .utf8),
          let flagsLine = info.split(separator: "\n").first(where: { $0.hasPrefix("flags:") }),
          let flags = Int(
            flagsLine.dropFirst("flags:".count).trimmingCharacters(in: .whitespaces), radix: 8),
          let positionLine = info.split(separator: "\n").first(where: { $0.hasPrefix("pos:") }),
          let position = Int(
            positionLine.dropFirst("pos:".count).trimmingCharacters(in: .whitespaces))
        else { continue }
        if flags & Int(O_ACCMODE) != Int(O_RDONLY), position < before { return true }
      }
      return false
    }

    /// Spins until `/proc/PID/stat` shows the process stopped; `false` if it vanished.
    private func waitUntilStopped(pid: Int32) -> Bool {
      for _ in 0..<1_000_000 {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        if state == "T" || state == "t" { return true }
        if state == "Z" || state == "X" { return false }
        sched_yield()
      }
      return false
    }
  #endif

  /// Kills the helper with `SIGKILL` and reaps it. Safe to call more than once.
  func kill() {
    guard !reaped else { return }
    reaped = true
    if process.isRunning {
      _ = Foundation.kill(process.processIdentifier, SIGKILL)
    }
    process.waitUntilExit()
    try? output.fileHandleForReading.close()
  }

  /// Waits for the helper to exit by itself and returns its exit status.
  func waitForExit() -> Int32 {
    if !reaped {
      process.waitUntilExit()
      reaped = true
      try? output.fileHandleForReading.close()
    }
    return process.terminationStatus
  }

  /// `true` if the helper was ended by `SIGKILL`.
  var wasKilled: Bool {
    process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
  }
}
