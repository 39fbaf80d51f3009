import FailSafe
import Foundation

/// `failsafe classify`: classifies provider error responses given as JSON Lines.
///
/// A thin shell over ``FailureClassifying`` (by default ``ProviderErrorClassifier``, the same
/// classifier the breaker and executor use): it only parses lines and prints verdicts.
package struct ClassifyCommand: Subcommand {
  /// The classifier each line is given to.
  package let classifier: any FailureClassifying
  /// The wall-clock time stamped on each response as `receivedAt`, for reset times given as
  /// absolute dates when the response has no `date` header.
  package let now: @Sendable () -> Date

  /// Creates the command with a classifier and a source of `receivedAt` times.
  package init(
    classifier: any FailureClassifying = ProviderErrorClassifier(),
    now: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.classifier = classifier
    self.now = now
  }

  /// `classify`.
  package var name: String { "classify" }
  /// One line for the top-level help.
  package var summary: String { "Classify provider error responses given as JSON Lines." }
  /// The full help text, with an example.
  package var help: String {
    """
    USAGE: failsafe classify [FILE]

    Reads JSON Lines from FILE, or from standard input when no FILE is given. Each line is
    one failed HTTP response:

      {"id": "a", "status": 429, "headers": {"retry-after": "5"}, "body": "..."}

    "status" (an integer) is required; "headers" (an object of strings) and "body" (a
    string) may be omitted; "id" (any JSON value) is echoed back; other fields are ignored.
    Blank lines are skipped. For each line one JSON line is written:

      {"id": "a", "disposition": "retryable", "reason": "rateLimited", "retryAfterSeconds": 5.0}

    disposition is one of retryable, fatal, unauthorized, permanent, quotaExhausted;
    retryAfterSeconds is the provider's wait (capped) or null. A line that is not valid
    input gets {"id": ..., "error": "..."} and processing continues. The exit status is 0
    when every line was classified, 1 when any line failed or FILE cannot be read, 64 for a
    wrong command line.

    EXAMPLE:
      echo '{"id":1,"status":429,"body":"{\\"error\\":{\\"code\\":\\"insufficient_quota\\"}}"}' \\
        | failsafe classify
      {"id":1,"disposition":"quotaExhausted","reason":"billing","retryAfterSeconds":null}

    """
  }

  /// Classifies every line of the input; see ``help``.
  package func run(arguments: [String], io: CommandIO) async -> Int32 {
    if let flag = arguments.first(where: { $0.hasPrefix("-") && $0 != "-" }) {
      io.writeError(
        "failsafe classify: unknown option '\(flag)'. See 'failsafe classify --help'.\n")
      return ExitStatus.usage
    }
    guard arguments.count <= 1 else {
      io.writeError("failsafe classify: expected at most one FILE, got \(arguments.count).\n")
      return ExitStatus.usage
    }
    var nextLine: () -> String?
    if let path = arguments.first, path != "-" {
      guard let data = FileManager.default.contents(atPath: path) else {
        let reason =
          FileManager.default.fileExists(atPath: path) ? "it cannot be read" : "no such file"
        io.writeError("failsafe classify: cannot read '\(path)': \(reason).\n")
        return ExitStatus.failure
      }
      // Split the bytes, not the text: in a `String`, "\r\n" is one `Character`, which a
      // split on "\n" never matches. A line's trailing "\r" is dropped below, as for stdin.
      var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        .reversed().map { String(decoding: $0, as: UTF8.self) }
      nextLine = { lines.popLast() }
    } else {
      nextLine = io.readLine
    }
    var failed = false
    while let rawLine = nextLine() {
      let line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : rawLine
      if line.allSatisfy(\.isWhitespace) { continue }
      let output = ClassifyLine.process(line, classifier: classifier, receivedAt: now())
      if output.failed { failed = true }
      io.write(output.json + "\n")
    }
    return failed ? ExitStatus.failure : ExitStatus.success
  }
}
