/// Builds the short, redacted evidence text of a classification: the status, the identifier
/// that decided, and the start of the first message, such as
/// `429 insufficient_quota: You exceeded your current quota, please check your plan and...`.
enum Evidence {
  /// Builds evidence of at most `limit` characters (plus an ellipsis), secrets redacted.
  static func make(status: Int?, source: String, message: [UInt8]?, limit: Int) -> String {
    var text = status.map(String.init) ?? ""
    if !source.isEmpty { text += text.isEmpty ? source : " " + source }
    if let message, !message.isEmpty {
      // Invalid UTF-8 becomes U+FFFD; control characters (newlines) become spaces.
      let decoded = String(decoding: message.prefix(limit * 4), as: UTF8.self)
      var excerpt = ""
      var lastWasSpace = true
      for character in decoded {
        let isSpace = character.isWhitespace || character.asciiValue.map { $0 < 0x20 } == true
        if isSpace {
          if !lastWasSpace { excerpt.append(" ") }
        } else {
          excerpt.append(character)
        }
        lastWasSpace = isSpace
        if excerpt.count > limit { break }
      }
      if !excerpt.isEmpty { text += (text.isEmpty ? "" : ": ") + excerpt }
    }
    // Redact before truncating, so a cut can never leave a recognisable part of a secret.
    let redacted = SecretRedactor.redact(text)
    let cap = max(limit, 16) + 24
    return redacted.count > cap ? String(redacted.prefix(cap)) + "..." : redacted
  }
}
