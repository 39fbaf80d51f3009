/// What a JSON key means to the classifier. Keys are matched case-insensitively.
enum JSONFieldRole {
  /// A human-readable message: `message`, `msg`, `detail`, `title`, `error_description`, ...
  case message
  /// An identifier: `type`, `code`, `status`, `reason`, `__type`, `error_code`, ...
  case code
  /// `error`: an identifier when it looks like one (OAuth), otherwise a message (Ollama).
  case error
  /// OpenRouter's `metadata.raw`: the upstream provider's error, often JSON in a string.
  case raw
  /// A Google `QuotaFailure` id or metric.
  case quota
  /// A wait in seconds, as a number or a duration string (`retryDelay`, `retry_after`, ...).
  case wait
  /// A wait in milliseconds.
  case waitMilliseconds
  /// A boolean saying whether a retry may help.
  case retryable

  /// The role of the key stored in `bytes[start..<start+count]`, or `nil` if it is not
  /// interesting. `table` is ``table``, read once by a caller looking up many keys.
  @inline(always)
  static func of(
    _ bytes: UnsafeRawBufferPointer, start: Int, count: Int,
    in table: PackedWordTable<JSONFieldRole>
  ) -> JSONFieldRole? {
    // Keys that cannot be in the table are rejected before packing (the long keys are
    // longer than any packed one, so the filter never hides them).
    if count > 0, count <= PackedWord.maximumLength, start >= 0, start < bytes.count,
      !table.mayHold(first: bytes[start], count: count)
    {
      return nil
    }
    guard let packed = PackedWord(bytes, start: start, count: count) else {
      return longKey(bytes, start: start, count: count)
    }
    return table[packed]
  }

  /// The roles of the keys up to ``PackedWord/maximumLength`` bytes, by their packed form.
  static let table: PackedWordTable<JSONFieldRole> = {
    let roles: [(String, JSONFieldRole)] = [
      ("message", .message), ("type", .code), ("code", .code), ("status", .code),
      ("error", .error), ("reason", .code), ("msg", .message), ("detail", .message),
      ("title", .message), ("error_code", .code), ("errorcode", .code), ("__type", .code),
      ("error_type", .code), ("errortype", .code), ("error_name", .code),
      ("decline_code", .code), ("errormessage", .message), ("error_message", .message),
      ("raw", .raw), ("quotaid", .quota), ("quotametric", .quota), ("quota_id", .quota),
      ("quota_metric", .quota), ("retrydelay", .wait), ("retry_delay", .wait),
      ("retry_after", .wait), ("retryafter", .wait), ("quotaresetdelay", .wait),
      ("estimated_time", .wait), ("retry_after_ms", .waitMilliseconds), ("retryable", .retryable),
    ]
    return PackedWordTable(roles.compactMap { name, role in PackedWord(name).map { ($0, role) } })
  }()

  private static func longKey(
    _ bytes: UnsafeRawBufferPointer, start: Int, count: Int
  ) -> JSONFieldRole? {
    if matches(bytes, start: start, count: count, "error_description") { return .message }
    if matches(bytes, start: start, count: count, "retry_after_seconds") { return .wait }
    return nil
  }

  private static func matches(
    _ bytes: UnsafeRawBufferPointer, start: Int, count: Int, _ name: StaticString
  ) -> Bool {
    guard count == name.utf8CodeUnitCount, start + count <= bytes.count else { return false }
    let expected = UnsafeBufferPointer(start: name.utf8Start, count: count)
    for offset in 0..<count
    where PackedWord.lowercased(bytes[start + offset]) != expected[offset] {
      return false
    }
    return true
  }
}
