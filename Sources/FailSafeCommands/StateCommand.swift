import FailSafe
import Foundation

/// `failsafe state`: shows a breaker state file, and revives, resets or pauses a credential in
/// it, through the same lock, atomic write and merge rules the workers use.
///
/// Edits are recorded as operator actions dated after the entry they replace, so a worker that
/// still holds the old state in memory cannot undo them at its next save (see FailSafe's
/// `StateMerge`).
package struct StateCommand: Subcommand {
  /// `state`.
  package let name = "state"
  /// One line for `failsafe --help`.
  package let summary = "Show a breaker state file; revive, reset or pause a credential in it."
  /// The source of "now" for operator actions and for "reopens in".
  package var wallClock: WallClock

  /// Creates the command; `wallClock` dates operator actions.
  package init(wallClock: WallClock = .system) { self.wallClock = wallClock }

  /// The full help text.
  package var help: String {
    """
    USAGE: failsafe state <action> FILE [ID] [--json]
           failsafe state <action> --etcd URL[,URL...] --prefix PREFIX [ID] [--json]

    Operates on a breaker state file shared by worker processes, or on the etcd keys under
    PREFIX shared by a fleet (the members' client URLs, tried in turn).

    ACTIONS:
      show FILE [--json]   List every credential: state, streak, reopen time, why it is held,
                           and the first error (redacted). Dead and paused credentials first.
      revive FILE ID       Put a dead or paused credential back in rotation (closed, streak
                           cleared). Wins over workers that still remember it as dead.
      reset FILE ID        Clear the streak, cooldown, counters and first error of a credential
                           that is not dead or paused.
      pause FILE ID        Take a credential out of rotation until it is revived.

    A damaged file is shown as far as it can be read, with a warning per problem and exit
    status 1. Edits repair it and keep a copy of the damaged bytes in FILE.damaged.

    """
  }

  /// Where the state lives: a file, or a prefix on etcd.
  private enum Target {
    case file(String)
    case etcd(endpoints: [URL], prefix: String)

    /// How messages name it.
    var name: String {
      switch self {
      case .file(let path): return path
      case .etcd(let endpoints, let prefix):
        return "etcd \(endpoints.map(\.absoluteString).joined(separator: ",")) prefix '\(prefix)'"
      }
    }
  }

  /// Runs `state <action> ...`.
  package func run(arguments: [String], io: CommandIO) async -> Int32 {
    var remaining: [String] = []
    var etcd: String?
    var prefix: String?
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      if argument == "--etcd" || argument == "--prefix" {
        guard index + 1 < arguments.count else {
          return usage("\(argument) needs a value", io: io)
        }
        if argument == "--etcd" {
          etcd = arguments[index + 1]
        } else {
          prefix = arguments[index + 1]
        }
        index += 2
        continue
      }
      remaining.append(argument)
      index += 1
    }
    let json = remaining.contains("--json")
    let positional = remaining.filter { $0 != "--json" }
    if let flag = positional.first(where: { $0.hasPrefix("-") && $0.count > 1 }) {
      return usage("unknown option '\(flag)'", io: io)
    }
    guard let action = positional.first else { return usage("missing action", io: io) }
    var operands = Array(positional.dropFirst())
    let target: Target
    switch (etcd, prefix) {
    case (nil, nil):
      guard !operands.isEmpty else { return usage("'\(action)' takes FILE or --etcd", io: io) }
      target = .file(operands.removeFirst())
    case (let urls?, let prefix?):
      let endpoints = urls.split(separator: ",").compactMap { URL(string: String($0)) }
      guard !endpoints.isEmpty,
        endpoints.allSatisfy({ $0.scheme == "http" || $0.scheme == "https" })
      else { return usage("--etcd takes http(s) URLs separated by commas", io: io) }
      guard !prefix.isEmpty else { return usage("--prefix must not be empty", io: io) }
      target = .etcd(endpoints: endpoints, prefix: prefix)
    default:
      return usage("--etcd and --prefix go together", io: io)
    }
    switch action {
    case "show":
      guard operands.isEmpty else { return usage("'show' takes one FILE (or --etcd)", io: io) }
      return await show(target, json: json, io: io)
    case "revive", "reset", "pause":
      guard operands.count == 1 else {
        return usage("'\(action)' takes FILE (or --etcd) and ID", io: io)
      }
      guard !json else { return usage("--json goes with 'show'", io: io) }
      return await edit(action: action, target: target, id: operands[0], io: io)
    default:
      return usage("unknown action '\(action)'", io: io)
    }
  }

  private func store(for target: Target) -> any BreakerStateStore {
    switch target {
    case .file(let path):
      return FileBreakerStateStore(path: path, wallClock: wallClock)
    case .etcd(let endpoints, let prefix):
      return EtcdBreakerStateStore(
        configuration: EtcdStoreConfiguration(endpoints: endpoints, prefix: prefix),
        wallClock: wallClock)
    }
  }

  /// `nil` if `target` can be read, else why not (a missing file).
  private func missing(_ target: Target) -> String? {
    guard case .file(let path) = target, !FileBreakerStateStore(path: path).exists else {
      return nil
    }
    return "no state file at '\(path)'"
  }

  private func usage(_ problem: String, io: CommandIO) -> Int32 {
    io.writeError(
      "failsafe state: \(problem). Run 'failsafe state --help' for usage.\n")
    return ExitStatus.usage
  }

  private func fail(_ message: String, io: CommandIO) -> Int32 {
    io.writeError("failsafe state: \(message)\n")
    return ExitStatus.failure
  }

  private func warn(_ diagnostics: [StateDiagnostic], path: String, io: CommandIO) {
    for diagnostic in diagnostics {
      io.writeError("warning: \(path): \(diagnostic)\n")
    }
  }

  // MARK: show

  private func show(_ target: Target, json: Bool, io: CommandIO) async -> Int32 {
    if let missing = missing(target) { return fail(missing, io: io) }
    let store = store(for: target)
    let path = target.name
    let reading: StateDocumentReading
    do {
      reading = try await store.load()
    } catch {
      return fail("\(error)", io: io)
    }
    guard reading.isStateFile else {
      warn(reading.diagnostics, path: path, io: io)
      return fail("'\(path)' does not look like a FailSafe state file", io: io)
    }
    if json {
      do {
        io.write(String(decoding: try reading.document.encoded(), as: UTF8.self) + "\n")
      } catch {
        return fail("cannot encode the state as JSON: \(error)", io: io)
      }
    } else {
      io.write(StateTable(document: reading.document, now: wallClock.now()).text)
    }
    warn(reading.diagnostics, path: path, io: io)
    if reading.isDamaged {
      io.writeError(
        "failsafe state: '\(path)' is damaged; showing what could be read "
          + "(unreadable states are shown as paused)\n")
      return ExitStatus.failure
    }
    return ExitStatus.success
  }

  // MARK: edits

  private func edit(action: String, target: Target, id: String, io: CommandIO) async -> Int32 {
    guard !id.isEmpty, id.utf8.count <= PersistedStateDocument.maximumCredentialIDLength else {
      return usage(
        "ID must be 1 to \(PersistedStateDocument.maximumCredentialIDLength) bytes", io: io)
    }
    if let missing = missing(target) { return fail(missing, io: io) }
    let store = store(for: target)
    let path = target.name
    let now = wallClock.now()
    var before: PersistedCredentialState?
    let reading: StateDocumentReading
    do {
      reading = try await store.update { document in
        before = document.credentials[id]
        document.credentials[id] = try OperatorEdit.apply(
          OperatorActionKind(rawValue: action), to: before, shownAs: StateTable.display(id),
          now: now)
      }
    } catch let refused as OperatorEdit.Refused {
      return fail(refused.message, io: io)
    } catch {
      return fail("\(error)", io: io)
    }
    warn(reading.diagnostics, path: path, io: io)
    if reading.isDamaged {
      switch target {
      case .file:
        // No copy: a diagnostic above said why (every copy path is taken).
        let kept = reading.damagedCopyPath.map { "; the damaged bytes are in '\($0)'" } ?? ""
        io.writeError("failsafe state: '\(path)' was damaged and has been repaired\(kept)\n")
      case .etcd:
        io.writeError(
          "failsafe state: \(path) holds damaged values (shown as paused); an edit repairs only "
            + "the credential it changes\n")
      }
    }
    let shown = StateTable.display(id)
    let previous = before.map { entry in
      entry.reason.map { "\(entry.status): \($0)" } ?? "\(entry.status)"
    }
    switch action {
    case "revive": io.write("revived '\(shown)' (was \(previous ?? "unknown"))\n")
    case "reset": io.write("reset '\(shown)' (was \(previous ?? "unknown"))\n")
    default: io.write("paused '\(shown)' (was \(previous ?? "not in the file"))\n")
    }
    return ExitStatus.success
  }

}
