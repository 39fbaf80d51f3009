import Foundation

/// Maps a (possibly damaged) JSON tree onto a ``PersistedStateDocument``, entry by entry and
/// field by field, so one bad value costs only that value.
///
/// Safe defaults, in order of caution:
/// - a state that cannot be read (missing, wrong type, unknown name, entry not an object)
///   becomes `paused` with reason `damagedEntry`: out of rotation until an operator revives it;
/// - a readable `dead` or `paused` state stays so whatever else is damaged;
/// - a damaged streak or failure count becomes 0 (1 for `open`, `halfOpen` and `suspended`, which took at least
///   one failure to reach); a fraction is cut, a huge value clamped to `Int.max`;
/// - a damaged reopen time is dropped (restoring then uses the maximum cooldown, as for a
///   missing one);
/// - a damaged `updatedAt` becomes the load time, so only operator actions after the load
///   override the entry.
enum StateDocumentReader {
  /// The reason given to credentials whose state could not be read.
  static let damagedEntryReason: FailureReason = "damagedEntry"
  /// The longest reason name kept.
  static let maximumReasonLength = 64

  enum FailureKeys: String, CodingKey {
    case disposition
    case reason
    case evidence
    case at
    case repeats
  }

  enum ActionKeys: String, CodingKey {
    case kind
    case at
  }

  static func read(_ bytes: [UInt8], loadedAt: Date) -> StateDocumentReading {
    var parse = LenientJSONParser.parse(bytes)
    var diagnostics: [StateDiagnostic] = []
    if let problem = parse.problem {
      diagnostics.append(
        StateDiagnostic(
          message:
            "the file is damaged (\(problem)); keeping every entry that can be read, "
            + "before and after the damage"))
      parse.value = recovered(parse.value, from: bytes)
    } else if case .object(let members, _) = parse.value,
      !members.contains(where: {
        guard $0.key == PersistedStateDocument.CodingKeys.credentials.rawValue,
          case .object = $0.value
        else { return false }
        return true
      }),
      !StateEntryRecovery.entries(in: bytes).isEmpty
    {
      // Valid JSON without a `credentials` object, yet entries in it: a damaged name.
      diagnostics.append(
        StateDiagnostic(
          message:
            "the file is damaged (no credentials object, but entries elsewhere); keeping every "
            + "entry that can be read"))
      parse.value = recovered(parse.value, from: bytes)
      parse.problem = "no credentials object"
    }
    guard let value = parse.value else {
      // Only an empty file (whitespace after an optional byte order mark) may be taken for a
      // state file without any recognisable content.
      let isEmpty = bytes.dropFirst(LenientJSONParser.byteOrderMarkLength(bytes)).allSatisfy {
        [0x20, 0x09, 0x0A, 0x0D].contains($0)
      }
      return StateDocumentReading(
        document: PersistedStateDocument(), diagnostics: diagnostics, isStateFile: isEmpty)
    }
    var reading = document(from: value, isComplete: parse.problem == nil, loadedAt: loadedAt)
    reading.diagnostics.insert(contentsOf: diagnostics, at: 0)
    return reading
  }

  /// `value` (what the lenient parse read of a damaged file) with its credentials replaced by
  /// every entry ``StateEntryRecovery`` finds in `bytes`, and the entries only the parse read
  /// (values that are not objects). A file whose parse read no `format`, `version` or
  /// `credentials` member (damage at its start) is rebuilt from the entries only if it names
  /// itself a state file (`"credentials"` or the format name appear in it) and at least one
  /// entry has a known state: a damaged file of another kind is never taken for a state file.
  static func recovered(_ value: LenientJSONValue?, from bytes: [UInt8]) -> LenientJSONValue? {
    let found = StateEntryRecovery.entries(in: bytes)
    let credentialsKey = PersistedStateDocument.CodingKeys.credentials.rawValue
    var members: [LenientJSONMember] = []
    if case .object(let topLevel, _) = value { members = topLevel }
    let stateFileKeys = ["format", "version", credentialsKey]
    if !members.contains(where: { stateFileKeys.contains($0.key) }) {
      let names = [credentialsKey, PersistedStateDocument.formatName].map {
        Array("\"\($0)\"".utf8)
      }
      let namesItself = names.contains { name in
        bytes.indices.contains { bytes[$0...].starts(with: name) }
      }
      let hasKnownState = found.contains { entry in
        guard case .object(let fields, _) = entry.value else { return false }
        return fields.contains {
          guard $0.key == PersistedCredentialState.CodingKeys.status.rawValue,
            case .string(let name) = $0.value
          else { return false }
          return BreakerState(rawValue: name) != nil
        }
      }
      guard namesItself, hasKnownState else { return value }
    }
    let foundIDs = Set(found.map(\.key))
    var credentials = found
    if let index = members.lastIndex(where: { $0.key == credentialsKey }),
      case .object(let parsed, _) = members[index].value
    {
      credentials += parsed.filter { !foundIDs.contains($0.key) }
      members.remove(at: index)
    }
    members.append(
      LenientJSONMember(key: credentialsKey, value: .object(credentials, isComplete: false)))
    return .object(members, isComplete: false)
  }

  static func document(
    from value: LenientJSONValue, isComplete: Bool, loadedAt: Date
  ) -> StateDocumentReading {
    var diagnostics: [StateDiagnostic] = []
    var document = PersistedStateDocument()
    guard case .object(let members, _) = value else {
      diagnostics.append(
        StateDiagnostic(
          message: "the file holds \(value.kindDescription), not a state object; nothing read"))
      return StateDocumentReading(document: document, diagnostics: diagnostics, isStateFile: false)
    }
    let fields = Fields(members)
    let isStateFile = ["format", "version", "credentials"].contains { fields[$0] != nil }

    if let format = fields["format"], format != .string(PersistedStateDocument.formatName) {
      diagnostics.append(
        StateDiagnostic(
          field: "format",
          message: "is not \"\(PersistedStateDocument.formatName)\"; reading it anyway"))
    }

    switch fields["version"] {
    case .integer(let version) where version >= 1:
      document.version = version
      if version > PersistedStateDocument.currentVersion {
        diagnostics.append(
          StateDiagnostic(
            field: "version",
            message:
              "schema \(version) is newer than this FailSafe's \(PersistedStateDocument.currentVersion); "
              + "reading the fields it knows, and it will not overwrite the file",
            isDamage: false))
      }
    case nil where isComplete || fields["credentials"] != nil:
      diagnostics.append(
        StateDiagnostic(
          field: "version",
          message: "is missing; assuming \(PersistedStateDocument.currentVersion)"))
    case nil:
      break  // cut short before the version: already reported as truncation
    case .some(let other):
      diagnostics.append(
        StateDiagnostic(
          field: "version",
          message:
            "is \(other.kindDescription), not a schema number; assuming \(PersistedStateDocument.currentVersion)"
        ))
    }

    document.savedAt = date(
      fields["savedAt"], field: "savedAt", id: nil, required: false, diagnostics: &diagnostics)

    switch fields["credentials"] {
    case .object(let entries, _):
      for member in entries {
        let id = member.key
        guard !id.isEmpty, id.utf8.count <= PersistedStateDocument.maximumCredentialIDLength
        else {
          diagnostics.append(
            StateDiagnostic(
              message:
                "skipped an entry whose credential id is empty or longer than "
                + "\(PersistedStateDocument.maximumCredentialIDLength) bytes"))
          continue
        }
        var entryDiagnostics: [StateDiagnostic] = []
        let entry = self.entry(
          from: member.value, id: id, loadedAt: loadedAt, diagnostics: &entryDiagnostics)
        diagnostics += entryDiagnostics
        if let existing = document.credentials[id] {
          diagnostics.append(
            StateDiagnostic(
              credentialID: id, message: "appears more than once; the entries were merged"))
          document.credentials[id] = StateMerge.merge(existing, entry)
        } else {
          document.credentials[id] = entry
        }
      }
    case nil:
      if isComplete {
        diagnostics.append(
          StateDiagnostic(field: "credentials", message: "is missing; no credentials read"))
      }
    case .some(let other):
      diagnostics.append(
        StateDiagnostic(
          field: "credentials",
          message: "is \(other.kindDescription), not an object; no credentials read"))
    }
    return StateDocumentReading(
      document: document, diagnostics: diagnostics, isStateFile: isStateFile)
  }

  /// Reads one credential's entry; never fails.
  static func entry(
    from value: LenientJSONValue, id: String, loadedAt: Date = Date(),
    diagnostics: inout [StateDiagnostic]
  ) -> PersistedCredentialState {
    guard case .object(let members, let isComplete) = value else {
      diagnostics.append(
        StateDiagnostic(
          credentialID: id,
          message:
            "entry is \(value.kindDescription), not an object; keeping the credential out of "
            + "rotation (paused) until an operator revives it"))
      return PersistedCredentialState(
        status: .paused, reason: damagedEntryReason, updatedAt: loadedAt)
    }
    if !isComplete {
      diagnostics.append(
        StateDiagnostic(
          credentialID: id, message: "entry is cut short; keeping the fields read in full"))
    }
    let fields = Fields(members)
    typealias Key = PersistedCredentialState.CodingKeys

    var reason: FailureReason?
    let status: BreakerState
    switch fields[Key.status.rawValue] {
    case .string(let name) where BreakerState(rawValue: name) != nil:
      status = BreakerState(rawValue: name)!
    case let other:
      let found =
        switch other {
        case nil: "is missing"
        case .string(let name): "is the unknown state '\(StateText.bounded(name, to: 32))'"
        case .some(let value): "is \(value.kindDescription)"
        }
      diagnostics.append(
        StateDiagnostic(
          credentialID: id, field: Key.status.rawValue,
          message:
            "\(found); keeping the credential out of rotation (paused) until an operator revives it"
        ))
      status = .paused
      reason = damagedEntryReason
    }

    let streakDefault = (status == .closed || status.isHeld) ? 0 : 1
    let streak = count(
      fields[Key.consecutiveFailures.rawValue], field: Key.consecutiveFailures.rawValue, id: id,
      defaultValue: streakDefault, required: true, diagnostics: &diagnostics)

    let trips = count(
      fields[Key.streak.rawValue], field: Key.streak.rawValue, id: id,
      defaultValue: streakDefault, required: false, diagnostics: &diagnostics)

    // A missing reopen time is legitimate (a breaker forced open with no end): the maximum
    // cooldown applies on restore. Only a malformed one is damage.
    var reopenAt: Date?
    if status.hasCooldown {
      reopenAt = date(
        fields[Key.reopenAt.rawValue], field: Key.reopenAt.rawValue, id: id, required: false,
        diagnostics: &diagnostics, consequence: "the maximum cooldown applies")
    }

    if reason == nil {
      switch fields[Key.reason.rawValue] {
      case nil, .null: break
      case .string(let name) where !name.isEmpty:
        reason = FailureReason(rawValue: StateText.bounded(name, to: maximumReasonLength))
      case .some(let other):
        diagnostics.append(
          StateDiagnostic(
            credentialID: id, field: Key.reason.rawValue,
            message: "is \(other.kindDescription), not a reason name; dropped"))
      }
    }

    let firstError = failure(
      fields[Key.firstError.rawValue], id: id, diagnostics: &diagnostics)
    let counters = counters(fields[Key.counters.rawValue], id: id, diagnostics: &diagnostics)
    let updatedAt =
      date(
        fields[Key.updatedAt.rawValue], field: Key.updatedAt.rawValue, id: id, required: true,
        diagnostics: &diagnostics, consequence: "using the load time") ?? loadedAt
    let action = operatorAction(
      fields[Key.lastOperatorAction.rawValue], id: id, diagnostics: &diagnostics)

    return PersistedCredentialState(
      status: status, consecutiveFailures: streak, streak: trips, reopenAt: reopenAt,
      reason: reason,
      firstError: firstError, counters: counters, updatedAt: updatedAt,
      lastOperatorAction: action)
  }

  /// A non-negative count. Fractions are cut toward zero, huge values clamp to `Int.max`;
  /// negative values and non-numbers give `defaultValue`. Each repair is a diagnostic.
  static func count(
    _ value: LenientJSONValue?, field: String, id: String?, defaultValue: Int, required: Bool,
    diagnostics: inout [StateDiagnostic]
  ) -> Int {
    func note(_ message: String) {
      diagnostics.append(StateDiagnostic(credentialID: id, field: field, message: message))
    }
    switch value {
    case nil:
      if required { note("is missing; using \(defaultValue)") }
      return defaultValue
    case .integer(let count) where count >= 0:
      return count
    case .number(let number) where number >= 0:
      // 2^63 is the first Double beyond Int.max; compare before converting so nothing traps.
      let count = number >= 9_223_372_036_854_775_807.0 ? Int.max : Int(number.rounded(.towardZero))
      note("is \(number), not a whole number; using \(count)")
      return count
    case .some(let other):
      let description: String
      switch other {
      case .integer, .number: description = "\(other.kindDescription), below zero"
      default: description = other.kindDescription
      }
      note("is \(description); using \(defaultValue)")
      return defaultValue
    }
  }

  static func date(
    _ value: LenientJSONValue?, field: String, id: String?, required: Bool,
    diagnostics: inout [StateDiagnostic], consequence: String = "dropped"
  ) -> Date? {
    func note(_ message: String) {
      diagnostics.append(StateDiagnostic(credentialID: id, field: field, message: message))
    }
    switch value {
    case nil:
      if required { note("is missing; \(consequence)") }
      return nil
    case .string(let text):
      if let date = StateDate.parse(text) { return date }
      note("is not an ISO 8601 date between 1970 and 9999; \(consequence)")
      return nil
    case .integer(let seconds):
      if let date = StateDate.fromSeconds(Double(seconds)) { return date }
    case .number(let seconds):
      if let date = StateDate.fromSeconds(seconds) { return date }
    default:
      break
    }
    note("is \(value!.kindDescription), not a date between 1970 and 9999; \(consequence)")
    return nil
  }

  private static func failure(
    _ value: LenientJSONValue?, id: String, diagnostics: inout [StateDiagnostic]
  ) -> PersistedFailure? {
    let field = PersistedCredentialState.CodingKeys.firstError.rawValue
    switch value {
    case nil, .null:
      return nil
    case .object(let members, _):
      let fields = Fields(members)
      var disposition: Disposition?
      if case .string(let name) = fields[FailureKeys.disposition.rawValue] {
        disposition = Disposition(rawValue: name)
      }
      var reason = FailureReason.unknown
      if case .string(let name) = fields[FailureKeys.reason.rawValue], !name.isEmpty {
        reason = FailureReason(rawValue: StateText.bounded(name, to: maximumReasonLength))
      }
      var evidence = ""
      if case .string(let text) = fields[FailureKeys.evidence.rawValue] { evidence = text }
      var ignored: [StateDiagnostic] = []
      let at = date(
        fields[FailureKeys.at.rawValue], field: "at", id: id, required: false,
        diagnostics: &ignored)
      let repeats = count(
        fields[FailureKeys.repeats.rawValue], field: "\(field).repeats", id: id, defaultValue: 0,
        required: false, diagnostics: &ignored)
      return PersistedFailure(
        disposition: disposition, reason: reason, evidence: evidence, at: at, repeats: repeats)
    case .some(let other):
      diagnostics.append(
        StateDiagnostic(
          credentialID: id, field: field,
          message: "is \(other.kindDescription), not an object; dropped"))
      return nil
    }
  }

  private static func counters(
    _ value: LenientJSONValue?, id: String, diagnostics: inout [StateDiagnostic]
  ) -> BreakerCounters {
    let field = PersistedCredentialState.CodingKeys.counters.rawValue
    switch value {
    case nil:
      return BreakerCounters()
    case .object(let members, _):
      let fields = Fields(members)
      func read(_ name: String) -> Int {
        count(
          fields[name], field: "\(field).\(name)", id: id, defaultValue: 0, required: false,
          diagnostics: &diagnostics)
      }
      return BreakerCounters(
        rejections: read("rejections"), failures: read("failures"), trips: read("trips"),
        probes: read("probes"))
    case .some(let other):
      diagnostics.append(
        StateDiagnostic(
          credentialID: id, field: field,
          message: "is \(other.kindDescription), not an object; counting from zero"))
      return BreakerCounters()
    }
  }

  private static func operatorAction(
    _ value: LenientJSONValue?, id: String, diagnostics: inout [StateDiagnostic]
  ) -> OperatorAction? {
    let field = PersistedCredentialState.CodingKeys.lastOperatorAction.rawValue
    switch value {
    case nil, .null:
      return nil
    case .object(let members, _):
      let fields = Fields(members)
      var kind: OperatorActionKind = "unknown"
      if case .string(let name) = fields[ActionKeys.kind.rawValue], !name.isEmpty {
        kind = OperatorActionKind(rawValue: StateText.bounded(name, to: maximumReasonLength))
      }
      guard
        let at = date(
          fields[ActionKeys.at.rawValue], field: "\(field).at", id: id, required: true,
          diagnostics: &diagnostics, consequence: "the operator action is dropped")
      else { return nil }
      return OperatorAction(kind: kind, at: at)
    case .some(let other):
      diagnostics.append(
        StateDiagnostic(
          credentialID: id, field: field,
          message: "is \(other.kindDescription), not an object; dropped"))
      return nil
    }
  }

  /// An object's members by name; the last of duplicate names wins.
  private struct Fields {
    private let values: [String: LenientJSONValue]

    init(_ members: [LenientJSONMember]) {
      var values: [String: LenientJSONValue] = [:]
      for member in members { values[member.key] = member.value }
      self.values = values
    }

    subscript(_ name: String) -> LenientJSONValue? { values[name] }
  }
}
