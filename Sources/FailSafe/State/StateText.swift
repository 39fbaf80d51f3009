/// Text hygiene for what goes into and comes out of state files.
enum StateText {
  /// `text` without control characters (replaced by a space), cut to `limit` characters with
  /// a trailing `…` when cut.
  static func bounded(_ text: String, to limit: Int) -> String {
    var result = ""
    var count = 0
    for character in text {
      if count >= limit {
        result += "…"
        break
      }
      let isControl = character.unicodeScalars.contains {
        $0.value < 0x20 || (0x7F..<0xA0).contains($0.value)
      }
      result.append(isControl ? " " : character)
      count += 1
    }
    return result
  }
}
