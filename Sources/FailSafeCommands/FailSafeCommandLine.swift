import FailSafe

/// The `failsafe` command line: dispatches to subcommands and answers `--help` and `--version`.
package enum FailSafeCommandLine {
  /// Every subcommand, in the order `--help` lists them.
  package static let subcommands: [any Subcommand] = [
    SimulateCommand(classifier: ProviderErrorClassifier()), ClassifyCommand(), StateCommand(),
  ]

  /// Runs the command line `arguments` (without the program name) and returns the exit status.
  package static func run(_ arguments: [String], io: CommandIO = .standard) async -> Int32 {
    guard let first = arguments.first else {
      io.write(help)
      return ExitStatus.success
    }
    switch first {
    case "--help", "-h", "help":
      if arguments.count > 1, first == "help", let subcommand = subcommand(named: arguments[1]) {
        io.write(subcommand.help)
      } else {
        io.write(help)
      }
      return ExitStatus.success
    case "--version":
      io.write("failsafe \(FailSafeVersion.current)\n")
      return ExitStatus.success
    default:
      guard let subcommand = subcommand(named: first) else {
        io.writeError("failsafe: unknown command '\(first)'. Run 'failsafe --help' for the list.\n")
        return ExitStatus.usage
      }
      let rest = Array(arguments.dropFirst())
      if rest.contains("--help") || rest.contains("-h") {
        io.write(subcommand.help)
        return ExitStatus.success
      }
      return await subcommand.run(arguments: rest, io: io)
    }
  }

  private static func subcommand(named name: String) -> (any Subcommand)? {
    subcommands.first { $0.name == name }
  }

  /// The top-level help text.
  package static var help: String {
    var text = """
      failsafe \(FailSafeVersion.current): stop retry storms on dead credentials.

      USAGE: failsafe <command> [options]

      OPTIONS:
        -h, --help     Show this help, or a command's help with 'failsafe <command> --help'.
        --version      Show the version.

      COMMANDS:

      """
    if subcommands.isEmpty {
      text += "  (none yet)\n"
    }
    for subcommand in subcommands {
      let padded = subcommand.name.padding(toLength: 12, withPad: " ", startingAt: 0)
      text += "  \(padded) \(subcommand.summary)\n"
    }
    return text
  }
}
