/// Response headers with case-insensitive names, in the order they were received.
///
/// Names are compared in ASCII lower case, as HTTP requires. A name that appears more than once
/// keeps every value; ``subscript(_:)`` returns the first.
public struct HTTPHeaderFields: Sendable, Hashable, Codable, Sequence,
  ExpressibleByDictionaryLiteral
{
  /// One header: its name lower-cased, and its value as received.
  public struct Field: Sendable, Hashable, Codable {
    /// The header name in ASCII lower case.
    public var name: String
    /// The header value, untrimmed.
    public var value: String
  }

  /// Every field in the order received.
  public private(set) var fields: [Field]

  /// Creates an empty set of headers.
  public init() { fields = [] }

  /// Creates headers from name/value pairs; names are lower-cased.
  public init<S: Sequence>(_ pairs: S) where S.Element == (String, String) {
    fields = pairs.map { Field(name: $0.0.lowercased(), value: $0.1) }
  }

  /// Creates headers from a dictionary literal; names are lower-cased.
  public init(dictionaryLiteral elements: (String, String)...) {
    self.init(elements)
  }

  /// The first value of the header `name` (any case), or `nil`.
  public subscript(_ name: String) -> String? {
    let wanted = name.lowercased()
    return fields.first { $0.name == wanted }?.value
  }

  /// Every value of the header `name` (any case), in order.
  public func values(for name: String) -> [String] {
    let wanted = name.lowercased()
    return fields.filter { $0.name == wanted }.map(\.value)
  }

  /// Appends a field; the name is lower-cased.
  public mutating func append(name: String, value: String) {
    fields.append(Field(name: name.lowercased(), value: value))
  }

  /// Iterates over the fields in the order received.
  public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }
}
