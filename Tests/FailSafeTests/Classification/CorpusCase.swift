import FailSafe
import Foundation
import Testing

/// One labelled case of the provider-error development corpus.
struct CorpusCase: CustomTestStringConvertible, Sendable {
  let id: String
  let status: Int
  let headers: [String: String]
  let body: String
  let expected: Disposition
  let retryAfterSeconds: Double?

  var testDescription: String { id }

  var response: ProviderResponse {
    ProviderResponse(
      status: status, headers: HTTPHeaderFields(headers.map { ($0.key, $0.value) }), body: body)
  }

  /// The labelled corpus file `fixture` (a path under the fixtures folder) inside the
  /// repository (see `Fixtures/README.md`).
  static func path(_ fixture: String) throws(TestFixtures.OutsideRepository) -> String {
    try TestFixtures.path(fixture)
  }

  enum LoadError: Error, CustomStringConvertible {
    case missing(String)
    case outsideRepository(String)
    case invalid(line: Int, String)

    var description: String {
      switch self {
      case .missing(let path): "corpus file not found at \(path): the corpus test cannot run"
      case .outsideRepository(let why): why
      case .invalid(let line, let why): "corpus line \(line) is invalid: \(why)"
      }
    }
  }

  /// Every case of `fixture` (by default the development corpus), or an error saying why it
  /// could not be read.
  static func load(_ fixture: String = TestFixtures.corpus) -> Result<[CorpusCase], LoadError> {
    let path: String
    do { path = try Self.path(fixture) } catch {
      return .failure(.outsideRepository(error.description))
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      return .failure(.missing(path))
    }
    var cases: [CorpusCase] = []
    for (number, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated()
    {
      guard
        let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        let id = object["id"] as? String, let status = object["status"] as? Int,
        let body = object["body"] as? String, let expectedName = object["expected"] as? String,
        let expected = Disposition(rawValue: expectedName)
      else { return .failure(.invalid(line: number + 1, String(line.prefix(80)))) }
      cases.append(
        CorpusCase(
          id: id, status: status, headers: object["headers"] as? [String: String] ?? [:],
          body: body, expected: expected,
          retryAfterSeconds: (object["retryAfterSeconds"] as? NSNumber)?.doubleValue))
    }
    return .success(cases)
  }
}
