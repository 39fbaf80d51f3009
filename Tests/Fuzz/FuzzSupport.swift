// Shared by every harness (each is built from its own file plus this one; see .ci/fuzz).

import Foundation

@testable import FailSafe

/// Stops the run when a property fails: the abort makes libFuzzer save the input as a crash.
/// (Not `fatalError`: its message would be mixed with the runtime's backtrace.)
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
  guard !condition else { return }
  FileHandle.standardError.write(Data("property failed: \(message())\n".utf8))
  abort()
}

/// The fuzzer's input as an array (the harnesses slice and re-read it freely).
func bytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
  Array(UnsafeBufferPointer(start: data, count: size))
}

/// The first token of `text` that starts with a known secret prefix and is long enough to be
/// a secret by that prefix alone (`SecretRedactor.prefixes`, six bytes past it), or `nil`.
///
/// Tokens are the redactor's own (runs of `ByteClass.token` bytes); glued prefixes
/// (`/keys/xoxp-...`) are checked by the `redactor` harness where it plants them.
func survivingPrefixedSecret(in text: String) -> String? {
  let utf8 = Array(text.utf8)
  var index = 0
  while index < utf8.count {
    guard ByteClass.of(utf8[index]) & ByteClass.token != 0 else {
      index += 1
      continue
    }
    let start = index
    while index < utf8.count, ByteClass.of(utf8[index]) & ByteClass.token != 0 { index += 1 }
    let token = utf8[start..<index]
    for prefix in SecretRedactor.prefixes {
      let prefixBytes = Array(prefix.utf8)
      if token.count >= prefixBytes.count + 6, token.starts(with: prefixBytes) {
        return String(decoding: token, as: UTF8.self)
      }
    }
  }
  return nil
}
