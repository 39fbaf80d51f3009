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
