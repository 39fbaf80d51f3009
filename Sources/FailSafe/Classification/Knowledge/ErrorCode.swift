/// Documented error identifiers of the providers FailSafe knows, and what each one means.
///
/// Identifiers come from JSON fields (`type`, `code`, `status`, `reason`, `__type`,
/// `error_code`, `decline_code`, OAuth `error`) and from AWS's `x-amzn-errortype` header, all
/// lower-cased. The table is written from each provider's error documentation: OpenAI and
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
  /// Both bytes are looked for eight at a time (``ByteMarks/of(_:in:)``, exact per byte), then
  /// in the last few bytes one by one.
  static func nameRange(in code: UnsafeRawBufferPointer) -> Range<Int> {
    let count = code.count
    // The last `#`: every word is looked at, keeping the highest mark.
    var start = 0
    var index = 0
    while index &+ 8 <= count {
      let marks = ByteMarks.of(
        UInt8(ascii: "#"),
        in: UInt64(littleEndian: code.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
      if marks != 0 { start = index &+ (63 &- marks.leadingZeroBitCount) &>> 3 &+ 1 }
      index &+= 8
    }
    while index < count {
      if code[index] == UInt8(ascii: "#") { start = index + 1 }
      index += 1
    }
    // The first `:` after it.
    index = start
    while index &+ 8 <= count {
      let marks = ByteMarks.of(
        UInt8(ascii: ":"),
        in: UInt64(littleEndian: code.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
      if marks != 0 { return start..<(index &+ marks.trailingZeroBitCount &>> 3) }
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

  private static let idempotencyError = IdentifierTable([("idempotency_error", ())])

  private static let table: IdentifierTable<Verdict> = {
    var entries: [(String, Verdict)] = []
    func add(_ codes: [String], _ outcome: Verdict.Outcome, _ strength: Verdict.Strength) {
      for code in codes { entries.append((code, Verdict(outcome: outcome, strength: strength))) }
    }
    func add(
      _ codes: [String], _ disposition: Disposition, _ reason: FailureReason,
      _ strength: Verdict.Strength = .definitive
    ) {
      add(codes, .decided(disposition, reason), strength)
    }
    // Dead credentials.
    add(
      [
        "invalid_api_key", "incorrect_api_key", "api_key_invalid", "invalid_x_api_key",
        "unrecognizedclientexception", "invalidclienttokenid", "invalidsignatureexception",
        "signaturedoesnotmatch", "invalid_client", "invalid_auth", "invalidsubscriptionkey",
      ], .permanent, .keyInvalid)
    add(
      ["token_revoked", "key_revoked", "api_key_revoked", "invalid_grant"], .permanent, .keyRevoked)
    add(
      ["api_key_expired", "platform_api_key_expired", "expired_api_key"], .permanent, .keyExpired)
    add(
      [
        "account_deactivated", "organization_deactivated", "access_terminated",
        "organization_restricted", "account_inactive", "consumer_suspended", "account_suspended",
        "account_disabled", "user_suspended", "account_state_invalid", "accountproblem",
      ], .permanent, .accountDisabled)
    // Credentials that a refresh or a fresh token can fix.
    add(
      [
        "token_expired", "expired_token", "expiredtokenexception", "access_token_expired",
        "expiredauthenticationtoken",
      ], .unauthorized, .tokenExpired)
    add(["invalid_token", "invalidauthenticationtoken"], .unauthorized, .authenticationFailed)
    add(
      [
        "missing_api_key", "no_api_key", "credentials_missing", "missingauthenticationtoken",
        "missingauthenticationtokenexception", "not_authed", "incompletesignatureexception",
      ], .unauthorized, .credentialMissing)
    // Billing and long-window quota.
    add(
      [
        "insufficient_quota", "billing_hard_limit_reached", "billing_not_active",
        "project_spend_limit_exceeded", "spend_limit_exceeded", "enforced_spend_limit_reached",
        "insufficient_balance", "insufficient_credits", "credit_limit_exceeded",
        "credits_exhausted", "billing_error", "billing_disabled", "insufficientquota",
        "payment_required",
      ], .quotaExhausted, .billing)
    add(
      ["servicequotaexceededexception", "daily_limit_exceeded"], .quotaExhausted, .quotaExhausted)
    add(["quota_exhausted", "resource_quota_exceeded"], .quotaUnlessShortWait, .ambiguousCode)
    // Requests that can never succeed as sent.
    add(
      [
        "context_length_exceeded", "string_above_max_length", "context_window_exceeded",
        "max_tokens_exceeded", "prompt_too_long",
      ], .fatal, .contextTooLong)
    add(
      ["request_too_large", "payload_too_large", "requestentitytoolarge"], .fatal, .payloadTooLarge)
    add(
      [
        "content_filter", "content_policy_violation", "responsibleaipolicyviolation",
        "moderation_blocked", "flagged_input", "safety_violation",
      ], .fatal, .contentPolicy)
    add(
      [
        "unsupported_country_region_territory", "unsupported_country", "unsupported_region",
        "user_location_not_supported", "location_not_supported",
      ], .fatal, .regionUnsupported)
    add(
      [
        "model_not_found", "deploymentnotfound", "model_decommissioned", "resource_missing",
        "resourcenotfoundexception", "unknown_model", "invalid_model", "modelnotfound",
        "deployment_not_found", "no_such_model",
      ], .fatal, .notFound)
    add(
      [
        "accessdeniedexception", "accessdenied", "service_disabled", "api_key_service_blocked",
        "api_key_http_referrer_blocked", "api_key_ip_address_blocked",
        "api_key_android_app_blocked", "api_key_ios_app_blocked",
        "access_token_scope_insufficient", "user_project_denied", "iam_permission_denied",
        "missing_scope", "unauthorized_client", "permissiondenied", "operationnotsupported",
      ], .fatal, .permissionDenied)
    add(
      [
        "card_declined", "card_error", "expired_card", "incorrect_cvc", "incorrect_number",
        "invalid_cvc", "invalid_expiry_month", "invalid_expiry_year", "invalid_number",
      ], .fatal, .paymentDeclined)
    add(["json_validate_failed", "tool_use_failed"], .fatal, .badRequest)
    // Transient.
    add(
      [
        "rate_limit", "ratelimited", "throttlingexception", "throttling",
        "toomanyrequestsexception",
        "too_many_requests", "slow_down", "userratelimitexceeded", "secondary_rate_limit",
      ], .retryable, .rateLimited)
    add(
      [
        "overloaded_error", "model_capacity_exhausted", "capacity_exceeded", "server_overloaded",
        "engine_overloaded", "temporarily_unavailable", "serviceunavailableexception",
        "modelnotreadyexception", "service_unavailable", "no_capacity",
      ], .retryable, .overloaded)
    add(
      ["cf_bad_gateway", "bad_gateway", "origin_unreachable", "web_server_is_down"],
      .retryable, .gatewayError)
    add(
      [
        "cf_gateway_timeout", "connection_timeout", "modeltimeoutexception", "timeout_error",
        "gateway_timeout", "origin_timeout",
      ], .retryable, .timeout)
    add(["lock_timeout", "concurrent_request", "conflict_error"], .retryable, .conflict)
    add(
      [
        "processing_error", "internalserverexception", "internalfailure", "modelerrorexception",
        "modelstreamerrorexception",
      ], .retryable, .serverError)
    // Broad categories: they decide only when nothing more specific does.
    add(
      [
        "rate_limit_error", "rate_limit_exceeded", "ratelimitexceeded", "resource_exhausted",
        "tokens", "requests",
      ], .retryable, .rateLimited, .category)
    add(
      [
        "api_error", "server_error", "internal", "internal_error", "internal_server_error",
        "unknown_error", "data_loss",
      ], .retryable, .serverError, .category)
    add(["unavailable", "overloaded"], .retryable, .overloaded, .category)
    add(["deadline_exceeded", "timeout"], .retryable, .timeout, .category)
    add(["aborted"], .retryable, .conflict, .category)
    add(
      [
        "invalid_request_error", "invalid_argument", "failed_precondition", "out_of_range",
        "validationexception", "invalid_request", "extra_forbidden", "missing", "value_error",
        "unimplemented", "bad_request", "invalid_parameter", "unprocessable_entity",
      ], .fatal, .badRequest, .category)
    add(
      ["authentication_error", "unauthenticated", "unauthorized"], .unauthorized,
      .authenticationFailed, .category)
    add(
      ["permission_error", "permission_denied", "forbidden", "access_denied"], .fatal,
      .permissionDenied, .category)
    add(["not_found_error", "not_found", "notfound"], .fatal, .notFound, .category)
    add(["already_exists", "conflict"], .fatal, .conflict, .category)
    return IdentifierTable(entries)
  }()
}
