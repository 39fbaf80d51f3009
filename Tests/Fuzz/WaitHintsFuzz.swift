// Harness `waithints`: the wait-hint parsers on arbitrary text.
//
// Input: the first line is the text every parser reads; the other lines are `name: value`
// headers for `HeaderSignals`, with the status 429 (so a bare `x-ratelimit-reset` counts).
// Checked (the parsers' doc comments, Docs/Classification.md): no crash; durations and waits
// are finite and non-negative; absolute times are finite and within years 1970...9999 (an
// RFC 3339 offset may move them by less than a day); epochs are finite and positive.

import Foundation

@testable import FailSafe

/// A reference time for absolute values, as a `date` header would give: 2026-03-01.
private let reference = 1_772_323_200.0
/// Years 1970...9999 in seconds since 1970, widened by a day for RFC 3339 offsets.
private let timeRange = -86_400.0...(253_402_300_800.0 + 86_400)

/// libFuzzer's entry point: runs every wait-hint parser on `data`.
@_cdecl("LLVMFuzzerTestOneInput")
public func waitHintsFuzzInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = bytes(data, size)
  let firstLineEnd = input.firstIndex(of: UInt8(ascii: "\n")) ?? input.count
  let line = input[..<firstLineEnd]
  let text = String(decoding: line, as: UTF8.self)

  checkWait(DurationText.seconds(text), "DurationText.seconds", text)
  checkWait(DurationText.seconds(Array(line)), "DurationText.seconds(bytes)", text)
  Array(line).withUnsafeBytes { raw in
    // Where running text would start a duration: the start, and after each space.
    for start in raw.indices where start == 0 || raw[start - 1] == 0x20 {
      checkWait(DurationText.leadingSeconds(raw, from: start), "leadingSeconds", text)
      for lengthMeant in [false, true] {
        checkWait(
          DurationText.leadingTimeSpan(raw, from: start, clockForm: lengthMeant),
          "leadingTimeSpan", text)
        switch WaitText.read(raw, from: start, afterIn: lengthMeant) {
        case .seconds(let seconds): checkWait(seconds, "WaitText.read", text)
        case .time(let time):
          // A date is within `timeRange`; an epoch (ten digits or more) is only finite and
          // positive, as `epoch` says: a wait measured to it is capped by the caller.
          require(
            time.isFinite && time >= timeRange.lowerBound,
            "WaitText.read(\(text.debugDescription)) = \(time)")
        case nil: break
        }
      }
    }
  }
  if let number = DurationText.decimal(line) {
    require(number.isFinite, "decimal(\(text.debugDescription)) = \(number)")
  }
  for (name, time) in [
    ("httpDate", TimestampText.httpDate(text)), ("rfc3339", TimestampText.rfc3339(text)),
  ] {
    if let time {
      require(timeRange.contains(time), "\(name)(\(text.debugDescription)) = \(time)")
    }
  }
  if let number = Double(text), let epoch = TimestampText.epoch(number) {
    require(epoch.isFinite && epoch > 0, "epoch(\(number)) = \(epoch)")
  }
  for base in [nil, reference] {
    checkWait(HeaderSignals.retryAfterSeconds(text, reference: base), "retryAfterSeconds", text)
    checkWait(HeaderSignals.resetSeconds(text, reference: base), "resetSeconds", text)
  }

  var headers = HTTPHeaderFields()
  for headerLine in input[firstLineEnd...].split(separator: UInt8(ascii: "\n")) {
    let colon = headerLine.firstIndex(of: UInt8(ascii: ":")) ?? headerLine.endIndex
    let value = headerLine[colon...].dropFirst().drop { $0 == 0x20 }
    headers.append(
      name: String(decoding: headerLine[..<colon], as: UTF8.self),
      value: String(decoding: value, as: UTF8.self))
  }
  let signals = HeaderSignals(
    headers, status: 429, receivedAt: Date(timeIntervalSince1970: reference))
  checkWait(signals.explicitWait, "explicitWait", "\(headers)")
  checkWait(signals.windowResetWait, "windowResetWait", "\(headers)")
  return 0
}

private func checkWait(_ seconds: Double?, _ parser: String, _ input: String) {
  guard let seconds else { return }
  require(
    seconds.isFinite && seconds >= 0, "\(parser)(\(input.debugDescription)) = \(seconds)")
}
