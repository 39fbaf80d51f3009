import Foundation

/// The JSON the etcd v3 gateway speaks (`/v3/kv/range`, `/v3/kv/txn`): keys and values are
/// base64, 64-bit integers are strings, and fields with default values (`false`, `0`, empty)
/// are left out of responses. Swift names are camel case; the coders convert them to the
/// gateway's snake case (`rangeEnd` is `range_end`).
enum EtcdWire {
  /// A range read: one key, or every key from `key` up to `rangeEnd` (exclusive).
  struct RangeRequest: Encodable {
    var key: String
    var rangeEnd: String?
    var limit: String?
  }

  /// One stored key.
  struct KeyValue: Decodable {
    var key: String
    var value: String?
    var modRevision: String?
    var createRevision: String?
  }

  struct Header: Decodable {
    var revision: String?
  }

  struct RangeResponse: Decodable {
    var header: Header?
    var kvs: [KeyValue]?
    var more: Bool?
    var count: String?
  }

  /// A compare of a transaction: `MOD` with `modRevision`, or `CREATE` with
  /// `createRevision` (0: the key does not exist).
  struct Compare: Encodable {
    var key: String
    var target: String
    var result = "EQUAL"
    var modRevision: String?
    var createRevision: String?
  }

  struct PutRequest: Encodable {
    var key: String
    var value: String
  }

  struct RequestOp: Encodable {
    var requestPut: PutRequest?
    var requestRange: RangeRequest?
  }

  struct TxnRequest: Encodable {
    var compare: [Compare]
    var success: [RequestOp]
    var failure: [RequestOp]
  }

  struct ResponseOp: Decodable {
    var responseRange: RangeResponse?
  }

  struct TxnResponse: Decodable {
    var header: Header?
    var succeeded: Bool?
    var responses: [ResponseOp]?
  }

  /// The body of an error answer.
  struct ErrorResponse: Decodable {
    var error: String?
    var message: String?
  }

  /// An encoder writing the gateway's snake-case field names.
  static var encoder: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    return encoder
  }

  /// A decoder reading the gateway's snake-case field names.
  static var decoder: JSONDecoder {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return decoder
  }

  /// `bytes` as the gateway's base64.
  static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

  /// The bytes of a base64 field, or `nil` if it is not base64.
  static func bytes(_ base64: String) -> [UInt8]? {
    Data(base64Encoded: base64).map { Array($0) }
  }

  /// The end of the range of every key starting with `prefix`: the prefix with its last byte
  /// that is not 0xFF incremented and what follows dropped (`[0]`, every key, if none).
  static func rangeEnd(ofPrefix prefix: [UInt8]) -> [UInt8] {
    var end = prefix
    while let last = end.last {
      if last < 0xFF {
        end[end.count - 1] = last + 1
        return end
      }
      end.removeLast()
    }
    return [0]
  }

  /// A revision field (`"42"`) as a number; missing means 0.
  static func revision(_ text: String?) -> Int64 { text.flatMap { Int64($0) } ?? 0 }
}
