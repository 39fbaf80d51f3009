import FailSafeTesting
import Foundation
import Testing

@Suite("HTTPRequestReader", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct HTTPRequestReaderTests {
  private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

  @Test func readsAContentLengthBodyOnlyOnceItHasArrived() throws {
    var reader = HTTPRequestReader()
    let head = "POST /v1/x?y=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nX-Key: k\r\n\r\n"
    guard case .needMore = try reader.next(in: bytes(head + "hel")) else {
      Issue.record("a partial body must wait")
      return
    }
    guard
      case .request(let parsed, let body, let consumed) = try reader.next(
        in: bytes(head + "helloGET"))
    else {
      Issue.record("expected a request")
      return
    }
    #expect(parsed.method == "POST")
    #expect(parsed.target == "/v1/x?y=1")
    #expect(parsed.headers["x-key"] == "k")
    #expect(body == Data("hello".utf8))
    #expect(consumed == head.utf8.count + 5)
  }

  @Test func decodesAChunkedBodyWithTrailers() throws {
    var reader = HTTPRequestReader()
    let text =
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
      + "4\r\nWiki\r\n6;ext=1\r\npedia \r\n0\r\nX-Trailer: t\r\n\r\n"
    guard case .request(_, let body, let consumed) = try reader.next(in: bytes(text)) else {
      Issue.record("expected a request")
      return
    }
    #expect(body == Data("Wikipedia ".utf8))
    #expect(consumed == text.utf8.count)
  }

  @Test func asksForContinueOnceWhenTheClientExpectsIt() throws {
    var reader = HTTPRequestReader()
    let head = "PUT / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"
    guard case .expectsContinue = try reader.next(in: bytes(head)) else {
      Issue.record("expected a 100 Continue step")
      return
    }
    guard case .needMore = try reader.next(in: bytes(head)) else {
      Issue.record("100 Continue is sent once")
      return
    }
    guard case .request = try reader.next(in: bytes(head + "ok")) else {
      Issue.record("expected a request")
      return
    }
  }

  @Test func malformedRequestsAreErrorsNotCrashes() {
    for text in [
      "GARBAGE\r\n\r\n", "GET / HTTP/1.1\r\nNoColonHere\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: -4\r\n\r\n",
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ] {
      var reader = HTTPRequestReader()
      #expect(throws: HTTPRequestReader.ParseError.self) { try reader.next(in: Array(text.utf8)) }
    }
    var reader = HTTPRequestReader()
    let huge = [UInt8](repeating: 65, count: HTTPRequestReader.maximumHeadBytes + 1)
    #expect(throws: HTTPRequestReader.ParseError.self) { try reader.next(in: huge) }
  }
}
