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
  /// The time a retry may be made or a window resets (`reset_at`): an RFC 3339 time or a
  /// Unix epoch, measured against the response's `date` header.
  case waitUntil
  /// A boolean saying whether a retry may help.
  case retryable

  /// The role of the key stored in `bytes[start..<start+count]` (any case), or `nil` if it is
  /// not interesting. `table` is ``table``, read once by a caller looking up many keys.
  @inline(always)
  static func of(
    _ bytes: UnsafeRawBufferPointer, start: Int, count: Int,
    in table: SpellingTable<JSONFieldRole>
  ) -> JSONFieldRole? {
    table.value(bytes, start: start, count: count)
  }

  /// The keys the classifier reads, in any case and of any length, and what each holds.
  static let keys: [(String, JSONFieldRole)] = [
    ("message", .message), ("type", .code), ("code", .code), ("status", .code),
    ("error", .error), ("reason", .code), ("msg", .message), ("detail", .message),
    ("title", .message), ("error_code", .code), ("errorcode", .code), ("__type", .code),
    ("error_type", .code), ("errortype", .code), ("error_name", .code),
    ("decline_code", .code), ("errormessage", .message), ("error_message", .message),
    ("error_description", .message), ("raw", .raw), ("quotaid", .quota),
    ("quotametric", .quota), ("quota_id", .quota), ("quota_metric", .quota),
    ("retrydelay", .wait), ("retry_delay", .wait), ("retry_after", .wait),
    ("retryafter", .wait), ("retry_after_seconds", .wait), ("quotaresetdelay", .wait),
    ("estimated_time", .wait), ("retry_after_ms", .waitMilliseconds),
    ("retryable", .retryable), ("errors", .message), ("err_code", .code),
    ("err_msg", .message), ("description", .message), ("reset_at", .waitUntil),
    ("resetat", .waitUntil), ("retry_at", .waitUntil), ("retryat", .waitUntil),
    (".tag", .code), ("is_transient", .retryable), ("policyname", .quota),
    ("errortext", .message),
  ]

  /// ``keys`` built for lookup, once, at first use.
  static let table = SpellingTable(keys)
}
