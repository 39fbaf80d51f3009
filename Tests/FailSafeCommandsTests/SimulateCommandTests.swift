import FailSafeCommands
import FailSafeSimulator
import FailSafeTesting
import Foundation
import Testing

// Whole incidents replayed, side by side with the rest of the suite: 68 s seen on a loaded
// two-core machine, so 3 minutes (the limit is there to end a hang, not to time the run).
@Suite("failsafe simulate", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(3))))
struct SimulateCommandTests {
  @Test func jsonHasOneObjectPerScenarioWithStableNames() async throws {
    let capture = CapturedCommandIO()
    let status = await FailSafeCommandLine.run(
      ["simulate", "--scenario", "oauth-429", "--json"], io: capture.io)
    #expect(status == ExitStatus.success)
    let array = try #require(
      try JSONSerialization.jsonObject(with: Data(capture.output.utf8)) as? [[String: Any]])
    #expect(array.count == 1)
    let object = try #require(array.first)
    #expect(object["scenario"] as? String == "oauth-429")
    for side in ["naive", "failsafe"] {
      let figures = try #require(object[side] as? [String: Any])
      for key in [
        "upstreamRequests", "tokenEndpointRequests", "failedUpstreamRequests",
        "requestsAfterDead", "jobsSubmitted", "jobsCompleted", "jobsFailed", "failureReasons",
        "jobsQueued", "jobsLost", "recoverySeconds", "virtualSeconds", "realSeconds",
      ] {
        #expect(figures.keys.contains(key), "\(side) lacks \(key)")
      }
      #expect(figures["jobsLost"] as? Int == 0)
      // oauth-429 refreshes at the token endpoint: counted apart, and part of the requests.
      let token = try #require(figures["tokenEndpointRequests"] as? Int)
      #expect(token >= 1)
      #expect(token <= (figures["upstreamRequests"] as? Int ?? 0))
    }
  }

  @Test func theTableNamesEachSelectedScenarioAndBothWorkers() async {
    let capture = CapturedCommandIO()
    let status = await FailSafeCommandLine.run(
      ["simulate", "--scenario=oauth-429", "--scenario", "flat-ttl"], io: capture.io)
    #expect(status == ExitStatus.success)
    #expect(capture.output.contains("oauth-429"))
    #expect(capture.output.contains("flat-ttl"))
    #expect(!capture.output.contains("dead-key"))
    #expect(capture.output.contains("naive"))
    #expect(capture.output.contains("failsafe"))
    #expect(capture.output.contains("requests"))
    #expect(capture.output.contains("to token"))
  }

  @Test(arguments: [
    (["--scenario", "no-such-thing"], "unknown scenario 'no-such-thing'"),
    (["--scenario"], "--scenario needs a value"),
    (["--frobnicate"], "unknown option '--frobnicate'"),
    (["--seed", "-1"], "--seed needs a whole number"),
    (["--json=yes"], "unknown option '--json=yes'"),
    (["--svg", "one-file.svg"], "--svg FILE draws one scenario"),
  ])
  func badArgumentsAreAClearErrorAndANonZeroExit(arguments: [String], message: String) async {
    let capture = CapturedCommandIO()
    let status = await FailSafeCommandLine.run(["simulate"] + arguments, io: capture.io)
    #expect(status != ExitStatus.success)
    #expect(capture.error.contains(message), "stderr was: \(capture.error)")
    #expect(capture.output.isEmpty)
  }

  @Test func svgIntoADirectoryWritesOneWellFormedTimelinePerScenario() async throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("failsafe-simulate-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let capture = CapturedCommandIO()
    let status = await FailSafeCommandLine.run(
      ["simulate", "--scenario", "oauth-429", "--svg", directory.path + "/"], io: capture.io)
    #expect(status == ExitStatus.success)
    let file = directory.appendingPathComponent("timeline-oauth-429.svg")
    let svg = try String(contentsOf: file, encoding: .utf8)
    #expect(svg.hasPrefix("<?xml"))
    #expect(svg.hasSuffix("</svg>\n"))
  }

  @Test func svgIntoAFileDrawsTheOneSelectedScenario() async throws {
    let file = FileManager.default.temporaryDirectory
      .appendingPathComponent("failsafe-simulate-\(UUID().uuidString).svg")
    defer { try? FileManager.default.removeItem(at: file) }
    let capture = CapturedCommandIO()
    let status = await FailSafeCommandLine.run(
      ["simulate", "--scenario", "flat-ttl", "--svg", file.path, "--json"], io: capture.io)
    #expect(status == ExitStatus.success)
    let svg = try String(contentsOf: file, encoding: .utf8)
    #expect(svg.contains("flat-ttl: naive worker vs FailSafe"))
    #expect(capture.output.hasPrefix("["))
  }

  @Test func helpListsTheScenarios() async {
    let capture = CapturedCommandIO()
    let status = await FailSafeCommandLine.run(["simulate", "--help"], io: capture.io)
    #expect(status == ExitStatus.success)
    for name in ["dead-key", "oauth-429", "overload", "pool-revoked", "flat-ttl", "--svg"] {
      #expect(capture.output.contains(name))
    }
  }
}
