import FailSafe
import Foundation

/// Turns one input line of `failsafe classify` into its output line.
enum ClassifyLine {
  /// The JSON output for `line`, and whether the line was invalid.
  static func process(
    _ line: String, classifier: any FailureClassifying, receivedAt: Date
  ) -> (json: String, failed: Bool) {
    let object: [String: Any]
    do {
      let parsed = try JSONSerialization.jsonObject(
        with: Data(line.utf8), options: [.fragmentsAllowed])
      guard let dictionary = parsed as? [String: Any] else {
        return (failure(id: nil, "a line must be a JSON object"), true)
      }
      object = dictionary
    } catch {
      return (failure(id: nil, "not valid JSON"), true)
    }
    let id = object["id"]
    switch response(
      from: object, statusText: topLevelLiteral("status", in: line), receivedAt: receivedAt)
    {
    case .failure(let message):
      return (failure(id: id, message.text), true)
    case .success(let response):
      let result = classifier.classify(response)
      var json = "{\"id\":\(encode(id)),\"disposition\":\(quote(result.disposition.rawValue))"
      json += ",\"reason\":\(quote(result.reason.rawValue)),\"retryAfterSeconds\":"
      if let wait = result.retryAfter {
        let (seconds, attoseconds) = wait.components
        json += "\(Double(seconds) + Double(attoseconds) / 1e18)"
      } else {
        json += "null"
      }
      return (json + "}", false)
    }
  }

  struct LineError: Error {
    let text: String
  }

  private static func response(
    from object: [String: Any], statusText: Substring.UTF8View?, receivedAt: Date
  ) -> Result<ProviderResponse, LineError> {
    let status: Int
    switch integer(statusText) {
    case .success(let value): status = value
    case .failure(let error): return .failure(error)
    }
    var headers = HTTPHeaderFields()
    if let rawHeaders = object["headers"], !(rawHeaders is NSNull) {
      guard let dictionary = rawHeaders as? [String: Any] else {
        return .failure(LineError(text: "\"headers\" must be an object of strings"))
      }
      for (name, value) in dictionary.sorted(by: { $0.key < $1.key }) {
        guard let text = value as? String else {
          return .failure(LineError(text: "header \(quoteForMessage(name)) must be a string"))
        }
        headers.append(name: name, value: text)
      }
    }
    var body = ""
    if let rawBody = object["body"], !(rawBody is NSNull) {
      guard let text = rawBody as? String else {
        return .failure(LineError(text: "\"body\" must be a string"))
      }
      body = text
    }
    return .success(
      ProviderResponse(status: status, headers: headers, body: body, receivedAt: receivedAt))
  }

  /// The integer a JSON number's literal text `text` writes, read from its digits (never
  /// through `Double`, which rounds above 2^53 and reads `4.29e2` as 429); an error for a
  /// fraction, an exponent or a value beyond `Int`.
  private static func integer(_ text: Substring.UTF8View?) -> Result<Int, LineError> {
    guard let text, let first = text.first, first == UInt8(ascii: "-") || first &- 48 < 10 else {
      return .failure(LineError(text: "\"status\" must be an integer"))
    }
    let negative = first == UInt8(ascii: "-")
    let digits = text.dropFirst(negative ? 1 : 0)
    guard !digits.isEmpty, digits.allSatisfy({ $0 &- 48 < 10 }) else {
      return .failure(
        LineError(text: "\"status\" must be an integer written without a fraction or exponent"))
    }
    // Accumulated negatively, so that Int.min, whose magnitude Int cannot hold, is read too.
    var value = 0
    for digit in digits {
      let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
      let (next, overflow2) = times10.subtractingReportingOverflow(Int(digit &- 48))
      guard !overflow1, !overflow2 else {
        return .failure(LineError(text: "\"status\" must be an integer: it is out of range"))
      }
      value = next
    }
    if negative { return .success(value) }
    guard value != Int.min else {
      return .failure(LineError(text: "\"status\" must be an integer: it is out of range"))
    }
    return .success(-value)
  }

  /// The literal text of the last member named `name` of the JSON object `line` (which has
  /// been parsed already, so it is valid JSON), or `nil` if it has none.
  private static func topLevelLiteral(_ name: String, in line: String) -> Substring.UTF8View? {
    let text = Substring(line).utf8
    var index = text.startIndex
    func skipWhitespace() {
      while index < text.endIndex, [0x20, 0x09, 0x0A, 0x0D].contains(text[index]) {
        text.formIndex(after: &index)
      }
    }
    /// Moves past the string that starts at `index` (an opening quote).
    func skipString() {
      text.formIndex(after: &index)
      while index < text.endIndex, text[index] != UInt8(ascii: "\"") {
        if text[index] == UInt8(ascii: "\\") { text.formIndex(after: &index) }
        if index < text.endIndex { text.formIndex(after: &index) }
      }
      if index < text.endIndex { text.formIndex(after: &index) }
    }
    /// Moves past the value that starts at `index`.
    func skipValue() {
      var depth = 0
      while index < text.endIndex {
        switch text[index] {
        case UInt8(ascii: "\""):
          skipString()
          if depth == 0 { return }
          continue
        case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
          if depth == 0 { return }
          depth -= 1
          if depth == 0 {
            text.formIndex(after: &index)
            return
          }
        case UInt8(ascii: ","), 0x20, 0x09, 0x0A, 0x0D:
          if depth == 0 { return }
        default: break
        }
        text.formIndex(after: &index)
      }
    }
    skipWhitespace()
    guard index < text.endIndex, text[index] == UInt8(ascii: "{") else { return nil }
    text.formIndex(after: &index)
    var found: Substring.UTF8View?
    while true {
      skipWhitespace()
      guard index < text.endIndex, text[index] == UInt8(ascii: "\"") else { return found }
      let keyStart = index
      skipString()
      let key = try? JSONSerialization.jsonObject(
        with: Data(text[keyStart..<index]), options: [.fragmentsAllowed])
      skipWhitespace()
      guard index < text.endIndex, text[index] == UInt8(ascii: ":") else { return found }
      text.formIndex(after: &index)
      skipWhitespace()
      let valueStart = index
      skipValue()
      if key as? String == name { found = text[valueStart..<index] }
      skipWhitespace()
      guard index < text.endIndex, text[index] == UInt8(ascii: ",") else { return found }
      text.formIndex(after: &index)
    }
  }

  private static func failure(id: Any?, _ message: String) -> String {
    "{\"id\":\(encode(id)),\"error\":\(quote(message))}"
  }

  /// `value` as JSON, `null` if absent or not encodable.
  private static func encode(_ value: Any?) -> String {
    guard let value, !(value is NSNull),
      let data = try? JSONSerialization.data(
        withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes])
    else { return "null" }
    return String(decoding: data, as: UTF8.self)
  }

  private static func quote(_ text: String) -> String { encode(text) }

  private static func quoteForMessage(_ name: String) -> String {
    "'" + SecretRedactor.redact(String(name.prefix(64))) + "'"
  }
}
