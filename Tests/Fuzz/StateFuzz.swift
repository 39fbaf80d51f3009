// Harness `state`: a state file's bytes through the file store a worker uses.
//
// Input: the bytes of a state file, written as is to a fresh path. The store loads it, saves
// what it loaded (as a worker's first save does) and loads the result again.
// Checked (FileBreakerStateStore, PersistedStateDocument, StateMerge doc comments): no crash;
// every credential dead after the first load is dead after the second (held states are never
// dropped below the size bound); and reading the encoded normalized document gives the
// normalized document back (`read(encoded(d.normalized())) == d.normalized()`); and every
// readable dead entry survives any single-byte damage elsewhere: the encoded document with
// one byte (position and value from the input's hash) replaced still reads every dead entry
// whose own bytes were not hit as dead.

import Foundation

@testable import FailSafe

/// The directory for the state files: `FAILSAFE_FUZZ_TMP` (`.ci/fuzz` points it at a RAM disk
/// when there is one: each input costs a few fsyncs) or the system's temporary directory.
private let directory: String = {
  let base = ProcessInfo.processInfo.environment["FAILSAFE_FUZZ_TMP"] ?? NSTemporaryDirectory()
  let path = (base as NSString).appendingPathComponent("failsafe-state-fuzz-\(getpid())")
  try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}()
private let path = (directory as NSString).appendingPathComponent("state.json")
private let loadedAt = Date(timeIntervalSince1970: 1_780_000_000)

/// libFuzzer's entry point: loads, saves and reloads a state file holding `data`.
@_cdecl("LLVMFuzzerTestOneInput")
public func stateFuzzInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = bytes(data, size)
  for suffix in ["", ".tmp", ".damaged.tmp"] { unlink(path + suffix) }
  for copy in 0..<FileBreakerStateStore.maximumDamagedCopies {
    unlink(path + ".damaged" + (copy == 0 ? "" : ".\(copy)"))
  }
  require(FileManager.default.createFile(atPath: path, contents: Data(input)), "cannot write")
  // A new store per input: its cache of the last file read must not outlive the input.
  let store = FileBreakerStateStore(path: path, wallClock: WallClock { loadedAt })

  let first: StateDocumentReading
  do {
    first = try store.loadSynchronously()
  } catch {
    require(false, "load threw \(error)")
    return 0
  }
  checkRoundTrip(first.document)
  checkDamageElsewhere(first.document, seed: input)

  do {
    _ = try store.saveSynchronously(first.document)
  } catch StateStoreError.notAStateFile, StateStoreError.newerVersion {
    // Never overwritten, by design; the file is unchanged.
  } catch {
    require(false, "save threw \(error)")
  }
  guard let second = try? store.loadSynchronously() else {
    require(false, "the saved file does not load")
    return 0
  }
  for (id, entry) in first.document.credentials where entry.status == .dead {
    let status = second.document.credentials[id]?.status
    require(status == .dead, "\(id.debugDescription) was dead, is \(String(describing: status))")
  }
  return 0
}

/// `read(encoded(d.normalized())) == d.normalized()`, up to `savedAt`.
private func checkRoundTrip(_ document: PersistedStateDocument) {
  let normalized = document.normalized()
  guard let encoded = try? normalized.encoded() else {
    require(false, "a normalized document does not encode")
    return
  }
  let reread = PersistedStateDocument.read(from: encoded, loadedAt: loadedAt).document
  for (id, entry) in normalized.credentials {
    let expected = entry
    let actual = reread.credentials[id]
    require(
      actual == expected,
      "\(id.debugDescription) reads back as \(String(describing: actual)), not \(expected)")
  }
  require(
    reread.credentials.count == normalized.credentials.count,
    "\(normalized.credentials.count) credentials read back as \(reread.credentials.count)")
}

/// Every dead entry of `document`, written, survives one damaged byte outside its own bytes
/// (from its id's opening quote to the next entry's): the position and the byte come from a
/// hash of `seed`.
private func checkDamageElsewhere(_ document: PersistedStateDocument, seed: [UInt8]) {
  let normalized = document.normalized()
  guard normalized.credentials.values.contains(where: { $0.status == .dead }),
    let encoded = try? normalized.encoded()
  else { return }
  let keyEncoder = JSONEncoder()
  keyEncoder.outputFormatting = [.withoutEscapingSlashes]
  var starts: [(id: String, start: Int)] = []
  for id in normalized.credentials.keys {
    // An entry's key is the only text on its line at the entries' indentation (four spaces):
    // the bare key could be the document's own `"credentials" : {`, or an object field of
    // an earlier entry, when an id is spelled like one.
    let indentation = Data("\n    ".utf8)
    guard let key = try? keyEncoder.encode(id),
      let range = encoded.range(of: indentation + key + Data(" : {".utf8))
    else { continue }
    starts.append((id, range.lowerBound + indentation.count))
  }
  starts.sort { $0.start < $1.start }
  var hash: UInt64 = 0xCBF2_9CE4_8422_2325
  for byte in seed { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
  var damaged = Array(encoded)
  let position = Int(hash % UInt64(damaged.count))
  let replacement = UInt8(truncatingIfNeeded: hash >> 32)
  guard damaged[position] != replacement else { return }
  damaged[position] = replacement
  let reading = PersistedStateDocument.read(from: Data(damaged), loadedAt: loadedAt)
  for (index, entry) in starts.enumerated()
  where normalized.credentials[entry.id]?.status == .dead {
    let end = index + 1 < starts.count ? starts[index + 1].start : damaged.count
    guard !(entry.start..<end).contains(position) else { continue }
    let status = reading.document.credentials[entry.id]?.status
    require(
      status == .dead,
      "\(entry.id.debugDescription) was dead, is \(String(describing: status)) after byte "
        + "\(position) became \(replacement)")
  }
}
