/// Documented error identifiers of the providers FailSafe knows, and what each one means.
///
/// Identifiers come from JSON fields (`type`, `code`, `status`, `reason`, `__type`,
/// `error_code`, `decline_code`, OAuth `error`) and from AWS's `x-amzn-errortype` header, all
/// compared ignoring case. The table, ``meanings``, is written from each provider's error documentation: OpenAI and
/// Azure OpenAI, Anthropic, Google (`google.rpc.Code` names and `ErrorInfo.reason`), AWS
/// Bedrock exception names, Groq, Mistral, DeepSeek, OpenRouter, Stripe, Slack and OAuth 2.0.
enum ErrorCode {
  /// Reduces an identifier to its name: `com.amazon.coral.service#UnrecognizedClientException`
  /// and `ThrottlingException:http://internal.amazon.com/...` both keep just the exception name.
  static func normalize(_ code: String) -> String {
    let bytes = code.utf8
    guard bytes.contains(where: { $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: ":") }) else {
      return code
    }
    var name = bytes[...]
    if let hash = name.lastIndex(of: UInt8(ascii: "#")) { name = name[name.index(after: hash)...] }
    if let colon = name.firstIndex(of: UInt8(ascii: ":")) { name = name[..<colon] }
    return String(decoding: name, as: UTF8.self)
  }

  /// The range of `code` that ``normalize(_:)`` keeps: after the last `#`, up to the first
  /// `:` after that; all of `code` when it holds neither.
  ///
  /// Both bytes are looked for eight at a time (``SWAR/marks(of:in:)``, exact per byte), then
  /// in the last few bytes one by one.
  static func nameRange(in code: UnsafeRawBufferPointer) -> Range<Int> {
    let count = code.count
    // The last `#`: every word is looked at, keeping the highest mark.
    var start = 0
    var index = 0
    while index &+ 8 <= count {
      let marks = SWAR.marks(of: UInt8(ascii: "#"), in: SWAR.word(code, at: index))
      if marks != 0 { start = index &+ SWAR.lastMarked(marks) &+ 1 }
      index &+= 8
    }
    while index < count {
      if code[index] == UInt8(ascii: "#") { start = index + 1 }
      index += 1
    }
    // The first `:` after it.
    index = start
    while index &+ 8 <= count {
      let marks = SWAR.marks(of: UInt8(ascii: ":"), in: SWAR.word(code, at: index))
      if marks != 0 { return start..<(index &+ SWAR.firstMarked(marks)) }
      index &+= 8
    }
    while index < count {
      if code[index] == UInt8(ascii: ":") { return start..<index }
      index += 1
    }
    return start..<count
  }

  /// The verdict for `code` (a normalised name, compared ignoring ASCII case) in a response
  /// with `status`, or `nil`.
  static func verdict(for code: UnsafeRawBufferPointer, status: Int) -> Verdict? {
    if code.count == 17, Self.idempotencyError.entry(for: code) != nil {
      // Stripe: 409 means a concurrent request with the same key is still running (retry);
      // 400 means the key was reused with different parameters (never succeeds).
      return status == 409
        ? .decided(.retryable, .conflict, .definitive, source: "idempotency_error")
        : .decided(.fatal, .conflict, .definitive, source: "idempotency_error")
    }
    guard let (name, entry) = table.entry(for: code) else { return nil }
    switch entry.outcome {
    case .decided(let disposition, _)
    where entry.strength == .category && disposition != .retryable
      && !StatusDefaults.isClientSide(status):
      // A broad category never turns a 429 or a 5xx into a non-retryable answer.
      return nil
    default:
      var verdict = entry
      verdict.source = name
      return verdict
    }
  }

  /// Stripe's `idempotency_error`, whose meaning depends on the status, so it is a rule here
  /// rather than a row of ``meanings``.
  static let idempotencyErrorCode = "idempotency_error"

  private static let idempotencyError = IdentifierTable([(idempotencyErrorCode, ())])

  /// ``meanings`` built for lookup, once, at first use.
  private static let table = IdentifierTable(
    meanings.flatMap { meaning in meaning.codes.map { ($0, meaning.verdict) } })
}
