extension ErrorCode {
  /// The documented error identifiers, grouped by what they mean. Codes may be written in any
  /// case and at any length; each must be a name as ``normalize(_:)`` leaves it (no `#` or
  /// `:`), and appear once in the whole table.
  static let meanings: [ErrorCodeMeaning] = [
    // Dead credentials.
    ErrorCodeMeaning(
      [
        "invalid_api_key", "incorrect_api_key", "api_key_invalid", "invalid_x_api_key",
        "unrecognizedclientexception", "invalidclienttokenid", "invalidsignatureexception",
        "signaturedoesnotmatch", "invalid_client", "invalid_auth", "invalidsubscriptionkey",
        "invalidaccesskeyid", "invalid_access_token",
      ], .permanent, .keyInvalid),
    ErrorCodeMeaning(
      [
        "token_revoked", "key_revoked", "api_key_revoked", "invalid_grant",
        "access_token_revoked",
      ], .permanent, .keyRevoked),
    ErrorCodeMeaning(
      ["api_key_expired", "platform_api_key_expired", "expired_api_key"], .permanent, .keyExpired),
    ErrorCodeMeaning(
      [
        "account_deactivated", "organization_deactivated", "access_terminated",
        "organization_restricted", "account_inactive", "consumer_suspended", "account_suspended",
        "account_disabled", "user_suspended", "account_state_invalid", "accountproblem",
        "err_403_developer_inactive",
      ], .permanent, .accountDisabled),
    // Credentials that a refresh or a fresh token can fix.
    ErrorCodeMeaning(
      [
        "token_expired", "expired_token", "expiredtokenexception", "access_token_expired",
        "expiredauthenticationtoken", "expiredtoken", "requestexpired", "tokenrefreshrequired",
        "invalid_session_id", "expired_access_token", "expired_auth_token",
      ], .unauthorized, .tokenExpired),
    ErrorCodeMeaning(
      ["invalid_token", "invalidauthenticationtoken", "bad_auth_token"], .unauthorized,
      .authenticationFailed),
    ErrorCodeMeaning(
      [
        "missing_api_key", "no_api_key", "credentials_missing", "missingauthenticationtoken",
        "missingauthenticationtokenexception", "not_authed", "incompletesignatureexception",
      ], .unauthorized, .credentialMissing),
    // Billing and long-window quota.
    ErrorCodeMeaning(
      [
        "insufficient_quota", "billing_hard_limit_reached", "billing_not_active",
        "project_spend_limit_exceeded", "spend_limit_exceeded", "enforced_spend_limit_reached",
        "insufficient_balance", "insufficient_credits", "credit_limit_exceeded",
        "credits_exhausted", "billing_error", "billing_disabled", "insufficientquota",
        "payment_required", "insufficient_user_quota", "arrearage", "budget_exceeded",
      ], .quotaExhausted, .billing),
    ErrorCodeMeaning(
      [
        "servicequotaexceededexception", "daily_limit_exceeded", "dailylimitexceeded",
        "dailylimitexceededunreg", "request_limit_exceeded", "daily_quota_exceeded",
        "monthly_limit_exceeded", "monthly_quota_exceeded", "over_daily_limit", "cap_exceeded",
        "transaction_cap_exceeded", "storage_cap_exceeded", "download_cap_exceeded",
        "err_403_developer_over_rate",
      ], .quotaExhausted, .quotaExhausted),
    ErrorCodeMeaning(
      [
        "quota_exhausted", "resource_quota_exceeded", "quotaexceeded", "quota_exceeded",
        "over_query_limit",
      ],
      .quotaUnlessShortWait, .ambiguousCode),
    // Requests that can never succeed as sent.
    ErrorCodeMeaning(
      [
        "context_length_exceeded", "string_above_max_length", "context_window_exceeded",
        "max_tokens_exceeded", "prompt_too_long",
      ], .fatal, .contextTooLong),
    ErrorCodeMeaning(
      ["request_too_large", "payload_too_large", "requestentitytoolarge"], .fatal, .payloadTooLarge),
    ErrorCodeMeaning(
      [
        "content_filter", "content_policy_violation", "responsibleaipolicyviolation",
        "moderation_blocked", "flagged_input", "safety_violation",
      ], .fatal, .contentPolicy),
    ErrorCodeMeaning(
      [
        "unsupported_country_region_territory", "unsupported_country", "unsupported_region",
        "user_location_not_supported", "location_not_supported",
      ], .fatal, .regionUnsupported),
    ErrorCodeMeaning(
      [
        "model_not_found", "deploymentnotfound", "model_decommissioned", "resource_missing",
        "resourcenotfoundexception", "unknown_model", "invalid_model", "modelnotfound",
        "deployment_not_found", "no_such_model",
      ], .fatal, .notFound),
    ErrorCodeMeaning(
      [
        "accessdeniedexception", "accessdenied", "service_disabled", "api_key_service_blocked",
        "api_key_http_referrer_blocked", "api_key_ip_address_blocked",
        "api_key_android_app_blocked", "api_key_ios_app_blocked",
        "access_token_scope_insufficient", "user_project_denied", "iam_permission_denied",
        "missing_scope", "unauthorized_client", "permissiondenied", "operationnotsupported",
        "unauthorizedoperation", "optinrequired",
      ], .fatal, .permissionDenied),
    ErrorCodeMeaning(
      [
        "card_declined", "card_error", "expired_card", "incorrect_cvc", "incorrect_number",
        "invalid_cvc", "invalid_expiry_month", "invalid_expiry_year", "invalid_number",
      ], .fatal, .paymentDeclined),
    ErrorCodeMeaning(
      ["json_validate_failed", "tool_use_failed"], .fatal, .badRequest),
    // Transient.
    ErrorCodeMeaning(
      [
        "rate_limit", "ratelimited", "throttlingexception", "throttling",
        "toomanyrequestsexception", "too_many_requests", "slow_down", "userratelimitexceeded",
        "secondary_rate_limit", "slowdown", "provisionedthroughputexceededexception",
        "requestlimitexceeded", "requestthrottled", "requestthrottledexception",
        "throttledexception", "kmsthrottlingexception", "ec2throttledexception",
        "bandwidthlimitexceeded", "priorrequestnotcomplete", "toomanyrequests",
        "rate_limit_reached", "rate_limited", "err_403_developer_over_qps",
      ], .retryable, .rateLimited),
    ErrorCodeMeaning(
      [
        "overloaded_error", "model_capacity_exhausted", "capacity_exceeded", "server_overloaded",
        "engine_overloaded", "temporarily_unavailable", "serviceunavailableexception",
        "modelnotreadyexception", "service_unavailable", "no_capacity", "serviceunavailable",
        "serverbusy",
      ], .retryable, .overloaded),
    ErrorCodeMeaning(
      ["cf_bad_gateway", "bad_gateway", "origin_unreachable", "web_server_is_down"], .retryable,
      .gatewayError),
    ErrorCodeMeaning(
      [
        "cf_gateway_timeout", "connection_timeout", "modeltimeoutexception", "timeout_error",
        "gateway_timeout", "origin_timeout", "requesttimeout",
      ], .retryable, .timeout),
    ErrorCodeMeaning(
      ["lock_timeout", "concurrent_request", "conflict_error"], .retryable, .conflict),
    ErrorCodeMeaning(
      [
        "processing_error", "internalserverexception", "internalfailure", "modelerrorexception",
        "modelstreamerrorexception", "internalerror",
      ], .retryable, .serverError),
    // Broad categories: they decide only when nothing more specific does.
    ErrorCodeMeaning(
      [
        "rate_limit_error", "rate_limit_exceeded", "ratelimitexceeded", "resource_exhausted",
        "tokens", "requests",
      ], .retryable, .rateLimited, .category),
    ErrorCodeMeaning(
      [
        "api_error", "server_error", "internal", "internal_error", "internal_server_error",
        "unknown_error", "data_loss",
      ], .retryable, .serverError, .category),
    ErrorCodeMeaning(
      ["unavailable", "overloaded"], .retryable, .overloaded, .category),
    ErrorCodeMeaning(
      ["deadline_exceeded", "timeout"], .retryable, .timeout, .category),
    ErrorCodeMeaning(
      ["aborted"], .retryable, .conflict, .category),
    ErrorCodeMeaning(
      [
        "invalid_request_error", "invalid_argument", "failed_precondition", "out_of_range",
        "validationexception", "invalid_request", "extra_forbidden", "missing", "value_error",
        "unimplemented", "bad_request", "invalid_parameter", "unprocessable_entity",
      ], .fatal, .badRequest, .category),
    ErrorCodeMeaning(
      ["authentication_error", "unauthenticated", "unauthorized"], .unauthorized,
      .authenticationFailed, .category),
    ErrorCodeMeaning(
      ["permission_error", "permission_denied", "forbidden", "access_denied"], .fatal,
      .permissionDenied, .category),
    ErrorCodeMeaning(
      ["not_found_error", "not_found", "notfound"], .fatal, .notFound, .category),
    ErrorCodeMeaning(
      ["already_exists", "conflict"], .fatal, .conflict, .category),
  ]
}
