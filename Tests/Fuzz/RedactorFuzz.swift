// Harness `redactor`: `SecretRedactor.redact` and `StateText.redactedEvidence`.
//
// Input: byte 0 picks a known secret prefix (`0xFF`: plant nothing), byte 1 the secret's
// length past the prefix (6...45), byte 2 where it goes and a short evidence limit; the rest
// is the text. The secret is planted between spaces, at a token's start, where the redactor
// promises to find it.
// Checked (SecretRedactor's and StateText's doc comments): redacting twice equals redacting
// once, for both; no token that starts with a known prefix survives either.
// Left out (issue 19, known defects): a prefixed secret glued after another token byte,
// `Authorization: token <hex>`, JSON-quoted names, and a cut of `redactedEvidence` that lands
// inside `Bearer`/`Basic` (tolerated below when it is the only difference).

@testable import FailSafe

private let alphabet = Array("aB3cD4eF5gH6iJ7kL8mN9pQ0rS1tU2vWxYz".utf8)

/// libFuzzer's entry point: redacts the text built from `data`.
@_cdecl("LLVMFuzzerTestOneInput")
public func redactorFuzzInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = bytes(data, size)
  guard input.count >= 3 else { return 0 }
  var text = String(decoding: input[3...], as: UTF8.self)
  if input[0] != 0xFF {
    let prefix = SecretRedactor.prefixes[Int(input[0]) % SecretRedactor.prefixes.count]
    let body = (0..<(6 + Int(input[1]) % 40)).map { alphabet[(Int(input[1]) + $0 * 7) % 35] }
    let secret = prefix + String(decoding: body, as: UTF8.self)
    let offset = text.count * Int(input[2]) / 256
    let position = text.index(text.startIndex, offsetBy: offset)
    text.insert(contentsOf: " \(secret) ", at: position)
  }

  let once = SecretRedactor.redact(text)
  require(
    SecretRedactor.redact(once) == once,
    "redact is not idempotent on \(text.debugDescription): \(once.debugDescription)")
  if let secret = survivingPrefixedSecret(in: once) {
    require(false, "secret \(secret.debugDescription) survived in \(once.debugDescription)")
  }

  for limit in [PersistedFailure.maximumEvidenceLength, Int(input[2]) % 80] {
    let evidence = StateText.redactedEvidence(text, limit: limit)
    let again = StateText.redactedEvidence(evidence, limit: limit)
    require(
      again == evidence || cutsInsideScheme(evidence),
      "redactedEvidence(limit: \(limit)) is not idempotent on \(text.debugDescription): "
        + "\(evidence.debugDescription) then \(again.debugDescription)")
    if let secret = survivingPrefixedSecret(in: evidence) {
      require(false, "secret \(secret.debugDescription) survived in \(evidence.debugDescription)")
    }
  }
  return 0
}
