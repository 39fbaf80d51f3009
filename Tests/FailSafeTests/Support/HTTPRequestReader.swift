import FailSafe
import Foundation

/// Parses HTTP/1.1 requests out of the bytes read from one connection.
///
/// Bodies may be framed by `Content-Length` or `Transfer-Encoding: chunked`; anything else has no
/// body. Heads larger than ``maximumHeadBytes`` and malformed heads are errors: the server answers
/// 400 and closes.
struct HTTPRequestReader {
  struct Head {
    var method: String
    var target: String
    var version: String
    var headers: HTTPHeaderFields
  }

  enum ParseError: Error {
    case malformed(String)
  }

  enum Step {
    /// More bytes are needed.
    case needMore
    /// The head asked for `100 Continue` before the body is sent.
    case expectsContinue
    /// A whole request, and how many buffered bytes it used.
    case request(Head, body: Data, consumed: Int)
  }

  static let maximumHeadBytes = 65_536
  private static let headTerminator: [UInt8] = Array("\r\n\r\n".utf8)
  private static let lineTerminator: [UInt8] = Array("\r\n".utf8)

  /// Set once `100 Continue` has been sent for the request being read.
  var continueSent = false

  /// Tries to take one request off the front of `buffer`.
  mutating func next(in buffer: [UInt8]) throws(ParseError) -> Step {
    guard let headEnd = Self.find(Self.headTerminator, in: buffer, from: 0) else {
      if buffer.count > Self.maximumHeadBytes { throw .malformed("request head too large") }
      return .needMore
    }
    let head = try Self.parseHead(buffer[0..<headEnd])
    let bodyStart = headEnd + Self.headTerminator.count
    let body: (Data, Int)?
    if head.headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
      body = try Self.chunkedBody(in: buffer, from: bodyStart)
    } else if let lengthText = head.headers["content-length"] {
      guard let length = Int(lengthText.trimmingCharacters(in: .whitespaces)), length >= 0 else {
        throw .malformed("bad Content-Length \(lengthText)")
      }
      body =
        buffer.count - bodyStart >= length
        ? (Data(buffer[bodyStart..<(bodyStart + length)]), bodyStart + length) : nil
    } else {
      body = (Data(), bodyStart)
    }
    guard let (bytes, consumed) = body else {
      if !continueSent, head.headers["expect"]?.lowercased() == "100-continue" {
        continueSent = true
        return .expectsContinue
      }
      return .needMore
    }
    continueSent = false
    return .request(head, body: bytes, consumed: consumed)
  }

  private static func parseHead(_ bytes: ArraySlice<UInt8>) throws(ParseError) -> Head {
    guard let text = String(bytes: bytes, encoding: .utf8) else {
      throw .malformed("head is not UTF-8")
    }
    var lines = text.components(separatedBy: "\r\n")
    let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: true)
    guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/") else {
      throw .malformed("bad request line")
    }
    var headers = HTTPHeaderFields()
    for line in lines {
      guard let colon = line.firstIndex(of: ":") else { throw .malformed("bad header line") }
      headers.append(
        name: String(line[..<colon]),
        value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }
    return Head(
      method: String(requestLine[0]), target: String(requestLine[1]),
      version: String(requestLine[2]), headers: headers)
  }

  /// The de-chunked body and the end of its trailer, or `nil` if incomplete.
  private static func chunkedBody(in buffer: [UInt8], from start: Int) throws(ParseError) -> (
    Data, Int
  )? {
    var body = Data()
    var position = start
    while true {
      guard let lineEnd = find(lineTerminator, in: buffer, from: position) else { return nil }
      let sizeText = String(decoding: buffer[position..<lineEnd], as: UTF8.self)
        .prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces)
      guard let size = Int(sizeText, radix: 16), size >= 0, size <= Int(Int32.max) else {
        throw .malformed("bad chunk size \(sizeText)")
      }
      position = lineEnd + lineTerminator.count
      if size == 0 {
        // Trailer fields, then an empty line.
        while true {
          guard let end = find(lineTerminator, in: buffer, from: position) else { return nil }
          let empty = end == position
          position = end + lineTerminator.count
          if empty { return (body, position) }
        }
      }
      guard buffer.count - position >= size + lineTerminator.count else { return nil }
      body.append(contentsOf: buffer[position..<(position + size)])
      position += size + lineTerminator.count
    }
  }

  private static func find(_ needle: [UInt8], in buffer: [UInt8], from start: Int) -> Int? {
    guard buffer.count >= needle.count, start <= buffer.count - needle.count else { return nil }
    var index = start
    while index <= buffer.count - needle.count {
      if buffer[index] == needle[0], Array(buffer[index..<(index + needle.count)]) == needle {
        return index
      }
      index += 1
    }
    return nil
  }
}
