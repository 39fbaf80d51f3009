import FailSafeTesting
import Testing

@testable import FailSafe

/// The classifier skips reading messages when the best verdict so far is at least as strong
/// as `wording` (see `LazyMessageFacts`); that is only sound while every wording verdict has
/// exactly that strength.
@Suite("Wording strength", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct WordingStrengthTests {
  static let phrases = [
    "Invalid API key provided", "API key expired", "the key has been revoked",
    "You exceeded your current quota, please check your plan and billing details",
    "billing is not active", "credit balance is too low", "spend limit reached",
    "free-models-per-day", "Rate limit exceeded", "Too many requests", "slow down",
    "secondary rate limit", "quota exceeded per minute", "monthly quota exhausted",
    "maximum context length is 8192 tokens", "Request too large", "Limit 100, Requested 200",
    "content policy violation", "not supported in your location", "model is overloaded",
    "temporarily unavailable", "deadline exceeded", "timed out", "system memory required",
    "permission denied", "no such user", "model not found", "service disabled",
    "unregistered callers", "payment required", "missing credentials", "retry after 30s",
    "internal error", "resource exhausted", "organization deactivated", "hello there",
  ]

  @Test func everyWordingVerdictHasWordingStrength() {
    var generator = SeededGenerator(state: 0x30D1)
    var verdicts = 0
    for _ in 0..<3_000 {
      var message = ""
      for _ in 0..<Int.random(in: 1...3, using: &generator) {
        message += Self.phrases.randomElement(using: &generator)! + ". "
      }
      var facts = MessageFacts()
      Array(message.utf8).withUnsafeBytes { facts.read($0) }
      for status in [400, 401, 402, 403, 404, 408, 409, 413, 422, 429, 500, 502, 503, 529] {
        guard let verdict = MessageRules.verdict(for: facts, status: status) else { continue }
        verdicts += 1
        #expect(verdict.strength == .wording, "\(message) at \(status)")
      }
    }
    #expect(verdicts > 1_000)
  }
}
