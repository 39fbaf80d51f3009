/// What the classifier learned from the bounded prefix of a response body.
struct BodySignals {
  /// The shape of the body.
  enum Shape {
    /// Nothing but whitespace (or nothing at all).
    case empty
    /// Starts with `{` or `[` after an optional BOM and whitespace.
    case json
    /// Starts with `<`: an HTML or XML error page, usually from a proxy.
    case html
    /// Anything else: plain text.
    case text
  }

  /// The most messages kept; later ones rarely add anything.
  static let maximumMessages = 4
  /// The most bytes kept of one message.
  static let maximumMessageLength = 1_024
  /// The most identifiers kept.
  static let maximumCodes = 16

  /// The shape of the body.
  var shape: Shape = .empty
  /// Lower-cased identifiers (`type`, `code`, `status`, `reason`, `__type`, ...), document order.
  var codes: [String] = []
  /// Lower-cased Google `QuotaFailure` quota ids and metrics.
  var quotaIdentifiers: [String] = []
  /// Human-readable messages (UTF-8 bytes, maybe invalid), document order.
  var messages: [[UInt8]] = []
  /// The first wait the body states in a structured field, in seconds (not yet capped).
  var waitSeconds: Double?
  /// An explicit `"retryable": true/false` flag (Cloudflare's JSON errors).
  var retryableFlag: Bool?

  /// Adds an identifier unless the list is full.
  mutating func addCode(_ code: String) {
    if codes.count < Self.maximumCodes { codes.append(code) }
  }

  /// Adds a message unless the list is full, keeping at most ``maximumMessageLength`` bytes.
  mutating func addMessage<C: Collection<UInt8>>(_ bytes: C) {
    guard messages.count < Self.maximumMessages, !bytes.isEmpty else { return }
    messages.append(Array(bytes.prefix(Self.maximumMessageLength)))
  }
}
