// Writes the seed corpora of the fuzz harnesses (`bash .ci/fuzz seeds`): cases cut from the
// development corpus, plus the hand-written seeds below. Reads nothing outside the repository:
// its arguments are the corpus file and the seeds folder, both inside it.

import Foundation

@main
struct SeedGenerator {
  static func main() throws {
    let arguments = CommandLine.arguments
    guard arguments.count == 3 else {
      FileHandle.standardError.write(Data("usage: seed-generator CORPUS.jsonl SEEDS-DIR\n".utf8))
      exit(2)
    }
    let corpus = try String(contentsOfFile: arguments[1], encoding: .utf8)
    var seeds = SeedWriter(root: URL(fileURLWithPath: arguments[2]))
    for line in corpus.split(separator: "\n") where !line.isEmpty {
      try seeds.addCorpusCase(line)
    }
    try seeds.addHandWritten()
    print("wrote \(seeds.count) seeds under \(arguments[2])")
  }
}

/// One corpus line's fields that the seeds use.
struct CorpusCase: Decodable {
  var id: String
  var status: Int
  var headers: [String: String]
  var body: String
}

struct SeedWriter {
  let root: URL
  private(set) var count = 0

  init(root: URL) { self.root = root }

  /// The headers whose values are wait hints (the `waithints` harness reads them).
  static let waitHeaders = [
    "retry-after", "retry-after-ms", "date", "x-ratelimit-reset", "ratelimit-reset",
    "x-ratelimit-reset-requests", "x-ratelimit-reset-tokens", "x-ratelimit-remaining",
    "x-ratelimit-remaining-requests", "x-ratelimit-remaining-tokens",
  ]

  mutating func addCorpusCase(_ line: Substring) throws {
    let item = try JSONDecoder().decode(CorpusCase.self, from: Data(line.utf8))
    // Sorted, so a regenerated seed is byte for byte the same.
    let headers = item.headers.sorted { $0.key < $1.key }
    let headerLines = headers.map { "\($0.key): \($0.value)\n" }.joined()
    try write("classifier", item.id, "\(item.status)\n\(headerLines)\n\(item.body)")
    // The redactor harness: no planted secret (0xFF), then the body as text.
    try write("redactor", item.id, [0xFF, 0, 0, 0] + Array(item.body.utf8))
    for (name, value) in headers where Self.waitHeaders.contains(name) {
      try write("waithints", "\(item.id)-\(name)", "\(value)\n\(headerLines)")
    }
  }

  mutating func addHandWritten() throws {
    for (name, text) in HandWrittenSeeds.classifier { try write("classifier", name, text) }
    for (name, text) in HandWrittenSeeds.waitHints { try write("waithints", name, text) }
    for (name, text) in HandWrittenSeeds.state { try write("state", name, text) }
    for (index, text) in HandWrittenSeeds.secretTexts.enumerated() {
      // Plant prefix `index` at a third of the text, as well as the secrets already in it,
      // in each of the six ways the harness plants a secret.
      for way in 0..<6 {
        try write(
          "redactor", "secrets-\(index)-\(way)",
          [UInt8(index), 20, 85, UInt8(way + 6 * index)] + Array(text.utf8))
      }
    }
  }

  private mutating func write(_ harness: String, _ name: String, _ text: String) throws {
    try write(harness, name, Array(text.utf8))
  }

  private mutating func write(_ harness: String, _ name: String, _ bytes: [UInt8]) throws {
    let folder = root.appendingPathComponent(harness)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let safeName = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
    try Data(bytes).write(to: folder.appendingPathComponent(safeName))
    count += 1
  }
}

/// Seeds written by hand: shapes the corpus lacks.
enum HandWrittenSeeds {
  static let classifier: [(String, String)] = [
    (
      "received-at-reset",
      "429 1780000000\nx-ratelimit-remaining: 0\nx-ratelimit-reset: 1780000090\n\n"
    ),
    (
      "anthropic-windows",
      "429\nanthropic-ratelimit-tokens-remaining: 0\n"
        + "anthropic-ratelimit-tokens-reset: 2026-06-01T00:01:00Z\ndate: Mon, 01 Jun 2026 00:00:00 GMT\n\n"
        + #"{"type":"error","error":{"type":"rate_limit_error","message":"Rate limited"}}"#
    ),
    (
      "bearer-in-message",
      "401\nwww-authenticate: Bearer error=\"invalid_token\"\n\n"
        + #"{"error":{"message":"Authorization: Bearer sk-proj-AbCdEf0123456789 was rejected"}}"#
    ),
    ("html-title", "502\ncontent-type: text/html\n\n<html><title>502 Bad Gateway</title></html>"),
  ]

  static let waitHints: [(String, String)] = [
    ("go-duration", "1m30s"), ("milliseconds", "120ms"), ("protobuf", "2.463586755s"),
    ("hours", "1h2m3s"), ("micro", "5us"), ("spoken", "6 seconds"), ("plain", "30"),
    ("fraction", "1.5"), ("imf-fixdate", "Sun, 06 Nov 1994 08:49:37 GMT"),
    ("rfc850", "Sunday, 06-Nov-94 08:49:37 GMT"), ("asctime", "Sun Nov  6 08:49:37 1994"),
    ("rfc3339", "2026-02-12T08:18:19.5Z"), ("rfc3339-offset", "2026-02-12T09:18:19+01:00"),
    ("epoch", "1780000000"), ("epoch-ms", "1780000000123"), ("message", "try again in 9m38.016s"),
    ("year-9999", "Fri, 31 Dec 9999 23:59:59 GMT"), ("huge", "99999999999999999999"),
    (
      "headers",
      "6m0s\nretry-after-ms: 1500\nx-ratelimit-remaining-tokens: 0\n"
        + "x-ratelimit-reset-tokens: 6m0s\nratelimit-remaining: 0\nratelimit-reset: 42"
    ),
  ]

  static let state: [(String, String)] = [
    (
      "dead-and-open",
      """
      {"format": "failsafe.breaker-state", "version": 1, "savedAt": "2026-06-01T00:00:00.000Z",
       "credentials": {
        "dead-key": {"state": "dead", "consecutiveFailures": 1, "streak": 0, "reason": "keyInvalid",
          "firstError": {"disposition": "permanent", "reason": "keyInvalid",
            "evidence": "401 invalid_api_key: Incorrect API key provided: [REDACTED]",
            "at": "2026-05-31T23:59:00.000Z", "repeats": 3},
          "counters": {"failures": 4, "rejections": 9, "trips": 0, "probes": 0},
          "updatedAt": "2026-05-31T23:59:00.000Z"},
        "revoked": {"state": "dead", "reason": "keyRevoked", "updatedAt": 1780000000,
          "operatorAction": {"kind": "pause", "at": "2026-05-01T00:00:00Z"}},
        "cooling": {"state": "open", "consecutiveFailures": 5, "streak": 2,
          "reopenAt": "2026-06-01T00:05:00.000Z", "updatedAt": "2026-06-01T00:00:00.000Z"},
        "quota": {"state": "suspended", "reason": "billing", "reopenAt": 1780003600.5,
          "updatedAt": "2026-06-01T00:00:00+02:00"},
        "fine": {"state": "closed", "consecutiveFailures": 0, "updatedAt": "2026-06-01T00:00:00Z"}
      }}
      """
    ),
    (
      "duplicate-entries",
      """
      {"format": "failsafe.breaker-state", "version": 1, "credentials": {
        "k": {"state": "closed", "updatedAt": "2026-06-01T00:00:00.000Z"},
        "k": {"state": "dead", "updatedAt": "2026-05-01T00:00:00.000Z"},
        "k": {"state": "closed", "updatedAt": "2026-07-01T00:00:00.000Z",
          "operatorAction": {"kind": "revive", "at": "2026-07-01T00:00:00.000Z"}}}}
      """
    ),
    (
      "truncated",
      """
      {"format": "failsafe.breaker-state", "version": 1, "credentials": {
        "a": {"state": "dead", "updatedAt": "2026-06-01T00:00:00.000Z"},
        "b": {"state": "paused", "reason": "unauth
      """
    ),
    (
      "damaged-fields",
      """
      {"version": "one", "credentials": {"x": {"state": 7, "consecutiveFailures": -3},
        "y": {"state": "halfOpen", "consecutiveFailures": 1e30, "streak": 2.5,
          "updatedAt": "10000-01-01T00:00:00Z"}, "z": [1, 2], "": {"state": "dead"}}}
      """
    ),
    (
      "secret-evidence",
      """
      {"format": "failsafe.breaker-state", "version": 1, "credentials": {"s": {"state": "dead",
        "firstError": {"reason": "keyLeaked", "evidence": "403 key=AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q token: abc Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"},
        "updatedAt": "2026-06-01T00:00:00.000Z"}}}
      """
    ),
    ("newer-version", #"{"format": "failsafe.breaker-state", "version": 2, "credentials": {}}"#),
    ("not-a-state-file", #"[{"state": "dead"}]"#),
    ("empty", ""),
  ]

  static let secretTexts: [String] = [
    "GET /api/keys/xoxp-1234567890-1234567890-0123456789abcdef failed",
    #"denied:\nAKIAIOSFODNN7EXAMPLE\nrotate; {"api_key": "0123456789abcdef0123"}"#,
    "Authorization: token 0123456789abcdef0123456789abcdef01234567 and wJalrXUtnFEMI/KqMDENG/bPxRfiCYEXAMPLEKEY",
    "Incorrect API key provided: sk-proj-AbCdEf0123456789AbCdEf0123456789. See docs.",
    "Authorization: Bearer abc.def-ghi key=plainsecret123 token: tok_777 password=hunter2",
    "key sk-****************abcd and Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz",
    "x-goog-api-key: AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q; ghp_0123456789abcdefABCDEF0123456789abcd",
    "token: [REDACTED] then [REDACTED] then [not-a-placeholder] key=[REDACTED]x",
    "Basic dXNlcjpwYXNz, xoxb-1234567890-abcdefghij, AKIAIOSFODNN7EXAMPLE, hf_abcdefghijkl",
  ]
}
