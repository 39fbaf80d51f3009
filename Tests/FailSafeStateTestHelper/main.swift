// A helper process for the state store's multi-process tests (not shipped: no product).
//
//   FailSafeStateTestHelper save-loop PATH ENTRIES
//     Saves a document of ENTRIES credentials to PATH in a tight loop, every entry stamped with
//     the save's generation, and prints "saved N" after each save. Runs until killed.
//
// Every mode exits by itself if its parent goes away or after a minute, so a test that fails
// to kill it cannot leave it running.

import FailSafe
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes `line` to standard output unbuffered, so the parent sees it at once.
func say(_ line: String) {
  let bytes = Array((line + "\n").utf8)
  _ = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
}

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("FailSafeStateTestHelper: \(message)\n".utf8))
  exit(2)
}

let parent = getppid()
let deadline = ContinuousClock.now.advanced(by: .seconds(60))
/// `false` once the parent is gone or the helper has run too long.
func shouldContinue() -> Bool {
  getppid() == parent && ContinuousClock.now < deadline
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "save-loop":
  guard arguments.count == 3, let entries = Int(arguments[2]), entries > 0 else {
    fail("usage: save-loop PATH ENTRIES")
  }
  let store = FileBreakerStateStore(path: arguments[1])
  let evidence = String(repeating: "HTTP 503 upstream overloaded; ", count: 8)
  var generation = 0
  while shouldContinue() {
    generation += 1
    var document = PersistedStateDocument()
    let now = Date()
    for index in 0..<entries {
      document.credentials["key-\(index)"] = PersistedCredentialState(
        status: index % 3 == 0 ? .dead : .open, consecutiveFailures: generation,
        streak: generation, reopenAt: now.addingTimeInterval(600),
        firstError: PersistedFailure(
          disposition: .retryable, reason: .overloaded, evidence: evidence),
        counters: PersistedCounters(failures: generation), updatedAt: now)
    }
    do {
      _ = try store.save(document)
    } catch {
      fail("save failed: \(error)")
    }
    say("saved \(generation)")
  }
default:
  fail("unknown mode; see the comment at the top of main.swift")
}
