import Foundation

/// What a response's headers say: the provider's wait, whether a rate-limit window is empty,
/// and the identifiers some providers put in headers (AWS `x-amzn-errortype`, OAuth
/// `WWW-Authenticate: Bearer error="..."`, Stripe's `stripe-should-retry`).
///
/// Wait sources, in order of trust: `retry-after-ms`, `retry-after` (delay-seconds or an
/// HTTP-date), then the reset time of every rate-limit window whose `remaining` is 0
/// (`x-ratelimit-reset-requests` / `-tokens` Go durations, `anthropic-ratelimit-*-reset`
/// RFC 3339 times, GitHub's `x-ratelimit-reset` epoch, IETF `ratelimit-reset` seconds); when
/// several windows are empty the longest reset wins, since the caller must wait for all.
/// Absolute times are measured from the response's `date` header, else from `receivedAt`;
/// with neither they give no wait.
///
/// Only the first ``maximumInspectedFields`` header fields are read, as only the first 64 KiB
/// of a body are: a response (or a proxy) sending 100,000 rate-limit headers costs what 256
/// do. Resets are paired with their windows' `remaining` counts in work linear in the fields
/// read.
struct HeaderSignals {
  /// The header fields read, in the order received (256); any after them are ignored. Real
  /// responses send a few dozen.
  static let maximumInspectedFields = 256
  /// Up to this many reset × remaining pairs are compared directly (the usual one to four
  /// windows); more are paired through a set of the empty windows.
  private static let maximumDirectPairings = 64

  /// The wait from `retry-after-ms` or `retry-after`, in seconds (uncapped).
  var explicitWait: Double?
  /// The wait until the empty rate-limit windows reset, in seconds (uncapped).
  var windowResetWait: Double?
  /// Whether a generic `x-ratelimit-remaining: 0` (GitHub style) was sent.
  var rateLimitExhausted = false
  /// The value of `stripe-should-retry`, if sent.
  var shouldRetry: Bool?
  /// Lower-cased identifiers from headers.
  var codes: [String] = []
  /// Whether an empty rate-limit window is a day or longer: a window header named for a day
  /// or month (`x-ratelimit-day-remaining: 0`), or a `ratelimit-policy` entry naming a daily
  /// policy or a window of a day or more (`15000;w=2592000`) whose `remaining` is 0.
  var longWindowExhausted = false
  /// The time waits are measured from, in seconds since 1970: the `date` header, else the
  /// response's `receivedAt`; `nil` with neither.
  var reference: Double?
  /// How many header fields were read (a test hook).
  var inspectedFieldCount = 0
  /// The window comparisons and set operations made pairing resets with remaining counts: at
  /// most ``maximumDirectPairings``, else one per window header (a test hook).
  var pairingWork = 0

  /// Reads `headers` of a response with `status`, received at `receivedAt` (if known).
  init(_ headers: HTTPHeaderFields, status: Int, receivedAt: Date?) {
    var retryAfter: String?
    var retryAfterMilliseconds: String?
    var dateHeader: String?
    var plainRemaining: String?
    var plainReset: String?
    var draftRemaining: String?
    var draftReset: String?
    var policy: String?
    var windowResets: [(window: Substring.UTF8View, value: String)] = []
    var windowRemaining: [(window: Substring.UTF8View, value: String)] = []
    let fields = headers.fields.prefix(Self.maximumInspectedFields)
    inspectedFieldCount = fields.count
    for field in fields {
      let name = field.name
      // Every name read below starts with one of these bytes: other headers (content-type,
      // server, ...) are passed over without comparing strings.
      guard let first = name.utf8.first, Self.mayBeRead(first) else { continue }
      switch name {
      case "retry-after": retryAfter = retryAfter ?? field.value
      case "retry-after-ms", "x-ms-retry-after-ms": retryAfterMilliseconds = field.value
      case "date": dateHeader = field.value
      case "x-ratelimit-remaining", "x-rate-limit-remaining": plainRemaining = field.value
      case "x-ratelimit-reset", "x-rate-limit-reset": plainReset = field.value
      case "ratelimit-remaining": draftRemaining = field.value
      case "ratelimit-reset": draftReset = field.value
      case "x-ratelimit-policy", "ratelimit-policy", "x-rate-limit-policy", "x-ratelimit-type":
        policy = field.value
      case "stripe-should-retry":
        shouldRetry = field.value.utf8.elementsEqual("true".utf8)
      case "x-amzn-errortype":
        codes.append(ErrorCode.normalize(field.value.lowercased()))
      case "x-mashery-error-code":
        // TIBCO Mashery gateways (TomTom and others): ERR_403_DEVELOPER_OVER_QPS, ...
        codes.append(field.value.lowercased())
      case "www-authenticate":
        if let code = Self.authenticateError(field.value) { codes.append(code) }
      default:
        // Window names are compared as UTF-8 slices: no `String` is built per header.
        let bytes = Substring(name).utf8
        if name.hasPrefix("x-ratelimit-reset-") {
          windowResets.append((bytes.dropFirst(18), field.value))
        } else if name.hasPrefix("x-ratelimit-remaining-") {
          windowRemaining.append((bytes.dropFirst(22), field.value))
        } else if name.hasPrefix("x-ratelimit-"), name.hasSuffix("-remaining") {
          // Window-first names: `x-ratelimit-requests-remaining`, `x-ratelimit-day-remaining`.
          let window = bytes.dropFirst(12).dropLast(10)
          windowRemaining.append((window, field.value))
          if Self.isZero(field.value), Self.namesLongWindow(window) { longWindowExhausted = true }
        } else if name.hasPrefix("x-ratelimit-"), name.hasSuffix("-reset") {
          windowResets.append((bytes.dropFirst(12).dropLast(6), field.value))
        } else if name.hasPrefix("anthropic-ratelimit-"), name.hasSuffix("-reset") {
          // "a" keeps Anthropic's windows apart from OpenAI's of the same name.
          windowResets.append((Substring("a-" + name.dropFirst(20).dropLast(6)).utf8, field.value))
        } else if name.hasPrefix("anthropic-ratelimit-"), name.hasSuffix("-remaining") {
          windowRemaining.append(
            (Substring("a-" + name.dropFirst(20).dropLast(10)).utf8, field.value))
        } else if name.hasPrefix("x-app-limit-") || name.hasPrefix("x-user-limit-") {
          // X (Twitter) API v2's 24-hour limits: `x-app-limit-24hour-remaining` and
          // `-reset` (an epoch), keyed by the whole name before the suffix.
          if name.hasSuffix("-remaining") {
            let window = bytes.dropLast(10)
            windowRemaining.append((window, field.value))
            if Self.isZero(field.value), Self.namesLongWindow(window) {
              longWindowExhausted = true
            }
          } else if name.hasSuffix("-reset") {
            windowResets.append((bytes.dropLast(6), field.value))
          }
        }
      }
    }
    let reference = dateHeader.flatMap(TimestampText.httpDate) ?? receivedAt?.timeIntervalSince1970
    self.reference = reference
    if let milliseconds = retryAfterMilliseconds.flatMap(DurationText.seconds) {
      explicitWait = milliseconds / 1_000
    } else if let retryAfter {
      explicitWait = Self.retryAfterSeconds(retryAfter, reference: reference)
    }
    var longest: Double?
    func consider(_ wait: Double?) {
      guard let wait else { return }
      longest = max(longest ?? wait, wait)
    }
    if !windowResets.isEmpty, !windowRemaining.isEmpty {
      for value in Self.resetsOfEmptyWindows(windowResets, windowRemaining, work: &pairingWork) {
        consider(Self.resetSeconds(value, reference: reference))
      }
    }
    if let plainRemaining, plainRemaining.utf8.contains(UInt8(ascii: ",")) {
      // Lists, one entry per policy (`x-ratelimit-remaining: 1, 0` with
      // `x-ratelimit-reset: 1, 1419704`): every empty window's reset counts.
      let remaining = Self.entries(plainRemaining)
      let resets = plainReset.map(Self.entries) ?? []
      let policies = policy.map(Self.entries) ?? []
      for (position, count) in remaining.enumerated() where Self.isZero(count) {
        if position < resets.count { consider(DurationText.seconds(resets[position])) }
        if position < policies.count, Self.isLongPolicy(policies[position]) {
          longWindowExhausted = true
        }
      }
    } else if let policy, !policy.utf8.contains(UInt8(ascii: ",")), Self.isLongPolicy(policy),
      plainRemaining.map(Self.isZero) ?? draftRemaining.map(Self.isZero) ?? (status == 429)
    {
      longWindowExhausted = true
    }
    let plainEmpty = plainRemaining.map(Self.isZero) ?? (status == 429)
    rateLimitExhausted = plainRemaining.map(Self.isZero) ?? false
    if plainEmpty, let plainReset { consider(Self.resetSeconds(plainReset, reference: reference)) }
    if draftRemaining.map(Self.isZero) ?? (status == 429), let draftReset {
      consider(DurationText.seconds(draftReset))
    }
    windowResetWait = longest
  }

  /// The values of the `resets` whose window has a `remaining` count of 0, in order. `work`
  /// grows by the comparisons and set operations made: at most ``maximumDirectPairings``, or
  /// one per element of `resets` and `remaining`. Kept out of line: most responses have no
  /// window headers, and the initializer stays small.
  @inline(never)
  private static func resetsOfEmptyWindows(
    _ resets: [(window: Substring.UTF8View, value: String)],
    _ remaining: [(window: Substring.UTF8View, value: String)], work: inout Int
  ) -> [String] {
    if resets.count * remaining.count <= maximumDirectPairings {
      return resets.filter { reset in
        remaining.contains {
          work += 1
          return $0.window.elementsEqual(reset.window) && isZero($0.value)
        }
      }.map(\.value)
    }
    var emptyWindows = Set<[UInt8]>()
    for (window, value) in remaining where isZero(value) {
      work += 1
      emptyWindows.insert(Array(window))
    }
    return resets.filter { reset in
      work += 1
      return emptyWindows.contains(Array(reset.window))
    }.map(\.value)
  }

  /// The entries of a comma-separated header value, trimmed.
  private static func entries(_ value: String) -> [String] {
    value.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) }
  }

  /// Whether a window's name in a header names a day or a month (`day`, `daily`, `month`,
  /// `24hour`).
  private static func namesLongWindow(_ window: Substring.UTF8View) -> Bool {
    let name = String(decoding: window, as: UTF8.self).lowercased()
    return name.contains("day") || name.contains("month") || name.contains("24hour")
  }

  /// Whether a rate-limit policy names a daily or monthly policy (`DAILY`, `per-day`) or a
  /// window of a day or more (`15000;w=86400`).
  static func isLongPolicy(_ policy: String) -> Bool {
    let text = policy.lowercased()
    if text.contains("day") || text.contains("daily") || text.contains("month") { return true }
    guard let range = text.range(of: "w=") else { return false }
    let digits = text[range.upperBound...].prefix(while: { $0.isASCII && $0.isNumber })
    guard let window = Double(digits) else { return false }
    return window >= 86_400
  }

  /// `Retry-After` is delay-seconds or an HTTP-date (RFC 9110 section 10.2.3), or an RFC 3339
  /// time.
  static func retryAfterSeconds(_ value: String, reference: Double?) -> Double? {
    if let seconds = DurationText.seconds(value) { return seconds }
    // Some APIs (Zoom's daily limit) send an RFC 3339 time instead of an HTTP-date.
    guard let reference, let date = TimestampText.httpDate(value) ?? TimestampText.rfc3339(value)
    else { return nil }
    return max(0, date - reference)
  }

  /// A reset given as a duration (`6m0s`), an RFC 3339 time, an epoch, or delta seconds.
  static func resetSeconds(_ value: String, reference: Double?) -> Double? {
    if let seconds = DurationText.seconds(value) {
      guard let epoch = TimestampText.epoch(seconds) else { return seconds }
      return reference.map { max(0, epoch - $0) }
    }
    guard let reference, let time = TimestampText.rfc3339(value) else { return nil }
    return max(0, time - reference)
  }

  /// Whether a header name starting with `byte` may be one this type reads: `a`nthropic-,
  /// `d`ate, `r`etry-after, `r`atelimit-, `s`tripe-, `w`ww-authenticate, `x`-.
  @inline(always)
  private static func mayBeRead(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a"), UInt8(ascii: "d"), UInt8(ascii: "r"), UInt8(ascii: "s"),
      UInt8(ascii: "w"), UInt8(ascii: "x"):
      return true
    default:
      return false
    }
  }

  private static func isZero(_ value: String) -> Bool {
    var sawZero = false
    for byte in value.utf8 {
      if byte == UInt8(ascii: "0") {
        if sawZero { return false }
        sawZero = true
      } else if byte != 0x20 && byte != 0x09 {
        return false
      }
    }
    return sawZero
  }

  /// The `error="..."` parameter of a `WWW-Authenticate: Bearer` challenge (RFC 6750).
  private static func authenticateError(_ value: String) -> String? {
    guard let range = value.range(of: "error=", options: .caseInsensitive) else { return nil }
    let rest = value[range.upperBound...].drop(while: { $0 == "\"" })
    let code = rest.prefix(while: { $0 != "\"" && $0 != "," && $0 != " " })
    return code.isEmpty || code.count > 64 ? nil : code.lowercased()
  }
}
