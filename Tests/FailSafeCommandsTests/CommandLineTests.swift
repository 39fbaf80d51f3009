import FailSafe
import FailSafeCommands
import Testing

@Suite("failsafe command line")
struct CommandLineTests {
  @Test func versionPrintsTheLibraryVersion() async {
    let capture = CapturedCommandIO()
    let status = await FailSafeCommandLine.run(["--version"], io: capture.io)
    #expect(status == ExitStatus.success)
    #expect(capture.output == "failsafe \(FailSafeVersion.current)\n")
  }

  @Test(arguments: [[], ["--help"], ["-h"], ["help"]])
  func helpListsUsageAndCommands(arguments: [String]) async {
    let capture = CapturedCommandIO()
    let status = await FailSafeCommandLine.run(arguments, io: capture.io)
    #expect(status == ExitStatus.success)
    #expect(capture.output.contains("USAGE: failsafe <command>"))
    for subcommand in FailSafeCommandLine.subcommands {
      #expect(capture.output.contains(subcommand.name))
    }
  }

  @Test func unknownCommandIsAUsageErrorOnStandardError() async {
    let capture = CapturedCommandIO()
    let status = await FailSafeCommandLine.run(["frobnicate"], io: capture.io)
    #expect(status == ExitStatus.usage)
    #expect(capture.output.isEmpty)
    #expect(capture.error.contains("unknown command 'frobnicate'"))
  }
}
