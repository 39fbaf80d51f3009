/// Builds the short, redacted evidence text of a classification: the status, the identifier
/// that decided, and the start of the first message, such as
/// `429 insufficient_quota: You exceeded your current quota, please check your plan and...`.
enum Evidence {
  /// How far past the excerpt limit a word is finished before it is dropped instead.
  static let maximumWordExtension = 96

  /// Builds evidence quoting at most `limit` bytes of `message`, secrets redacted.
  static func make(status: Int?, source: String, message: [UInt8]?, limit: Int) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(limit + 96)
    if let status { appendDecimal(status, to: &bytes) }
    if !source.isEmpty {
      if !bytes.isEmpty { bytes.append(UInt8(ascii: " ")) }
      var source = source
      source.withUTF8 { bytes.append(contentsOf: $0.prefix(64)) }
    }
    if let message, !message.isEmpty {
      if !bytes.isEmpty { bytes.append(contentsOf: ": ".utf8) }
      appendExcerpt(of: message, limit: max(limit, 0), to: &bytes)
    }
    // The excerpt never ends inside a word (see appendExcerpt), so the redactor always sees
    // a secret whole and no fragment of one can slip through.
    return bytes.withUnsafeBytes { SecretRedactor.redact($0) }
  }

  /// Appends the decimal digits of `value` without building a `String`.
  private static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
    if value < 0 { bytes.append(UInt8(ascii: "-")) }
    var magnitude = value.magnitude
    var digits: [UInt8] = []
    repeat {
      digits.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
      magnitude /= 10
    } while magnitude > 0
    bytes.append(contentsOf: digits.reversed())
  }

  /// Appends up to `limit` bytes of `message`, whitespace runs collapsed to one space, cut on
  /// a UTF-8 character boundary, with `...` if cut.
  private static func appendExcerpt(of message: [UInt8], limit: Int, to bytes: inout [UInt8]) {
    var written = 0
    var lastWasSpace = true
    var index = 0
    while index < message.count, written < limit {
      let byte = message[index]
      index += 1
      if byte <= 0x20 || byte == 0x7F {
        if !lastWasSpace {
          bytes.append(UInt8(ascii: " "))
          written += 1
        }
        lastWasSpace = true
      } else {
        bytes.append(byte)
        written += 1
        lastWasSpace = false
      }
    }
    if index < message.count {
      // Never cut inside a word: finish it (keys are shorter than this), or, if it
      // runs on, drop it entirely.
      var extra = 0
      while index < message.count, message[index] > 0x20, extra < maximumWordExtension {
        bytes.append(message[index])
        index += 1
        extra += 1
      }
      if index < message.count, message[index] > 0x20 {
        while let last = bytes.last, last > 0x20 { bytes.removeLast() }
      }
      // Drop a partial multi-byte character, then mark the cut.
      while let last = bytes.last, last & 0xC0 == 0x80 { bytes.removeLast() }
      if let last = bytes.last, last >= 0xC0 { bytes.removeLast() }
      bytes.append(contentsOf: "...".utf8)
    }
    while bytes.last == UInt8(ascii: " ") { bytes.removeLast() }
  }
}
