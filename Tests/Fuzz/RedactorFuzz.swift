// Harness `redactor`: `SecretRedactor.redact` and `StateText.redactedEvidence`.
//
// Input: byte 0 picks a known secret prefix (`0xFF`: plant nothing), byte 1 the secret's
// length past the prefix (6...45), byte 2 where it goes and a short evidence limit, byte 3
// how it is planted; the rest is the text. Planted (byte 3 % 6): at a token's start between
// spaces; glued after a token byte that may precede a prefix (`/ . - _ + ~`, a digit, a
// letter of the other case, or a literal `\n`); as the value of a JSON-quoted secret name
// (`"api_key": "..."`); as the credential of `Authorization: <scheme> <hex>` with any scheme;
// as an AWS secret key without digits (40 letters of both cases and `/+`); as a lower-case hex
// value after a secret name (`token=...`).
// Checked (SecretRedactor's and StateText's doc comments): the planted secret is gone from
// `redact`'s output and from `redactedEvidence`'s; redacting twice equals redacting once, for
// both; no token that starts with a known prefix survives either.

@testable import FailSafe

private let alphabet = Array("aB3cD4eF5gH6iJ7kL8mN9pQ0rS1tU2vWxYz".utf8)

private let hexDigits = Array("0123456789abcdef".utf8)
private let awsAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz/+".utf8)
private let glues = ["/", ".", "-", "_", "+", "~", "7", #"\n"#, "keys/", "id-"]
private let names = ["api_key", "x-api-key", "token", "client_secret", "password", "key"]
private let schemes = ["token", "Digest", "SSWS", "ApiKey", "Bearer", "Basic", "X"]

/// The secret to plant and the text it is planted as, from the input's bytes 0, 1 and 3.
private func plant(_ input: [UInt8]) -> (secret: String, planted: String)? {
  guard input[0] != 0xFF else { return nil }
  let length = 6 + Int(input[1]) % 40
  let prefix = SecretRedactor.prefixes[Int(input[0]) % SecretRedactor.prefixes.count]
  let body = (0..<length).map { alphabet[(Int(input[1]) + $0 * 7) % 35] }
  let prefixed = prefix + String(decoding: body, as: UTF8.self)
  let hex = String(
    decoding: (0..<(16 + length)).map { hexDigits[(Int(input[1]) + $0 * 5) % 16] }, as: UTF8.self)
  let choice = Int(input[3])
  switch choice % 6 {
  case 0:
    return (prefixed, " \(prefixed) ")
  case 1:
    var glue = glues[choice / 6 % glues.count]
    // A letter glued before a prefix is one of the other case (`nAKIA`, `Txoxp-`).
    if choice / 60 % 2 == 1, let first = prefix.first {
      glue = first.isUppercase ? "key" : "KEY"
    }
    return (prefixed, " \(glue)\(prefixed) ")
  case 2:
    let name = names[choice / 6 % names.count]
    return (
      hex, choice / 60 % 2 == 0 ? #" {"\#(name)": "\#(hex)"} "# : #" {\"\#(name)\":\"\#(hex)\"} "#
    )
  case 3:
    let scheme = schemes[choice / 6 % schemes.count]
    return (hex, " Authorization: \(scheme) \(hex) ")
  case 4:
    var key = (0..<40).map { awsAlphabet[(Int(input[1]) &* 31 &+ $0 &* 17) % awsAlphabet.count] }
    // Both cases at least an eighth each: what a random key has but for one in millions.
    for index in stride(from: 0, to: 40, by: 4) {
      key[index] = UInt8(ascii: "A") + UInt8(index % 26)
      key[index + 1] = UInt8(ascii: "q")
    }
    let text = String(decoding: key, as: UTF8.self)
    return (text, " \(text) ")
  default:
    let name = names[choice / 6 % names.count]
    return (hex, " \(name)=\(hex) ")
  }
}

/// How many times `needle` occurs in `text`, overlaps included.
private func occurrences(of needle: String, in text: String) -> Int {
  let text = Array(text.utf8)
  let needle = Array(needle.utf8)
  guard !needle.isEmpty, text.count >= needle.count else { return 0 }
  return (0...(text.count - needle.count)).count {
    text[$0..<($0 + needle.count)].elementsEqual(needle)
  }
}

/// libFuzzer's entry point: redacts the text built from `data`.
@_cdecl("LLVMFuzzerTestOneInput")
public func redactorFuzzInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = bytes(data, size)
  guard input.count >= 4 else { return 0 }
  var text = String(decoding: input[4...], as: UTF8.self)
  let planted = plant(input)
  // Copies of the secret the rest of the text holds by itself are not the planted one.
  let elsewhere = planted.map { occurrences(of: $0.secret, in: text) } ?? 0
  if let planted {
    let offset = text.count * Int(input[2]) / 256
    let position = text.index(text.startIndex, offsetBy: offset)
    text.insert(contentsOf: planted.planted, at: position)
  }

  let once = SecretRedactor.redact(text)
  require(
    SecretRedactor.redact(once) == once,
    "redact is not idempotent on \(text.debugDescription): \(once.debugDescription)")
  if let secret = survivingPrefixedSecret(in: once) {
    require(false, "secret \(secret.debugDescription) survived in \(once.debugDescription)")
  }
  if let planted {
    require(
      occurrences(of: planted.secret, in: once) <= elsewhere,
      "planted \(planted.planted.debugDescription) survived in \(once.debugDescription)")
  }

  for limit in [PersistedFailure.maximumEvidenceLength, Int(input[2]) % 80] {
    let evidence = StateText.redactedEvidence(text, limit: limit)
    let again = StateText.redactedEvidence(evidence, limit: limit)
    require(
      again == evidence,
      "redactedEvidence(limit: \(limit)) is not idempotent on \(text.debugDescription): "
        + "\(evidence.debugDescription) then \(again.debugDescription)")
    if let secret = survivingPrefixedSecret(in: evidence) {
      require(false, "secret \(secret.debugDescription) survived in \(evidence.debugDescription)")
    }
    if let planted {
      require(
        occurrences(of: planted.secret, in: evidence) <= elsewhere,
        "planted \(planted.planted.debugDescription) survived in \(evidence.debugDescription)")
    }
  }
  return 0
}
