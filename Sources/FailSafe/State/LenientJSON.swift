/// A JSON tree as read from a state file, which may be damaged.
///
/// Objects keep their members in file order, duplicates included, so the reader can merge
/// duplicate credential entries instead of silently keeping one. `isComplete` is `false` for a
/// container cut short by the end of the input or by a syntax error: its members are the ones
/// read in full before that point.
enum LenientJSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  /// A number written without fraction or exponent that fits in `Int`.
  case integer(Int)
  /// Any other finite number (fractional, with an exponent, or beyond `Int`).
  case number(Double)
  case string(String)
  case array([LenientJSONValue], isComplete: Bool)
  case object([LenientJSONMember], isComplete: Bool)

  /// A short description of the value's kind for diagnostics; never the text of a string,
  /// which could be anything.
  var kindDescription: String {
    switch self {
    case .null: return "null"
    case .bool(let value): return value ? "true" : "false"
    case .integer(let value): return "\(value)"
    case .number(let value): return "\(value)"
    case .string: return "a string"
    case .array: return "an array"
    case .object: return "an object"
    }
  }
}

/// One `"key": value` pair of a JSON object.
struct LenientJSONMember: Sendable, Equatable {
  var key: String
  var value: LenientJSONValue
}

/// The result of reading JSON leniently: whatever could be read, and what went wrong first.
struct LenientJSONParse: Sendable {
  /// The value read, possibly partial; `nil` if not even the start of a value could be read.
  var value: LenientJSONValue?
  /// Why reading stopped early (truncation or a syntax error, with the byte offset), or `nil`.
  var problem: String?
}

/// A JSON reader that keeps what it can: on truncation or a syntax error it stops and returns
/// every value completed before that point, marking the enclosing containers incomplete.
///
/// A number or literal that runs into the end of the input is dropped (it may have been cut
/// short: `12` could have been `123`). Nesting deeper than `maximumDepth` is a problem, not a
/// stack overflow.
struct LenientJSONParser {
  private let bytes: [UInt8]
  private var index = 0
  private var depth = 0
  private let maximumDepth: Int
  private var problem: String?

  init(bytes: [UInt8], maximumDepth: Int = 32) {
    self.bytes = bytes
    self.maximumDepth = maximumDepth
  }

  /// Parses one JSON document; text after it is a problem too (but the value is kept).
  ///
  /// A leading UTF-8 byte order mark (`EF BB BF`, which some editors write) is skipped; byte
  /// offsets in problems still count from the start of `bytes`.
  static func parse(_ bytes: [UInt8], maximumDepth: Int = 32) -> LenientJSONParse {
    var parser = LenientJSONParser(bytes: bytes, maximumDepth: maximumDepth)
    parser.index = byteOrderMarkLength(bytes)
    parser.skipWhitespace()
    if parser.index == bytes.count {
      return LenientJSONParse(value: nil, problem: "the file is empty")
    }
    let value = parser.parseValue()
    if parser.problem == nil {
      parser.skipWhitespace()
      if parser.index < bytes.count {
        parser.fail("unexpected text after the document")
      }
    }
    return LenientJSONParse(value: value, problem: parser.problem)
  }

  /// Parses the one value that starts at `offset` (after whitespace), ignoring what follows
  /// it: the value (possibly partial), where reading stopped, and whether it stopped at the
  /// value's end rather than at a problem. For reading pieces of a damaged file.
  static func parseValue(_ bytes: [UInt8], at offset: Int, maximumDepth: Int = 32) -> (
    value: LenientJSONValue?, end: Int, isComplete: Bool
  ) {
    var parser = LenientJSONParser(bytes: bytes, maximumDepth: maximumDepth)
    parser.index = min(max(0, offset), bytes.count)
    let value = parser.parseValue()
    return (value, parser.index, parser.problem == nil)
  }

  /// 3 if `bytes` starts with a UTF-8 byte order mark, else 0.
  static func byteOrderMarkLength(_ bytes: [UInt8]) -> Int {
    bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
  }

  private mutating func fail(_ message: String) {
    if problem != nil { return }
    if index >= bytes.count {
      problem = "the file ends early (truncated?) at byte \(bytes.count)"
    } else {
      problem = "\(message) at byte \(index)"
    }
  }

  private var atEnd: Bool { index >= bytes.count }

  private mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  private mutating func parseValue() -> LenientJSONValue? {
    skipWhitespace()
    guard !atEnd else {
      fail("expected a value")
      return nil
    }
    switch bytes[index] {
    case UInt8(ascii: "{"): return parseObject()
    case UInt8(ascii: "["): return parseArray()
    case UInt8(ascii: "\""): return parseString().map(LenientJSONValue.string)
    case UInt8(ascii: "t"): return parseLiteral("true", .bool(true))
    case UInt8(ascii: "f"): return parseLiteral("false", .bool(false))
    case UInt8(ascii: "n"): return parseLiteral("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return parseNumber()
    default:
      fail("unexpected character")
      return nil
    }
  }

  private mutating func enter() -> Bool {
    depth += 1
    if depth > maximumDepth {
      fail("nesting deeper than \(maximumDepth) levels")
      return false
    }
    return true
  }

  private mutating func parseObject() -> LenientJSONValue? {
    guard enter() else { return nil }
    defer { depth -= 1 }
    index += 1  // {
    var members: [LenientJSONMember] = []
    skipWhitespace()
    if !atEnd, bytes[index] == UInt8(ascii: "}") {
      index += 1
      return .object(members, isComplete: true)
    }
    while true {
      skipWhitespace()
      guard !atEnd, bytes[index] == UInt8(ascii: "\"") else {
        fail("expected a member name")
        return .object(members, isComplete: false)
      }
      guard let key = parseString() else { return .object(members, isComplete: false) }
      skipWhitespace()
      guard !atEnd, bytes[index] == UInt8(ascii: ":") else {
        fail("expected ':'")
        return .object(members, isComplete: false)
      }
      index += 1
      guard let value = parseValue() else { return .object(members, isComplete: false) }
      members.append(LenientJSONMember(key: key, value: value))
      if problem != nil { return .object(members, isComplete: false) }
      skipWhitespace()
      guard !atEnd else {
        fail("expected ',' or '}'")
        return .object(members, isComplete: false)
      }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
      } else if bytes[index] == UInt8(ascii: "}") {
        index += 1
        return .object(members, isComplete: true)
      } else {
        fail("expected ',' or '}'")
        return .object(members, isComplete: false)
      }
    }
  }

  private mutating func parseArray() -> LenientJSONValue? {
    guard enter() else { return nil }
    defer { depth -= 1 }
    index += 1  // [
    var elements: [LenientJSONValue] = []
    skipWhitespace()
    if !atEnd, bytes[index] == UInt8(ascii: "]") {
      index += 1
      return .array(elements, isComplete: true)
    }
    while true {
      guard let value = parseValue() else { return .array(elements, isComplete: false) }
      elements.append(value)
      if problem != nil { return .array(elements, isComplete: false) }
      skipWhitespace()
      guard !atEnd else {
        fail("expected ',' or ']'")
        return .array(elements, isComplete: false)
      }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
      } else if bytes[index] == UInt8(ascii: "]") {
        index += 1
        return .array(elements, isComplete: true)
      } else {
        fail("expected ',' or ']'")
        return .array(elements, isComplete: false)
      }
    }
  }

  private mutating func parseLiteral(_ word: String, _ value: LenientJSONValue) -> LenientJSONValue?
  {
    let expected = Array(word.utf8)
    guard index + expected.count <= bytes.count else {
      index = bytes.count
      fail("incomplete literal")
      return nil
    }
    guard Array(bytes[index..<index + expected.count]) == expected else {
      fail("unexpected character")
      return nil
    }
    index += expected.count
    return value
  }

  private mutating func parseNumber() -> LenientJSONValue? {
    let start = index
    var isIntegral = true
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"):
        index += 1
      case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
        isIntegral = false
        index += 1
      default:
        return number(from: start, isIntegral: isIntegral)
      }
    }
    // Ran into the end of the input: the number may have been cut short.
    fail("number cut short")
    return nil
  }

  private mutating func number(from start: Int, isIntegral: Bool) -> LenientJSONValue? {
    let lexeme = String(decoding: bytes[start..<index], as: UTF8.self)
    if isIntegral, let integer = Int(lexeme) {
      return .integer(integer)
    }
    guard let double = Double(lexeme), lexeme.last?.isNumber == true else {
      index = start
      fail("malformed number")
      return nil
    }
    // `1e999` reads as infinity: keep it as the largest finite number so callers clamp it.
    if double.isInfinite {
      return .number(double < 0 ? -Double.greatestFiniteMagnitude : .greatestFiniteMagnitude)
    }
    return .number(double)
  }

  /// Reads a string starting at its opening quote; `nil` if it is cut short or malformed.
  private mutating func parseString() -> String? {
    index += 1  // "
    var scalars: [UInt8] = []
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "\""):
        index += 1
        return String(decoding: scalars, as: UTF8.self)
      case UInt8(ascii: "\\"):
        index += 1
        guard index < bytes.count else { break }
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "\""): scalars.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): scalars.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): scalars.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): scalars.append(0x08)
        case UInt8(ascii: "f"): scalars.append(0x0C)
        case UInt8(ascii: "n"): scalars.append(0x0A)
        case UInt8(ascii: "r"): scalars.append(0x0D)
        case UInt8(ascii: "t"): scalars.append(0x09)
        case UInt8(ascii: "u"):
          guard let scalar = parseUnicodeEscape() else { return nil }
          scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
          index -= 1
          fail("invalid escape")
          return nil
        }
      case 0x00..<0x20:
        fail("control character in a string")
        return nil
      default:
        scalars.append(byte)
        index += 1
      }
    }
    fail("string cut short")
    return nil
  }

  /// Reads the four hex digits after `\u` (and a following low surrogate if needed).
  private mutating func parseUnicodeEscape() -> Unicode.Scalar? {
    guard let high = parseHex4() else { return nil }
    if (0xD800..<0xDC00).contains(high) {
      // A high surrogate must be followed by `\uDC00`...`\uDFFF`; otherwise use U+FFFD.
      if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
        bytes[index + 1] == UInt8(ascii: "u")
      {
        index += 2
        guard let low = parseHex4() else { return nil }
        if (0xDC00..<0xE000).contains(low) {
          let value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
          return Unicode.Scalar(value) ?? "\u{FFFD}"
        }
      }
      return "\u{FFFD}"
    }
    return Unicode.Scalar(high) ?? "\u{FFFD}"
  }

  private mutating func parseHex4() -> UInt32? {
    guard index + 4 <= bytes.count else {
      index = bytes.count
      fail("string cut short")
      return nil
    }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[index]
      let digit: UInt32
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
      default:
        fail("invalid \\u escape")
        return nil
      }
      value = value << 4 | digit
      index += 1
    }
    return value
  }
}
