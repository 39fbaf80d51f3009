/// One `failsafe` subcommand, such as `classify` or `simulate`.
package protocol Subcommand: Sendable {
  /// The word that selects this subcommand on the command line.
  var name: String { get }
  /// One line for the top-level `--help` list.
  var summary: String { get }
  /// The full text printed by `failsafe NAME --help`.
  var help: String { get }
  /// Runs the subcommand with the arguments that follow its name; returns the exit status.
  /// Bad input is reported on `io.writeError` with a non-zero status, never by crashing.
  func run(arguments: [String], io: CommandIO) async -> Int32
}

/// The exit statuses every subcommand uses.
package enum ExitStatus {
  /// Everything went well.
  package static let success: Int32 = 0
  /// The command ran but some of its input or work failed.
  package static let failure: Int32 = 1
  /// The command line itself was wrong.
  package static let usage: Int32 = 64
}
