import FailSafe
import FailSafeSimulator
import FailSafeTesting
import Foundation

/// `failsafe simulate`: replays real incidents in virtual time, the naive worker against the
/// same worker on FailSafe, and prints what each cost.
package struct SimulateCommand: Subcommand {
  /// The classifier both runs' failures are read with.
  package var classifier: any FailureClassifying

  /// Creates the command with the classifier it reads failures with.
  package init(classifier: any FailureClassifying) {
    self.classifier = classifier
  }

  /// `simulate`.
  package var name: String { "simulate" }

  /// One line for the command list.
  package var summary: String { "Replay real outages in virtual time: naive worker vs FailSafe." }

  /// The full help text.
  package var help: String {
    """
    USAGE: failsafe simulate [--scenario NAME]... [--json] [--svg PATH] [--seed N]

    Replays each incident twice on a virtual clock, with the naive worker from the incident
    and with the same worker on FailSafe, and prints what each run cost: upstream requests,
    failed ones, requests to a key already known dead, jobs completed / failed / still queued /
    lost, and the time from the upstream's recovery to the first success.

    OPTIONS:
      --scenario NAME  Run only this scenario (repeatable). Default: all of them.
      --json           Print a JSON array, one object per scenario:
                       {"scenario": NAME, "naive": {...}, "failsafe": {...}}.
      --svg PATH       Draw each scenario's timeline as SVG. If PATH is a directory (existing,
                       or ending in '/'), writes PATH/timeline-NAME.svg for every scenario run;
                       otherwise PATH is the file, and exactly one scenario must be selected.
      --seed N         The seed of every random draw (default 2026): same seed, same figures.
      -h, --help       Show this help.

    SCENARIOS:
    \(SimulationScenario.builtIn().map { "  \($0.name.padding(toLength: 14, withPad: " ", startingAt: 0)) \($0.summary)" }.joined(separator: "\n"))

    """
  }

  private struct Options {
    var scenarios: [String] = []
    var json = false
    var svgPath: String?
    var seed: UInt64 = 2_026
  }

  private struct UsageError: Error {
    var message: String
  }

  /// Runs the selected scenarios and prints the table, or the JSON with `--json`.
  package func run(arguments: [String], io: CommandIO) async -> Int32 {
    let options: Options
    do {
      options = try parse(arguments)
    } catch {
      io.writeError(
        "failsafe simulate: \(error.message)\nRun 'failsafe simulate --help' for usage.\n")
      return ExitStatus.usage
    }
    let names = options.scenarios.isEmpty ? SimulationScenario.builtInNames : options.scenarios
    if let svgPath = options.svgPath, !Self.isDirectory(svgPath), names.count != 1 {
      io.writeError(
        "failsafe simulate: --svg FILE draws one scenario; select one with --scenario, "
          + "or give a directory (ending in '/').\n")
      return ExitStatus.usage
    }
    let scenarios = names.compactMap { SimulationScenario.builtIn(named: $0, seed: options.seed) }
    let runner = SimulationRunner(classifier: classifier, seed: options.seed)
    var outcomes: [ScenarioOutcome] = []
    for scenario in scenarios {
      do {
        outcomes.append(try await runner.run(scenario))
      } catch {
        io.writeError("failsafe simulate: cannot run \(scenario.name): \(error)\n")
        return ExitStatus.failure
      }
    }
    if let svgPath = options.svgPath {
      do {
        try writeTimelines(outcomes, scenarios: scenarios, to: svgPath, io: io)
      } catch {
        io.writeError("failsafe simulate: cannot write \(svgPath): \(error.localizedDescription)\n")
        return ExitStatus.failure
      }
    }
    if options.json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      guard let data = try? encoder.encode(outcomes.map(ScenarioOutcomeSummary.init)) else {
        io.writeError("failsafe simulate: could not encode the results as JSON\n")
        return ExitStatus.failure
      }
      io.write(String(decoding: data, as: UTF8.self) + "\n")
    } else {
      io.write(SimulationTable(outcomes: outcomes, seed: options.seed).text)
    }
    return ExitStatus.success
  }

  private func parse(_ arguments: [String]) throws(UsageError) -> Options {
    var options = Options()
    var remaining = arguments[...]
    func value(for flag: String, inline: String?) throws(UsageError) -> String {
      if let inline { return inline }
      guard let next = remaining.popFirst(), !next.hasPrefix("--") else {
        throw UsageError(message: "\(flag) needs a value.")
      }
      return next
    }
    while let argument = remaining.popFirst() {
      let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
      let flag = parts[0]
      let inline = parts.count == 2 ? parts[1] : nil
      switch flag {
      case "--scenario":
        let name = try value(for: flag, inline: inline)
        guard SimulationScenario.builtInNames.contains(name) else {
          throw UsageError(
            message: "unknown scenario '\(name)'. Known: "
              + SimulationScenario.builtInNames.joined(separator: ", ") + ".")
        }
        if !options.scenarios.contains(name) { options.scenarios.append(name) }
      case "--json" where inline == nil:
        options.json = true
      case "--svg":
        let path = try value(for: flag, inline: inline)
        guard !path.isEmpty else { throw UsageError(message: "--svg needs a path.") }
        options.svgPath = path
      case "--seed":
        let text = try value(for: flag, inline: inline)
        guard let seed = UInt64(text) else {
          throw UsageError(
            message: "--seed needs a whole number from 0 to \(UInt64.max), not '\(text)'.")
        }
        options.seed = seed
      default:
        throw UsageError(message: "unknown option '\(argument)'.")
      }
    }
    return options
  }

  /// Whether `--svg PATH` names a directory: it ends in `/` or is an existing directory.
  private static func isDirectory(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
    return path.hasSuffix("/") || (exists && isDirectory.boolValue)
  }

  private func writeTimelines(
    _ outcomes: [ScenarioOutcome], scenarios: [SimulationScenario], to path: String, io: CommandIO
  ) throws {
    let files = FileManager.default
    let intoDirectory = Self.isDirectory(path)
    if intoDirectory { try files.createDirectory(atPath: path, withIntermediateDirectories: true) }
    for (outcome, scenario) in zip(outcomes, scenarios) {
      let svg = TimelineSVG().render(outcome, scenario: scenario)
      let url =
        intoDirectory
        ? URL(fileURLWithPath: path).appendingPathComponent("timeline-\(scenario.name).svg")
        : URL(fileURLWithPath: path)
      try Data(svg.utf8).write(to: url, options: .atomic)
      io.writeError("wrote \(url.path)\n")
    }
  }
}
