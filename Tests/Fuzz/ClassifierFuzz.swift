// Harness `classifier`: a whole response through the public classifier.
//
// Input, read like a raw HTTP response so seeds are easy to write and read:
//   line 1   the status, optionally followed by a space and `receivedAt` in seconds since 1970
//   then     `name: value` header lines, up to the first empty line
//   the rest the body, as bytes
// Checked (Docs/Classification.md): no crash; a wait is within 0...maximumWait (a
// quotaExhausted one within a year and a day: it is reported as stated); the evidence
// has been through the redactor (redacting it again changes nothing, which holds because
// redaction is idempotent) and holds no token that starts with a known secret prefix.

import FailSafe
import Foundation

private let classifier = ProviderErrorClassifier()
private let maximumWait = classifier.configuration.maximumWait
/// The longest wait a quotaExhausted answer reports as stated (a year and a day).
private let longestQuotaWait = Duration.seconds(366 * 86_400)

/// libFuzzer's entry point: classifies one response built from `data`.
@_cdecl("LLVMFuzzerTestOneInput")
public func classifierFuzzInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = bytes(data, size)
  let response = response(from: input)
  let verdict = classifier.classify(response)
  if let wait = verdict.retryAfter {
    let limit =
      verdict.disposition == .quotaExhausted ? max(maximumWait, longestQuotaWait) : maximumWait
    require(wait >= .zero && wait <= limit, "wait \(wait) outside 0...\(limit)")
  }
  require(
    SecretRedactor.redact(verdict.evidence) == verdict.evidence,
    "evidence is not redacted: \(verdict.evidence.debugDescription)")
  if let secret = survivingPrefixedSecret(in: verdict.evidence) {
    require(false, "secret \(secret.debugDescription) in evidence")
  }
  return 0
}

private func response(from input: [UInt8]) -> ProviderResponse {
  var lines = LineReader(input)
  let statusLine = String(decoding: lines.next() ?? [], as: UTF8.self)
  let statusFields = statusLine.split(separator: " ", maxSplits: 1)
  let status = statusFields.first.flatMap { Int($0) } ?? 400 + Int(input.first ?? 0) % 200
  let receivedAt = statusFields.dropFirst().first.flatMap { Double($0) }.map {
    Date(timeIntervalSince1970: $0)
  }
  var headers = HTTPHeaderFields()
  while let line = lines.next(), !line.isEmpty {
    let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
    let name = String(decoding: line[..<colon], as: UTF8.self)
    // HTTP clients hand over values without the whitespace after the colon.
    let value = line[colon...].dropFirst().drop { $0 == 0x20 || $0 == 0x09 }
    headers.append(name: name, value: String(decoding: value, as: UTF8.self))
  }
  return ProviderResponse(
    status: status, headers: headers, body: Data(lines.rest), receivedAt: receivedAt)
}

/// Splits bytes at `\n` (a `\r` before it is dropped), then hands over what is left.
private struct LineReader {
  private let input: [UInt8]
  private var index = 0

  init(_ input: [UInt8]) { self.input = input }

  mutating func next() -> ArraySlice<UInt8>? {
    guard index < input.count else { return nil }
    let end = input[index...].firstIndex(of: UInt8(ascii: "\n")) ?? input.count
    var line = input[index..<end]
    if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
    index = min(input.count, end + 1)
    return line
  }

  var rest: ArraySlice<UInt8> { input[index...] }
}
