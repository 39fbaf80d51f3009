// A helper process for the state store's multi-process tests (not shipped: no product).
//
//   FailSafeStateTestHelper save-loop PATH ENTRIES [STOP-AFTER-CHUNKS]
//     Saves a document of ENTRIES credentials to PATH in a tight loop, every entry stamped with
//     the save's generation, and prints "saved N" after each save. Runs until killed. With
//     STOP-AFTER-CHUNKS = K, the second save stops itself (SIGSTOP) after writing K chunks of
//     its temporary file, having printed "stopped mid-write": a known point to be killed at.
//
//   FailSafeStateTestHelper kill-key PATH ID
//     A worker: loads PATH into a breaker registry, reports a `permanent` failure for ID (so its
//     breaker dies), saves through the persistence, prints "dead" and exits 0.
//
//   FailSafeStateTestHelper crash-worker PATH
//     A worker that kills "dead-key" (permanent failure) and trips "slow-key" three times in a
//     row (cooldowns of 10, 20 and 40 minutes on a manual clock), saves, prints
//     "saved streak=S remaining=SECONDS", then waits to be killed without saving again.
//
// Every mode exits by itself if its parent goes away or after a minute, so a test that fails
// to kill it cannot leave it running.

import FailSafe
import FailSafeTesting
import Foundation
import Synchronization

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
  guard (3...4).contains(arguments.count), let entries = Int(arguments[2]), entries > 0 else {
    fail("usage: save-loop PATH ENTRIES [STOP-AFTER-CHUNKS]")
  }
  if arguments.count == 4 {
    guard let stopAfterChunks = Int(arguments[3]), stopAfterChunks > 0 else {
      fail("STOP-AFTER-CHUNKS must be a positive whole number")
    }
    let chunks = SanitizerVisibleMutex(0)
    let saves = SanitizerVisibleMutex(0)
    StateFileFaults.onChunkWritten { written, total in
      // The first save completes; the second stops with its temporary file part-written.
      if written == total { saves.withLock { $0 += 1 } }
      guard saves.withLock({ $0 }) == 1, written < total else { return }
      let chunk = chunks.withLock { count -> Int in
        count += 1
        return count
      }
      if chunk == stopAfterChunks {
        say("stopped mid-write \(written) of \(total)")
        raise(SIGSTOP)
      }
    }
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
        counters: BreakerCounters(failures: generation), updatedAt: now)
    }
    do {
      _ = try await store.save(document)
    } catch {
      fail("save failed: \(error)")
    }
    say("saved \(generation)")
  }
case "kill-key":
  guard arguments.count == 3 else { fail("usage: kill-key PATH ID") }
  let persistence = BreakerStatePersistence(
    store: FileBreakerStateStore(path: arguments[1]), clock: CoarseMonotonicClock(),
    syncInterval: nil,
    onProblem: { problem in FileHandle.standardError.write(Data("\(problem)\n".utf8)) })
  let registry = BreakerRegistry(observer: persistence.observe)
  do {
    try await persistence.start(registry: registry)
  } catch {
    fail("cannot load: \(error)")
  }
  let breaker = registry.breaker(for: CredentialID(rawValue: arguments[2]))
  do {
    let permit = try breaker.acquire()
    breaker.recordFailure(
      permit,
      Classification(
        disposition: .permanent, reason: .keyRevoked,
        evidence: "HTTP 401 API key revoked (from the helper process)"))
  } catch {
    fail("the key was already rejected: \(error)")
  }
  await persistence.close()
  guard breaker.state == .dead else { fail("the breaker is \(breaker.state), not dead") }
  say("dead")
case "crash-worker":
  guard arguments.count == 2 else { fail("usage: crash-worker PATH") }
  let clock = ManualClock()
  let policy = BreakerPolicy(
    failureThreshold: 1,
    backoff: BackoffPolicy(base: .seconds(600), maximum: .seconds(7_200), jitter: .none))
  let persistence = BreakerStatePersistence(
    store: FileBreakerStateStore(path: arguments[1]), clock: clock, policy: policy,
    syncInterval: nil,
    onProblem: { problem in FileHandle.standardError.write(Data("\(problem)\n".utf8)) })
  let registry = BreakerRegistry(policy: policy, clock: clock, observer: persistence.observe)
  do {
    try await persistence.start(registry: registry)
    let dead = registry.breaker(for: "dead-key")
    dead.recordFailure(
      try dead.acquire(),
      Classification(
        disposition: .permanent, reason: .keyInvalid, evidence: "HTTP 400 API_KEY_INVALID"))
    let slow = registry.breaker(for: "slow-key")
    let overloaded = Classification(
      disposition: .retryable, reason: .overloaded, evidence: "HTTP 529")
    for _ in 0..<3 {
      slow.recordFailure(try slow.acquire(), overloaded)
      await clock.advance(by: slow.snapshot().cooldownRemaining ?? .zero)
    }
    slow.recordFailure(try slow.acquire(), overloaded)  // the probe fails again
    await persistence.flush()
    let snapshot = slow.snapshot()
    let remaining = snapshot.cooldownRemaining?.components.seconds ?? -1
    say("saved streak=\(snapshot.streak) remaining=\(remaining)")
  } catch {
    fail("\(error)")
  }
  // Crash here: no close(), no further save. The parent kills us.
  while shouldContinue() { usleep(10_000) }
default:
  fail("unknown mode; see the comment at the top of main.swift")
}
