/// The words of an error message that carry meaning for classification. Several spellings
/// map to one word (`organization`, `organisation`, `org`, `account` are all ``account``); the
/// spellings are data, in ``spellings`` (whole words) and ``needles`` (inside long identifiers).
enum MessageWord: UInt8, CaseIterable {
  case api, key, apiKey, token, subscription, security, secret, access
  case invalid, incorrect, valid, not, no, expired, revoked, leaked, disabled
  case account, user, found, exist, such, missing, required, provide, credentials, fails
  case unregistered, quota, billing, credit, balance, insufficient, spend, limit, limited
  case exceeded, rate, rateLimited, too, many, request, requested, large, long, payload
  case context, length, maximum, tokens, prompt, content, policy, flagged, location
  case supported, unsupported, overloaded, capacity, temporarily, unavailable, loading
  case timeout, timed, out, deadline, memory, system, permission, month, minute, day
  case any, purchase, payment, enable, freeDaily, slow, down, again, retry, inKeyword
  case after, secondary, decommissioned, authorized, service, internalWord, resource
  case usage, hour, unknown, deleted, plan, unpaid, wait, reset, at, until

  /// The word spelled by `bytes[start..<start+count]` (any case), or `nil`; `table` is
  /// ``table``.
  @inline(always)
  static func lookup(
    _ bytes: UnsafeRawBufferPointer, start: Int, count: Int, in table: SpellingTable<MessageWord>
  ) -> MessageWord? {
    table.value(bytes, start: start, count: count)
  }
}
