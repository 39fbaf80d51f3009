/// Real provider error responses the built-in scenarios replay, taken from public bug reports
/// and provider documentation (identifiers faked).
public enum ProviderResponses {
  /// Gemini's answer to an expired key: `400 INVALID_ARGUMENT` with `API_KEY_INVALID`.
  /// A dead key: renewing it means issuing a new one, which no refresh can do.
  public static let geminiAPIKeyInvalid = ScriptedResponse(
    status: 400,
    headers: [
      "content-type": "application/json; charset=UTF-8", "vary": "Origin, X-Origin, Referer",
      "server": "scaffolding on HTTPServer2",
    ],
    body: """
      {
        "error": {
          "code": 400,
          "message": "API key expired. Please renew the API key.",
          "status": "INVALID_ARGUMENT",
          "details": [
            {
              "@type": "type.googleapis.com/google.rpc.ErrorInfo",
              "reason": "API_KEY_INVALID",
              "domain": "googleapis.com",
              "metadata": {
                "service": "generativelanguage.googleapis.com"
              }
            },
            {
              "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
              "locale": "en-US",
              "message": "API key expired. Please renew the API key."
            }
          ]
        }
      }
      """)

  /// OpenAI's answer to a revoked or unknown key: `401 invalid_api_key`.
  public static let openAIInvalidAPIKey = ScriptedResponse(
    status: 401, headers: ["content-type": "application/json"],
    body: """
      {
          "error": {
              "message": "Incorrect API key provided: sk-proj-****FAKE. You can find your API key at https://platform.openai.com/account/api-keys.",
              "type": "invalid_request_error",
              "param": null,
              "code": "invalid_api_key"
          }
      }
      """)

  /// Anthropic's OAuth token endpoint rate-limiting a refresh: `429 rate_limit_error`.
  /// The refresh token is still valid: back off and retry, never discard it.
  public static let anthropicOAuthTokenEndpoint429 = ScriptedResponse(
    status: 429, headers: ["content-type": "application/json"],
    body: """
      {
        "error": {
          "type": "rate_limit_error",
          "message": "Rate limited. Please try again later."
        }
      }
      """)

  /// Anthropic's answer to an expired OAuth access token: `401 authentication_error`.
  public static let anthropicOAuthTokenExpired = ScriptedResponse(
    status: 401, headers: ["content-type": "application/json"],
    body: #"""
      {"type":"error","error":{"type":"authentication_error","message":"OAuth token has expired. Please obtain a new token or refresh your existing token."},"request_id":"req_011CVhkGeSWvhTk7MQh33Lu1"}
      """#)

  /// An OAuth token endpoint refusing a refresh token that was already used (RFC 6749 5.2).
  public static let oauthInvalidGrant = ScriptedResponse(
    status: 400, headers: ["content-type": "application/json"],
    body: #"{"error":"invalid_grant","error_description":"Refresh token already used"}"#)

  /// A successful OAuth refresh: a new access token and, for one-time refresh tokens, a new
  /// refresh token.
  public static let oauthTokenGranted = ScriptedResponse(
    status: 200, headers: ["content-type": "application/json"],
    body:
      #"{"token_type":"Bearer","access_token":"sim-access","expires_in":3600,"refresh_token":"sim-refresh"}"#
  )

  /// OpenAI's overloaded model: `503 server_error`.
  public static let openAIOverloaded503 = ScriptedResponse(
    status: 503, headers: ["content-type": "application/json"],
    body: """
      {
          "error": {
              "message": "That model is currently overloaded with other requests. You can retry your request, or contact us through our help center at help.openai.com if the error persists.",
              "type": "server_error",
              "param": null,
              "code": null
          }
      }
      """)

  /// Anthropic's overloaded API: `529 overloaded_error`, as its documentation shows it.
  public static let anthropicOverloaded529 = ScriptedResponse(
    status: 529, headers: ["content-type": "application/json"],
    body: #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#)

  /// Anthropic's generic transient failure: `500 api_error`.
  public static let anthropicInternalError500 = ScriptedResponse(
    status: 500, headers: ["content-type": "application/json"],
    body: #"{"type":"error","error":{"type":"api_error","message":"Internal server error"}}"#)
}
