import FailSafe
import Foundation

/// Classifying provider error bodies of growing size: the cost on every failed call, and the
/// proof that the inspection bound (the first 64 KiB) holds for a 10 MB body.
enum ClassifyBenchmarks {
  /// The classification benchmarks.
  static let all: [Benchmark] = [
    classify(name: "classify.1KB", size: 1_024),
    classify(name: "classify.64KB", size: 64 * 1_024),
    classify(name: "classify.10MB", size: 10 * 1_024 * 1_024),
  ]

  private static func classify(name: String, size: Int) -> Benchmark {
    Benchmark(
      name: name,
      summary: "classify a Gemini 429 RESOURCE_EXHAUSTED body of \(size) bytes",
      measurement: .timePerOperation {
        let classifier = ProviderErrorClassifier()
        let response = ProviderResponse(
          status: 429, headers: ["Content-Type": "application/json; charset=UTF-8"],
          body: quotaErrorBody(size: size))
        return { n in
          for _ in 0..<n { blackHole(classifier.classify(response)) }
        }
      })
  }

  /// A Google Gemini `429 RESOURCE_EXHAUSTED` error in the shape Google's APIs document (code,
  /// message, status, then `details[]` with `RetryInfo`, `QuotaFailure` and a `DebugInfo` whose
  /// `stackEntries` carry a server stack trace), with as many stack frames as fit in `size`
  /// bytes, then trailing whitespace to exactly `size`. The deciding fields come first, as the
  /// provider sends them, so a 10 MB body is decidable from its first 64 KiB; the classifier
  /// still has to scan the frames up to that bound.
  static func quotaErrorBody(size: Int) -> Data {
    let head = """
      {
        "error": {
          "code": 429,
          "message": "Resource has been exhausted (e.g. check quota). Requests per minute \
      for this model are limited on the free tier; please retry after the delay below.",
          "status": "RESOURCE_EXHAUSTED",
          "details": [
            {
              "@type": "type.googleapis.com/google.rpc.RetryInfo",
              "retryDelay": "38s"
            },
            {
              "@type": "type.googleapis.com/google.rpc.QuotaFailure",
              "violations": [
                {
                  "quotaMetric": "generativelanguage.googleapis.com/generate_requests_per_model",
                  "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
                  "quotaDimensions": {"location": "global", "model": "gemini-2.0-flash"},
                  "quotaValue": "15"
                }
              ]
            },
            {
              "@type": "type.googleapis.com/google.rpc.DebugInfo",
              "stackEntries": [
                "at serving.quota.Enforcer.check(Enforcer.java:212)"
      """
    func frame(_ index: Int) -> String {
      ",\n          \"at serving.frontend.Handler$Stage\(index).run(Handler.java:\(100 + index % 900))\""
    }
    let tail = "\n          ]\n        }\n      ]\n    }\n  }\n"
    var body = head
    var index = 0
    while true {
      let next = frame(index)
      guard body.utf8.count + next.utf8.count + tail.utf8.count <= size else { break }
      body += next
      index += 1
    }
    body += tail
    body += String(repeating: " ", count: max(size - body.utf8.count, 0))
    return Data(body.utf8)
  }
}
