/// The ``MessageFacts`` of a body's messages, read on first use and kept.
///
/// Reading every word of every message is one of the larger costs of a classification, and
/// the facts only matter for the wait (when no header or field states one) and for the
/// wording's verdict (when nothing stronger decided first): a body that a code or quota id
/// decides, with a stated wait, never has its messages read. Reading later changes nothing:
/// the facts depend only on the messages, which are fixed once the body is scanned.
struct LazyMessageFacts {
  private var facts: MessageFacts?

  /// The facts of `body`'s messages (ranges of `inspected`), read on the first call.
  mutating func read(_ body: BodySignals, in inspected: UnsafeRawBufferPointer) -> MessageFacts {
    if let facts { return facts }
    var read = MessageFacts()
    for field in body.fields where field.kind == .message {
      field.text.withBytes(in: inspected) { read.read($0) }
    }
    if !read.hasWait, let pageStart = body.pageStart, pageStart < inspected.count {
      // An HTML page's visible text is read for the wait it states, not for its wording.
      let text = HTMLPageText.extract(
        from: UnsafeRawBufferPointer(rebasing: inspected[pageStart...]))
      var page = MessageFacts()
      text.withUnsafeBytes { page.read($0) }
      read.takeWait(of: page)
    }
    facts = read
    return read
  }
}
