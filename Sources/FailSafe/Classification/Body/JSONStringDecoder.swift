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
      let (decoded, next) = escape(bytes, at: index, end: end)
      index = next
      switch decoded {
      case .byte(let byte): output.append(byte)
      case .scalar(let scalar): output.append(contentsOf: String(Character(scalar)).utf8)
      }
    }
    return output
  }

  /// What one escape stands for.
  enum Decoded {
    /// One byte, as it is.
    case byte(UInt8)
    /// A character from `\u`, to be encoded as UTF-8.
    case scalar(Unicode.Scalar)
  }

  /// The character the escape at `bytes[index]` (a backslash, with at least one byte after it
  /// before `end`) stands for, and the index after the escape: the one place the classifier
  /// decodes an escape. An unknown escape stands for the byte after the backslash; a broken
  /// `\u` or a lone surrogate for U+FFFD.
  static func escape(_ bytes: UnsafeRawBufferPointer, at index: Int, end: Int)
    -> (Decoded, next: Int)
  {
    let escape = bytes[index + 1]
    var next = index + 2
    switch escape {
    case UInt8(ascii: "n"): return (.byte(0x0A), next)
    case UInt8(ascii: "t"): return (.byte(0x09), next)
    case UInt8(ascii: "r"): return (.byte(0x0D), next)
    case UInt8(ascii: "b"): return (.byte(0x08), next)
    case UInt8(ascii: "f"): return (.byte(0x0C), next)
    case UInt8(ascii: "u"):
      var scalar = hexValue(bytes, at: next, end: end)
      if scalar != nil { next += 4 }
      if let high = scalar, (0xD800..<0xDC00).contains(high), next + 1 < end,
        bytes[next] == UInt8(ascii: "\\"), bytes[next + 1] == UInt8(ascii: "u"),
        let low = hexValue(bytes, at: next + 2, end: end), (0xDC00..<0xE000).contains(low)
      {
        scalar = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        next += 6
      }
      return (.scalar(scalar.flatMap(Unicode.Scalar.init) ?? "\u{FFFD}"), next)
    default:
      // Any other byte stands for itself, as a byte (0x80 up included: the caller repairs
      // invalid UTF-8).
      return (.byte(escape), next)
    }
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
