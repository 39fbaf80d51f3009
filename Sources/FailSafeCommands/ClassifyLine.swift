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
    switch response(from: object, receivedAt: receivedAt) {
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
    from object: [String: Any], receivedAt: Date
  ) -> Result<ProviderResponse, LineError> {
    guard let number = object["status"] as? NSNumber, !isBoolean(number),
      let status = Int(exactly: number.doubleValue)
    else {
      return .failure(LineError(text: "\"status\" must be an integer"))
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

  private static func isBoolean(_ number: NSNumber) -> Bool {
    #if canImport(Darwin)
      return CFGetTypeID(number) == CFBooleanGetTypeID()
    #else
      return String(cString: number.objCType) == "c" && (number == true || number == false)
        && type(of: number) != NSNumber.self
    #endif
  }
}
