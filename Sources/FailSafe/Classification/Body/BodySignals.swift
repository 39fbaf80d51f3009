/// What the classifier learned from the bounded prefix of a response body.
///
/// Messages, identifiers and quota ids are kept as ``BodyText``: ranges of the inspected
/// bytes, read in place, so they are only meaningful together with those bytes (the classifier
/// uses them inside the closure that lends it the body).
struct BodySignals {
  /// The shape of the body.
  enum Shape {
    /// Nothing but whitespace (or nothing at all).
    case empty
    /// Starts with `{` or `[` after an optional BOM and whitespace.
    case json
    /// Starts with `<`: an HTML or XML error page, usually from a proxy.
    case html
    /// Starts with `<` and holds an AWS-style `<Error><Code>` element: an API's XML error,
    /// whose code and message are read like a JSON body's.
    case xml
    /// Anything else: plain text.
    case text
  }

  /// One piece of text found in the body, and what it is.
  struct Field {
    /// What a field holds.
    enum Kind {
      /// A human-readable message (UTF-8 bytes, maybe invalid).
      case message
      /// An identifier (`type`, `code`, `status`, `reason`, `__type`, ...), already reduced
      /// to its name (see ``ErrorCode/nameRange(in:)``); compared ignoring ASCII case.
      case code
      /// A Google `QuotaFailure` quota id or metric; compared ignoring ASCII case.
      case quota
    }

    /// What the field holds.
    let kind: Kind
    /// Its text.
    let text: BodyText
  }

  /// The most messages kept; later ones rarely add anything.
  static let maximumMessages = 4
  /// The most bytes kept of one message.
  static let maximumMessageLength = 1_024
  /// The most identifiers kept.
  static let maximumCodes = 16

  /// The shape of the body.
  var shape: Shape = .empty
  /// Messages, identifiers and quota ids, each kind in document order: one array, so one
  /// allocation however many there are.
  private(set) var fields: [Field] = []
  /// How many fields are messages.
  private(set) var messageCount = 0
  /// How many fields are identifiers.
  private(set) var codeCount = 0
  /// The first wait the body states in a structured field, in seconds (not yet capped).
  var waitSeconds: Double?
  /// The first time the body names for a retry or a reset (`reset_at`, or a `retry_after`
  /// written as a time), in seconds since 1970.
  var waitUntil: Double?

  /// The body's structured wait, measured from `reference` (seconds since 1970) when it is a
  /// time; `nil` without one.
  func structuredWait(reference: Double?) -> Double? {
    if let waitSeconds { return waitSeconds }
    guard let waitUntil, let reference else { return nil }
    return max(0, waitUntil - reference)
  }
  /// An explicit `"retryable": true/false` flag (Cloudflare's JSON errors).
  var retryableFlag: Bool?
  /// Where an HTML page starts in the inspected bytes: its visible text (``HTMLPageText``) is
  /// read from there, only for a wait it states, and only when nothing else states one.
  var pageStart: Int?

  /// Appends `field`, reserving room for a typical body's fields on the first one, so the
  /// array is allocated once rather than grown one field at a time.
  private mutating func append(_ field: Field) {
    if fields.capacity == 0 { fields.reserveCapacity(8) }
    fields.append(field)
  }

  /// The first message, if any.
  var firstMessage: BodyText? {
    fields.first { $0.kind == .message }?.text
  }

  /// Adds an identifier unless the list is full.
  mutating func addCode(_ code: BodyText) {
    guard codeCount < Self.maximumCodes else { return }
    append(Field(kind: .code, text: code))
    codeCount += 1
  }

  /// Adds a quota id or metric.
  mutating func addQuotaIdentifier(_ identifier: BodyText) {
    append(Field(kind: .quota, text: identifier))
  }

  /// Adds a message unless the list is full or it is empty; the caller has cut it to at most
  /// ``maximumMessageLength`` bytes.
  mutating func addMessage(_ message: BodyText) {
    guard messageCount < Self.maximumMessages else { return }
    switch message {
    case .span(let range): if range.isEmpty { return }
    case .decoded(let bytes): if bytes.isEmpty { return }
    }
    append(Field(kind: .message, text: message))
    messageCount += 1
  }
}
