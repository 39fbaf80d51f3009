extension LenientJSONValue: Decodable {
  /// Reads any JSON value through a `Decoder`, so `Decodable` entry points share the lenient
  /// reader. Containers read this way are always complete (the decoder parsed the whole input).
  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Int.self) {
      self = .integer(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let values = try? container.decode([LenientJSONValue].self) {
      self = .array(values, isComplete: true)
    } else {
      let members = try container.decode([String: LenientJSONValue].self)
      self = .object(
        members.sorted { $0.key < $1.key }.map { LenientJSONMember(key: $0.key, value: $0.value) },
        isComplete: true)
    }
  }
}
