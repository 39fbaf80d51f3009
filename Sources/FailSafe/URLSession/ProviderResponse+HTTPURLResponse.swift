import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

extension ProviderResponse {
  /// Creates a response from what URLSession returned.
  ///
  /// Header names are lower-cased (look-ups are case-insensitive) and sorted, because
  /// `HTTPURLResponse` does not keep the order they arrived in.
  ///
  /// - Parameters:
  ///   - data: the body bytes.
  ///   - response: the HTTP response.
  ///   - receivedAt: when it was received, by the caller's wall clock.
  public init(data: Data, response: HTTPURLResponse, receivedAt: Date?) {
    var headers = HTTPHeaderFields()
    let pairs = response.allHeaderFields.compactMap { key, value -> (String, String)? in
      guard let name = key as? String else { return nil }
      return (name, value as? String ?? "\(value)")
    }
    for (name, value) in pairs.sorted(by: { $0.0.lowercased() < $1.0.lowercased() }) {
      headers.append(name: name, value: value)
    }
    self.init(
      status: response.statusCode, headers: headers, body: data, receivedAt: receivedAt)
  }
}
