/// Text hygiene for what goes into and comes out of state files.
///
/// Every text it returns is bounded in characters and in bytes: at most `limit` characters and
/// ``maximumBytes(forCharacters:)`` UTF-8 bytes before the trailing `…` of a cut (a character
/// can be any number of scalars, so a count of characters alone bounds nothing).
enum StateText {
  /// The most UTF-8 bytes kept of a text cut to `limit` characters, not counting the `…`:
  /// four per character, so a text of `limit` characters of one scalar each always fits.
  static func maximumBytes(forCharacters limit: Int) -> Int {
    let (bytes, overflow) = max(0, limit).multipliedReportingOverflow(by: 4)
    return overflow ? Int.max : bytes
  }

  /// The bytes of the `…` that marks a cut.
  static let ellipsisBytes = "…".utf8.count

  /// `text` without control characters (replaced by a space), cut to `limit` characters (and
  /// ``maximumBytes(forCharacters:)`` bytes) with a trailing `…` when cut.
  static func bounded(_ text: String, to limit: Int) -> String {
    cut(Array(sanitized(text)), to: limit, keeping: nil, wholeTokens: false)
  }

  /// Evidence as a state file keeps it: control characters replaced, secrets redacted by
  /// ``SecretRedactor``, then cut to `limit` characters (and ``maximumBytes(forCharacters:)``
  /// bytes), never inside a placeholder and never inside a redactor token (a word, a key, a
  /// URL), whose fragment could be the start of a secret or read differently once cut.
  ///
  /// Idempotent, so reading back what was written changes nothing: placeholders already in
  /// the text are kept as they are (redacting `key=[REDACTED]` again would redact the word
  /// inside the brackets), a cut never leaves half a placeholder behind, and what is left
  /// before a cut is whole tokens of the redacted text, which redact to themselves (a cut
  /// inside `Bearer` after `token:` used to leave a stub that was then taken for the secret).
  static func redactedEvidence(_ text: String, limit: Int) -> String {
    let placeholder = SecretRedactor.placeholder
    let redacted = sanitized(text).components(separatedBy: placeholder)
      .map(SecretRedactor.redact).joined(separator: placeholder)
    return cut(Array(redacted), to: limit, keeping: Array(placeholder), wholeTokens: true)
  }

  private static func sanitized(_ text: String) -> String {
    var result = ""
    for character in text {
      let isControl = character.unicodeScalars.contains {
        $0.value < 0x20 || (0x7F..<0xA0).contains($0.value)
      }
      result.append(isControl ? " " : character)
    }
    return result
  }

  /// The longest prefix of at most `limit` characters and ``maximumBytes(forCharacters:)``
  /// bytes, and `…` if there was more. With `keeping`, a cut through an occurrence of it moves
  /// back to that occurrence's start; with `wholeTokens`, a cut between two token bytes (see
  /// ``ByteClass/token``) moves back to the token's start.
  private static func cut(
    _ characters: [Character], to limit: Int, keeping whole: [Character]?, wholeTokens: Bool
  ) -> String {
    let byteLimit = maximumBytes(forCharacters: limit)
    var end = 0
    var bytes = 0
    while end < characters.count, end < limit {
      let size = characters[end].utf8.count
      guard size <= byteLimit - bytes else { break }
      bytes += size
      end += 1
    }
    guard end < characters.count else { return String(characters) }
    if let whole, !whole.isEmpty {
      let earliest = max(0, end - whole.count + 1)
      for start in earliest..<end where start + whole.count <= characters.count {
        if Array(characters[start..<(start + whole.count)]) == whole, start + whole.count > end {
          end = start
          break
        }
      }
    }
    if wholeTokens, end > 0, startsWithTokenByte(characters[end]) {
      while end > 0, endsWithTokenByte(characters[end - 1]) { end -= 1 }
    }
    return String(characters[..<end]) + "…"
  }

  private static func startsWithTokenByte(_ character: Character) -> Bool {
    character.utf8.first.map { ByteClass.of($0) & ByteClass.token != 0 } ?? false
  }

  private static func endsWithTokenByte(_ character: Character) -> Bool {
    character.utf8.last.map { ByteClass.of($0) & ByteClass.token != 0 } ?? false
  }
}
