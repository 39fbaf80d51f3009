/// Finds every credential entry of a damaged state file, wherever the damage is, so that a
/// damaged byte costs at most the entry it is in.
///
/// The lenient parse stops at the first syntax error; this reads the file again piece by
/// piece. Every `"name": {` (a string, a colon, an object) is a candidate (the quote may be escaped: damage may have put the backslash there), and its
/// object is parsed on its own:
/// - an object with a `state` member is an entry;
/// - an object cut short by damage before its `state`, under a name that is not one of the
///   document's or an entry's own object fields (`credentials`, `counters`, `firstError`,
///   `operatorAction`), is an entry too if the bytes up to the next candidate entry hold its
///   scalar fields (`"state": "dead"`, `updatedAt`, ...): they are read from there.
/// Nested objects (`counters`, `firstError`, `operatorAction`) never have a `state` member, so
/// they are never taken for entries. Runs in time linear in the file (each byte is parsed a
/// few times: as part of an entry, and of the nested objects in it).
enum StateEntryRecovery {
  /// The names of objects that are not entries: the document's `credentials` and an entry's
  /// own object fields.
  static let objectFieldNames: Set<String> = {
    typealias Key = PersistedCredentialState.CodingKeys
    return [
      PersistedStateDocument.CodingKeys.credentials.rawValue, Key.counters.rawValue,
      Key.firstError.rawValue, Key.lastOperatorAction.rawValue,
    ]
  }()

  /// An entry's scalar fields, recovered from after the damage; `reason` is also a field of
  /// `firstError`, which comes before it in a written file, so its last occurrence is taken.
  static let scalarFieldNames: [String] = {
    typealias Key = PersistedCredentialState.CodingKeys
    return [
      Key.status, .consecutiveFailures, .streak, .reopenAt, .reason, .updatedAt,
    ].map(\.rawValue)
  }()

  /// Every entry found, as `id: object` members in file order (duplicates included).
  static func entries(in bytes: [UInt8]) -> [LenientJSONMember] {
    let candidates = self.candidates(in: bytes)
    var entries: [LenientJSONMember] = []
    for (position, candidate) in candidates.enumerated() {
      guard case .object(var members, let isComplete)? = candidate.value else { continue }
      let hasState = members.contains {
        $0.key == PersistedCredentialState.CodingKeys.status.rawValue
      }
      if !hasState {
        guard !isComplete, !objectFieldNames.contains(candidate.key) else { continue }
        // The bytes after the damage, up to the next candidate that may be an entry.
        let next = candidates[(position + 1)...].first { !objectFieldNames.contains($0.key) }
        let regionEnd = next?.keyStart ?? bytes.count
        let recovered = scalarFields(
          in: bytes, from: candidate.end, to: regionEnd,
          missing: Set(scalarFieldNames).subtracting(members.map(\.key)))
        guard
          recovered.contains(where: {
            $0.key == PersistedCredentialState.CodingKeys.status.rawValue
          })
        else { continue }
        members += recovered
      }
      entries.append(
        LenientJSONMember(key: candidate.key, value: .object(members, isComplete: isComplete)))
    }
    return entries
  }

  private struct Candidate {
    /// Where its name's opening quote is.
    var keyStart: Int
    var key: String
    /// Where its object's `{` is.
    var objectStart: Int
    /// Its object as far as it could be read.
    var value: LenientJSONValue?
    /// Where reading the object stopped.
    var end: Int
  }

  /// Every `"name": {` of `bytes`, with its object parsed.
  private static func candidates(in bytes: [UInt8]) -> [Candidate] {
    var candidates: [Candidate] = []
    var index = 0
    while index < bytes.count {
      // Escaped quotes are tried too: a damaged byte may have become a backslash before a
      // name. A string started inside another string ends where that one does, so it yields
      // a candidate only inside a name, for the same object: the longest name is kept.
      guard bytes[index] == UInt8(ascii: "\""), let (key, afterKey) = string(in: bytes, at: index)
      else {
        index += 1
        continue
      }
      var next = skipWhitespace(bytes, from: afterKey)
      guard next < bytes.count, bytes[next] == UInt8(ascii: ":") else {
        // Not a name (or a closing quote taken for an opening one): try the next quote.
        index += 1
        continue
      }
      next = skipWhitespace(bytes, from: next + 1)
      guard next < bytes.count, bytes[next] == UInt8(ascii: "{") else {
        index = next
        continue
      }
      if let last = candidates.last, last.objectStart == next {
        index = next + 1
        continue
      }
      let parsed = LenientJSONParser.parseValue(bytes, at: next)
      candidates.append(
        Candidate(
          keyStart: index, key: key, objectStart: next, value: parsed.value, end: parsed.end))
      // Nested objects are candidates too: go on inside this one.
      index = next + 1
    }
    return candidates
  }

  /// The fields named in `missing` found as `"name": value` in `bytes[start..<end]`: the first
  /// of each, the last for `reason`.
  private static func scalarFields(
    in bytes: [UInt8], from start: Int, to end: Int, missing: Set<String>
  ) -> [LenientJSONMember] {
    var found: [String: LenientJSONValue] = [:]
    var order: [String] = []
    var index = max(0, start)
    let reason = PersistedCredentialState.CodingKeys.reason.rawValue
    while index < min(end, bytes.count) {
      guard bytes[index] == UInt8(ascii: "\""), !isEscaped(bytes, at: index),
        let (key, afterKey) = string(in: bytes, at: index)
      else {
        index += 1
        continue
      }
      let colon = skipWhitespace(bytes, from: afterKey)
      guard colon < bytes.count, bytes[colon] == UInt8(ascii: ":"), missing.contains(key),
        found[key] == nil || key == reason
      else {
        index += 1
        continue
      }
      let parsed = LenientJSONParser.parseValue(bytes, at: colon + 1, maximumDepth: 1)
      if let value = parsed.value, parsed.isComplete {
        if found[key] == nil { order.append(key) }
        found[key] = value
      }
      index = max(parsed.end, colon + 1)
    }
    return order.compactMap { key in found[key].map { LenientJSONMember(key: key, value: $0) } }
  }

  /// Whether the quote at `index` follows an odd run of backslashes (it is inside a string).
  private static func isEscaped(_ bytes: [UInt8], at index: Int) -> Bool {
    var backslashes = 0
    var before = index - 1
    while before >= 0, bytes[before] == UInt8(ascii: "\\") {
      backslashes += 1
      before -= 1
    }
    return backslashes % 2 == 1
  }

  /// The string starting at the quote at `index` and the index after its closing quote, or
  /// `nil` if it is cut short or malformed.
  private static func string(in bytes: [UInt8], at index: Int) -> (String, Int)? {
    let parsed = LenientJSONParser.parseValue(bytes, at: index)
    guard parsed.isComplete, case .string(let text)? = parsed.value else { return nil }
    return (text, parsed.end)
  }

  private static func skipWhitespace(_ bytes: [UInt8], from start: Int) -> Int {
    var index = start
    while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    return index
  }
}
