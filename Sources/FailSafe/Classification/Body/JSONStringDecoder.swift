/// Decodes the escapes of a JSON string body into UTF-8 bytes, never failing: a broken escape
/// or a lone surrogate becomes U+FFFD, and invalid UTF-8 is passed through for the caller to
/// repair when it builds a `String`.
enum JSONStringDecoder {
  /// The decoded bytes of `bytes[start..<end]` (the text between the quotes), stopping once
  /// `limit` bytes have been produced.
  static func decode(
    _ bytes: UnsafeRawBufferPointer, start: Int, end: Int, limit: Int = .max
  ) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(min(end - start, limit))
    var index = start
    while index < end, output.count < limit {
      let byte = bytes[index]
      guard byte == UInt8(ascii: "\\"), index + 1 < end else {
        output.append(byte)
        index += 1
        continue
      }
      let escape = bytes[index + 1]
      index += 2
      switch escape {
      case UInt8(ascii: "n"): output.append(0x0A)
      case UInt8(ascii: "t"): output.append(0x09)
      case UInt8(ascii: "r"): output.append(0x0D)
      case UInt8(ascii: "b"): output.append(0x08)
      case UInt8(ascii: "f"): output.append(0x0C)
      case UInt8(ascii: "u"):
        var scalar = hexValue(bytes, at: index, end: end)
        if scalar != nil { index += 4 }
        if let high = scalar, (0xD800..<0xDC00).contains(high), index + 1 < end,
          bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
          let low = hexValue(bytes, at: index + 2, end: end), (0xDC00..<0xE000).contains(low)
        {
          scalar = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
          index += 6
        }
        let unicode = scalar.flatMap(Unicode.Scalar.init) ?? "\u{FFFD}"
        output.append(contentsOf: String(Character(unicode)).utf8)
      default: output.append(escape)
      }
    }
    return output
  }

  private static func hexValue(_ bytes: UnsafeRawBufferPointer, at start: Int, end: Int) -> UInt32?
  {
    guard start + 4 <= end else { return nil }
    var value: UInt32 = 0
    for index in start..<(start + 4) {
      let byte = bytes[index]
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - 48
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - 87
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - 55
      default: return nil
      }
      value = value << 4 | UInt32(digit)
    }
    return value
  }
}
