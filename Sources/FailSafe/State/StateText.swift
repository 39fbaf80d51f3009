/// Text hygiene for what goes into and comes out of state files.
enum StateText {
  /// `text` without control characters (replaced by a space), cut to `limit` characters with
  /// a trailing `…` when cut.
  static func bounded(_ text: String, to limit: Int) -> String {
    cut(Array(sanitized(text)), to: limit, keeping: nil)
  }

  /// Evidence as a state file keeps it: control characters replaced, secrets redacted by
  /// ``SecretRedactor``, then cut to `limit` characters (never inside a placeholder).
  ///
  /// Idempotent, so reading back what was written changes nothing: placeholders already in
  /// the text are kept as they are (redacting `key=[REDACTED]` again would redact the word
  /// inside the brackets), and a cut never leaves half a placeholder behind.
  static func redactedEvidence(_ text: String, limit: Int) -> String {
    let placeholder = SecretRedactor.placeholder
    let redacted = sanitized(text).components(separatedBy: placeholder)
      .map(SecretRedactor.redact).joined(separator: placeholder)
    return cut(Array(redacted), to: limit, keeping: Array(placeholder))
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

  /// The first `limit` characters and `…` if there were more; with `keeping`, a cut through an
  /// occurrence of it moves back to that occurrence's start.
  private static func cut(_ characters: [Character], to limit: Int, keeping whole: [Character]?)
    -> String
  {
    guard characters.count > limit else { return String(characters) }
    var end = max(0, limit)
    if let whole, !whole.isEmpty {
      let earliest = max(0, end - whole.count + 1)
      for start in earliest..<end where start + whole.count <= characters.count {
        if Array(characters[start..<(start + whole.count)]) == whole, start + whole.count > end {
          end = start
          break
        }
      }
    }
    return String(characters[..<end]) + "…"
  }
}
