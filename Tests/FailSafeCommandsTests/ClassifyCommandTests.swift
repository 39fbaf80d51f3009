import FailSafe
import FailSafeCommands
import FailSafeTesting
import Foundation
import Testing

@Suite("failsafe classify", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct ClassifyCommandTests {
  func run(_ arguments: [String], input: [String] = []) async -> (Int32, CapturedCommandIO) {
    let capture = CapturedCommandIO(inputLines: input)
    let status = await FailSafeCommandLine.run(["classify"] + arguments, io: capture.io)
    return (status, capture)
  }

  func outputObjects(_ capture: CapturedCommandIO) throws -> [[String: Any]] {
    try capture.output.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  @Test func classifiesGoodLinesFromStandardInputAndEchoesIds() async throws {
    let (status, capture) = await run(
      [],
      input: [
        #"{"id":"quota","status":429,"headers":{"Retry-After":"7"},"body":"{\"error\":{\"code\":\"insufficient_quota\"}}","ignored":true}"#,
        "",
        #"{"id":42,"status":401,"body":"{\"error\":{\"code\":\"invalid_api_key\"}}"}"#,
        #"{"status":503}"#,
      ])
    #expect(status == ExitStatus.success)
    #expect(capture.error.isEmpty)
    let objects = try outputObjects(capture)
    try #require(objects.count == 3)
    #expect(objects[0]["id"] as? String == "quota")
    #expect(objects[0]["disposition"] as? String == "quotaExhausted")
    #expect(objects[0]["reason"] as? String == "billing")
    #expect((objects[0]["retryAfterSeconds"] as? NSNumber)?.doubleValue == 7)
    #expect((objects[1]["id"] as? NSNumber)?.intValue == 42)
    #expect(objects[1]["disposition"] as? String == "permanent")
    #expect(objects[1]["retryAfterSeconds"] is NSNull)
    #expect(objects[2]["id"] is NSNull)
    #expect(objects[2]["disposition"] as? String == "retryable")
  }

  @Test func badLinesGetAnErrorAndProcessingContinues() async throws {
    let (status, capture) = await run(
      [],
      input: [
        "not json", #"{"id":"a","status":"429"}"#, #"{"id":"b","status":400,"body":5}"#,
        #"{"id":"c","status":400,"headers":{"x":1}}"#, "[1,2]", #"{"id":"ok","status":404}"#,
      ])
    #expect(status == ExitStatus.failure)
    let objects = try outputObjects(capture)
    try #require(objects.count == 6)
    for object in objects.prefix(5) { #expect(object["error"] is String, "\(object)") }
    #expect(objects[1]["id"] as? String == "a")
    #expect(objects[5]["disposition"] as? String == "fatal")
  }

  @Test func readsAFileArgument() async throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "classify-\(UUID().uuidString).jsonl")
    try Data((#"{"id":1,"status":529}"# + "\n\n" + #"{"id":2,"status":402}"# + "\r\n").utf8)
      .write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    let (status, capture) = await run([url.path])
    #expect(status == ExitStatus.success)
    let objects = try outputObjects(capture)
    #expect(objects.map { $0["disposition"] as? String } == ["retryable", "quotaExhausted"])
  }

  @Test func aMissingFileIsAClearError() async {
    let (status, capture) = await run(["/nonexistent/errors.jsonl"])
    #expect(status == ExitStatus.failure)
    #expect(capture.output.isEmpty)
    #expect(capture.error.contains("cannot read '/nonexistent/errors.jsonl'"))
  }

  @Test func wrongCommandLinesAreUsageErrors() async {
    #expect(await run(["--bogus"]).0 == ExitStatus.usage)
    #expect(await run(["a", "b"]).0 == ExitStatus.usage)
  }

  @Test func helpExplainsTheFormatWithAnExample() async {
    let (status, capture) = await run(["--help"])
    #expect(status == ExitStatus.success)
    for needle in ["USAGE: failsafe classify", "retryAfterSeconds", "\"error\"", "EXAMPLE"] {
      #expect(capture.output.contains(needle))
    }
  }

  @Test func secretsInBadLinesAreNotEchoedInErrors() async throws {
    let (_, capture) = await run(
      [], input: [#"{"id":"k","status":400,"headers":{"sk-proj-AbCdEf0123456789AbCdEf":1}}"#])
    #expect(!capture.output.contains("sk-proj-AbCdEf0123456789AbCdEf"))
  }

  @Test func readsAFileWithCRLFLineEndingsLineByLine() async throws {
    // Issue 19 #11: "\r\n" is one Character, so splitting the text on "\n" found no line.
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "classify-crlf-\(UUID().uuidString).jsonl")
    let lines = [
      #"{"id":1,"status":529}"#, "", #"{"id":2,"status":402}"#, #"{"id":3,"status":401}"#,
    ]
    try Data((lines.joined(separator: "\r\n") + "\r\n").utf8).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    let (status, capture) = await run([url.path])
    #expect(status == ExitStatus.success)
    #expect(capture.error.isEmpty)
    let objects = try outputObjects(capture)
    #expect(objects.map { ($0["id"] as? NSNumber)?.intValue } == [1, 2, 3])
    #expect(
      objects.map { $0["disposition"] as? String } == [
        "retryable", "quotaExhausted", "unauthorized",
      ])
  }

  @Test func statusIsReadAsAnIntegerNeverThroughDouble() async throws {
    // Issue 19 #12: Int.max was refused, Int.min - 1 became Int.min, 4.29e2 became 429.
    let (status, capture) = await run(
      [],
      input: [
        #"{"id":"max","status":9223372036854775807}"#,
        #"{"id":"min","status":-9223372036854775808}"#,
        #"{"id":"below","status":-9223372036854775809}"#,
        #"{"id":"exponent","status":4.29e2}"#,
        #"{"id":"fraction","status":429.0}"#,
        #"{"id":"plain","status" : 429 ,"body":"{\"status\": 4.29e2}"}"#,
        #"{"id":"nested","headers":{"status":"4.29e2"},"st\u0061tus":404}"#,
      ])
    #expect(status == ExitStatus.failure)
    let objects = try outputObjects(capture)
    try #require(objects.count == 7)
    #expect(objects[0]["error"] == nil, "\(objects[0])")
    #expect(objects[0]["disposition"] as? String == "fatal")
    #expect(objects[1]["error"] == nil, "\(objects[1])")
    #expect(objects[1]["disposition"] as? String == "fatal")
    let outOfRange = objects[2]["error"] as? String
    #expect(outOfRange?.contains("\"status\" must be an integer") == true, "\(objects[2])")
    #expect(outOfRange?.contains("out of range") == true, "\(objects[2])")
    for object in objects[3...4] {
      let message = object["error"] as? String
      #expect(message?.contains("without a fraction or exponent") == true, "\(object)")
      #expect(object["disposition"] == nil)
    }
    #expect(objects[5]["disposition"] as? String == "retryable", "\(objects[5])")
    #expect(objects[6]["disposition"] as? String == "fatal", "\(objects[6])")
  }
}
