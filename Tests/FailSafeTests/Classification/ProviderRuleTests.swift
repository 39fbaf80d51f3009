import FailSafe
import FailSafeTesting
import Testing

/// One response per documented provider rule, written from the providers' error documentation
/// (not copied from the corpus).
struct ProviderRuleCase: CustomTestStringConvertible, Sendable {
  let name: String
  let status: Int
  let headers: [String: String]
  let body: String
  let disposition: Disposition
  let reason: FailureReason

  var testDescription: String { name }

  init(
    _ name: String, _ status: Int, _ body: String, headers: [String: String] = [:],
    _ disposition: Disposition, _ reason: FailureReason
  ) {
    self.name = name
    self.status = status
    self.headers = headers
    self.body = body
    self.disposition = disposition
    self.reason = reason
  }
}

@Suite("Provider rules", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct ProviderRuleTests {
  static let cases: [ProviderRuleCase] = [
    // OpenAI (and OpenAI-compatible: Groq, DeepSeek, Together, xAI).
    .init(
      "openai billing hard limit", 429,
      #"{"error":{"message":"Billing hard limit has been reached.","type":"invalid_request_error","code":"billing_hard_limit_reached"}}"#,
      .quotaExhausted, .billing),
    .init(
      "openai missing key", 401,
      #"{"error":{"message":"You didn't provide an API key. You need to provide your API key in an Authorization header.","type":"invalid_request_error","code":null}}"#,
      .unauthorized, .credentialMissing),
    .init(
      "openai deactivated account", 401,
      #"{"error":{"message":"The OpenAI account associated with this API key has been deactivated.","type":"invalid_request_error","code":"account_deactivated"}}"#,
      .permanent, .accountDisabled),
    .init(
      "openai unsupported region", 403,
      #"{"error":{"code":"unsupported_country_region_territory","message":"Country, region, or territory not supported","type":"request_forbidden"}}"#,
      .fatal, .regionUnsupported),
    .init(
      "openai model not found", 404,
      #"{"error":{"message":"The model `gpt-9` does not exist or you do not have access to it.","type":"invalid_request_error","code":"model_not_found"}}"#,
      .fatal, .notFound),
    .init(
      "openai slow down", 503,
      #"{"error":{"message":"Slow Down: please reduce your request rate.","type":"server_error"}}"#,
      .retryable, .rateLimited),
    .init(
      "deepseek insufficient balance", 402,
      #"{"error":{"message":"Insufficient Balance","type":"unknown_error","param":null,"code":"invalid_request_error"}}"#,
      .quotaExhausted, .billing),
    .init(
      "deepseek authentication fails", 401,
      #"{"error":{"message":"Authentication Fails, Your api key: ****wxyz is invalid","type":"authentication_error","param":null,"code":"invalid_request_error"}}"#,
      .permanent, .keyInvalid),
    .init(
      "groq organization restricted", 400,
      #"{"error":{"message":"Organization has been restricted. Please reach out to support.","type":"invalid_request_error","code":"organization_restricted"}}"#,
      .permanent, .accountDisabled),
    .init(
      "groq model decommissioned", 400,
      #"{"error":{"message":"The model has been decommissioned and is no longer supported.","type":"invalid_request_error","code":"model_decommissioned"}}"#,
      .fatal, .notFound),
    // Azure OpenAI.
    .init(
      "azure token rate limit with wait in message", 429,
      #"{"error":{"code":"429","message":"Requests to the ChatCompletions_Create Operation have exceeded token rate limit of your current pricing tier. Please retry after 7 seconds."}}"#,
      .retryable, .rateLimited),
    .init(
      "azure firewall", 403,
      #"{"error":{"code":"403","message":"Access denied due to Virtual Network/Firewall rules."}}"#,
      .fatal, .permissionDenied),
    // Anthropic.
    .init(
      "anthropic overloaded 529", 529,
      #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
      .retryable, .overloaded),
    .init(
      "anthropic invalid x-api-key", 401,
      #"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#,
      .permanent, .keyInvalid),
    .init(
      "anthropic credit balance", 400,
      #"{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}}"#,
      .quotaExhausted, .billing),
    .init(
      "anthropic prompt too long", 400,
      #"{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}}"#,
      .fatal, .contextTooLong),
    .init(
      "anthropic organization disabled", 400,
      #"{"type":"error","error":{"type":"invalid_request_error","message":"This organization has been disabled."}}"#,
      .permanent, .accountDisabled),
    .init(
      "anthropic request too large", 413,
      #"{"type":"error","error":{"type":"request_too_large","message":"Request exceeds the maximum allowed number of bytes."}}"#,
      .fatal, .payloadTooLarge),
    .init(
      "anthropic permission", 403,
      #"{"type":"error","error":{"type":"permission_error","message":"Your API key does not have permission to use the specified resource."}}"#,
      .fatal, .permissionDenied),
    // Google Gemini / Vertex AI.
    .init(
      "gemini api key not valid", 400,
      #"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com"}]}}"#,
      .permanent, .keyInvalid),
    .init(
      "gemini api key not found", 400,
      #"{"error":{"code":400,"message":"API Key not found. Please pass a valid API key.","status":"INVALID_ARGUMENT"}}"#,
      .permanent, .keyInvalid),
    .init(
      "vertex per-minute quota metric in message", 429,
      #"{"error":{"code":429,"message":"Quota exceeded for aiplatform.googleapis.com/generate_content_requests_per_minute_per_project_per_base_model with base model: gemini-pro. Please submit a quota increase request.","status":"RESOURCE_EXHAUSTED"}}"#,
      .retryable, .rateLimited),
    .init(
      "gemini unregistered caller", 403,
      #"{"error":{"code":403,"message":"Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.","status":"PERMISSION_DENIED"}}"#,
      .unauthorized, .credentialMissing),
    .init(
      "gemini per-minute quota", 429,
      #"{"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_requests","quotaId":"GenerateRequestsPerMinutePerProjectPerModel"}]},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"17s"}]}}"#,
      .retryable, .rateLimited),
    .init(
      "gemini location unsupported", 400,
      #"{"error":{"code":400,"message":"User location is not supported for the API use.","status":"FAILED_PRECONDITION"}}"#,
      .fatal, .regionUnsupported),
    .init(
      "gemini free tier not in country", 400,
      #"{"error":{"code":400,"message":"Gemini API free tier is not available in your country. Please enable billing on your project in Google AI Studio.","status":"FAILED_PRECONDITION"}}"#,
      .fatal, .regionUnsupported),
    .init(
      "anthropic workspace spend limit", 400,
      #"{"type":"error","error":{"type":"invalid_request_error","message":"You have reached your specified workspace API usage limits. You will regain access on 2026-01-01 at 00:00 UTC."}}"#,
      .quotaExhausted, .quotaExhausted),
    .init(
      "hourly free usage limit", 429,
      #"{"error":"You reached free usage limit (reset hourly). Please subscribe to a plan."}"#,
      .retryable, .rateLimited),
    .init(
      "anthropic conflict", 409,
      #"{"type":"error","error":{"type":"conflict_error","message":"Conflict"}}"#,
      .retryable, .conflict),
    .init(
      "gemini service disabled", 403,
      #"{"error":{"code":403,"message":"Generative Language API has not been used in project 1 before or it is disabled. Enable it first.","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"SERVICE_DISABLED"}]}}"#,
      .fatal, .permissionDenied),
    .init(
      "gemini consumer suspended", 403,
      #"{"error":{"code":403,"message":"Permission denied: Consumer 'api_key:x' has been suspended.","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"CONSUMER_SUSPENDED"}]}}"#,
      .permanent, .accountDisabled),
    .init(
      "gemini quota exhausted without wait", 429,
      #"{"error":{"code":429,"message":"Quota exhausted.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"QUOTA_EXHAUSTED"}]}}"#,
      .quotaExhausted, .quotaExhausted),
    .init(
      "gemini model overloaded", 503,
      #"{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}"#,
      .retryable, .overloaded),
    .init(
      "gemini input too long", 400,
      #"{"error":{"code":400,"message":"The input token count (1048577) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}}"#,
      .fatal, .contextTooLong),
    .init(
      "vertex deadline", 504,
      #"{"error":{"code":504,"message":"Deadline expired before operation could complete.","status":"DEADLINE_EXCEEDED"}}"#,
      .retryable, .timeout),
    // AWS Bedrock.
    .init(
      "bedrock expired token", 403,
      #"{"message":"The security token included in the request is expired"}"#,
      headers: [
        "x-amzn-errortype":
          "ExpiredTokenException:http://internal.amazon.com/coral/com.amazon.coral.service/"
      ],
      .unauthorized, .tokenExpired),
    .init(
      "bedrock validation in __type", 400,
      #"{"__type":"com.amazon.bedrock#ValidationException","message":"Malformed input request, please reformat your input and try again."}"#,
      .fatal, .badRequest),
    .init(
      "bedrock service unavailable", 503,
      #"{"message":"Bedrock is unable to process your request."}"#,
      headers: [
        "x-amzn-errortype":
          "ServiceUnavailableException:http://internal.amazon.com/coral/com.amazon.bedrock/"
      ],
      .retryable, .overloaded),
    .init(
      "bedrock model timeout", 408,
      #"{"message":"Model has timed out in processing the request."}"#,
      headers: ["x-amzn-errortype": "ModelTimeoutException"], .retryable, .timeout),
    // OpenRouter.
    .init(
      "openrouter upstream raw", 429,
      #"{"error":{"message":"Provider returned error","code":429,"metadata":{"raw":"{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check quota).\",\"status\":\"RESOURCE_EXHAUSTED\"}}","provider_name":"Google"}}}"#,
      .retryable, .rateLimited),
    .init(
      "openrouter moderation", 403,
      #"{"error":{"code":403,"message":"Your input was flagged by moderation.","metadata":{"reasons":["violence"],"flagged_input":"..."}}}"#,
      .fatal, .contentPolicy),
    .init(
      "openrouter free daily limit", 429,
      #"{"error":{"message":"Rate limit exceeded: free-models-per-day. Add credits to unlock more requests.","code":429}}"#,
      .quotaExhausted, .billing),
    // Mistral, Cohere.
    .init(
      "mistral rate limit", 429, #"{"message":"Requests rate limit exceeded"}"#, .retryable,
      .rateLimited),
    .init(
      "cohere invalid token", 401, #"{"message":"invalid api token"}"#, .permanent, .keyInvalid),
    .init(
      "cohere trial monthly limit", 429,
      #"{"message":"You are using a Trial key, which is limited to 1000 API calls / month."}"#,
      .quotaExhausted, .quotaExhausted),
    // GitHub.
    .init(
      "github primary rate limit", 403,
      #"{"message":"API rate limit exceeded for user ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}"#,
      headers: [
        "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000600",
        "date": "Tue, 14 Nov 2023 22:13:20 GMT",
      ],
      .retryable, .rateLimited),
    .init(
      "github bad credentials", 401,
      #"{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}"#,
      .unauthorized, .authenticationFailed),
    .init(
      "github requires authentication", 401, #"{"message":"Requires authentication"}"#,
      .unauthorized, .credentialMissing),
    .init(
      "github suspended", 403, #"{"message":"Sorry. Your account was suspended."}"#, .permanent,
      .accountDisabled),
    // Stripe.
    .init(
      "stripe invalid key", 401,
      #"{"error":{"message":"Invalid API Key provided: sk_test_****abcd","type":"invalid_request_error"}}"#,
      .permanent, .keyInvalid),
    .init(
      "stripe concurrent idempotent request", 409,
      #"{"error":{"message":"There is currently another in-progress request using this Stripe token.","type":"idempotency_error"}}"#,
      .retryable, .conflict),
    .init(
      "stripe api error", 500,
      #"{"error":{"message":"An unknown error occurred","type":"api_error"}}"#,
      .retryable, .serverError),
    // Proxies and generic.
    .init(
      "cloudflare html 521", 521,
      "<!DOCTYPE html><html><head><title>example.com | 521: Web server is down</title></head><body>Error code 521</body></html>",
      .retryable, .gatewayError),
    .init(
      "nginx html 429", 429,
      "<html><head><title>429 Too Many Requests</title></head><body><center><h1>429 Too Many Requests</h1></center></body></html>",
      .retryable, .rateLimited),
    .init("unknown 418", 418, "I'm a teapot", .fatal, .unknown),
    .init("unknown 599", 599, "", .retryable, .timeout),
    .init(
      "oauth invalid grant", 400,
      #"{"error":"invalid_grant","error_description":"Token has been expired or revoked."}"#,
      .permanent, .keyRevoked),
    .init(
      "huggingface model loading", 503,
      #"{"error":"Model x is currently loading","estimated_time":20.0}"#,
      .retryable, .overloaded),
  ]

  @Test(arguments: cases)
  func classifiesDocumentedError(_ rule: ProviderRuleCase) {
    let result = classify(rule.status, rule.body, headers: rule.headers.map { ($0.key, $0.value) })
    #expect(result.disposition == rule.disposition, "\(rule.name): \(result)")
    #expect(result.reason == rule.reason, "\(rule.name): \(result)")
  }

  @Test func azureMessageWaitIsRead() {
    let result = classify(
      429, #"{"error":{"code":"429","message":"Please retry after 7 seconds."}}"#)
    #expect(seconds(result.retryAfter) == 7)
  }

  @Test func githubResetEpochIsMeasuredFromTheDateHeader() {
    let result = classify(
      403, #"{"message":"API rate limit exceeded for user ID 1."}"#,
      headers: [
        ("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1700000600"),
        ("date", "Tue, 14 Nov 2023 22:13:20 GMT"),
      ])
    #expect(seconds(result.retryAfter) == 600)
  }

  @Test func huggingFaceEstimatedTimeIsTheWait() {
    let result = classify(503, #"{"error":"Model x is currently loading","estimated_time":20.5}"#)
    #expect(seconds(result.retryAfter) == 20.5)
  }
}
