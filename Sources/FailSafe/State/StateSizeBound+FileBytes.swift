import Foundation

extension StateSizeBound {
  /// The largest state file, in bytes, that a writer within this bound can produce:
  /// ``maximumEntries`` entries of the largest size an entry can be written at, and the
  /// document's own fields. ``FileBreakerStateStore`` reads at least this much, so a file its
  /// writer produced is never read as cut off (which would cost every entry past the cut).
  ///
  /// An entry's size is bounded field by field: an id of at most
  /// ``PersistedStateDocument/maximumCredentialIDLength`` bytes, each written as at most six
  /// (`\u0000`); reasons and the operator action's kind of at most 64 characters, and evidence
  /// of at most ``PersistedFailure/maximumEvidenceLength``, each also cut to four bytes a
  /// character and written as at most two bytes a byte (`\"`, `\\`: they hold no control
  /// characters); numbers, dates and names of fixed greatest length. With the default 10,000
  /// entries this is about 76 MB; real files are far smaller (an entry is typically 400 bytes).
  public var maximumFileBytes: Int {
    let layout = StateFileLayout.shared
    let entries = Self.clampedProduct(maximumEntries, layout.entryBytes)
    let (total, overflow) = layout.documentBytes.addingReportingOverflow(entries)
    return overflow ? Int.max : total
  }

  fileprivate static func clampedProduct(_ lhs: Int, _ rhs: Int) -> Int {
    let (product, overflow) = max(0, lhs).multipliedReportingOverflow(by: max(0, rhs))
    return overflow ? Int.max : product
  }
}

/// The greatest sizes the writer gives a state file's parts, measured once on the encoder
/// itself with every fixed-size field at its longest and every text field empty, then each text
/// field's greatest written size added.
private struct StateFileLayout: Sendable {
  /// The most bytes one more entry adds to a file, its separator included.
  let entryBytes: Int
  /// The most bytes of the document without its entries.
  let documentBytes: Int

  static let shared = StateFileLayout()

  private init() {
    let longestStatus = BreakerState.allCases.max {
      $0.rawValue.utf8.count < $1.rawValue.utf8.count
    }!
    let longestDisposition = Disposition.allCases.max {
      $0.rawValue.utf8.count < $1.rawValue.utf8.count
    }!
    let date = Date(timeIntervalSince1970: 0)
    var failure = PersistedFailure(
      disposition: longestDisposition, reason: FailureReason(rawValue: ""), evidence: "",
      at: date)
    failure.repeats = Int.min
    var entry = PersistedCredentialState(
      status: longestStatus, reopenAt: date, reason: FailureReason(rawValue: ""),
      firstError: failure, updatedAt: date,
      lastOperatorAction: OperatorAction(kind: OperatorActionKind(rawValue: ""), at: date))
    entry.consecutiveFailures = Int.min
    entry.streak = Int.min
    entry.counters.failures = Int.min
    entry.counters.rejections = Int.min
    entry.counters.trips = Int.min
    entry.counters.probes = Int.min
    func size(_ count: Int) -> Int {
      let credentials = Dictionary(
        uniqueKeysWithValues: (0..<count).map { ("\(Character(UnicodeScalar(97 + $0)!))", entry) })
      let document = PersistedStateDocument(credentials: credentials, savedAt: date)
      return (try? document.encoded().count) ?? 0
    }
    let one = size(1)
    let skeletonEntry = size(2) - one
    // Each text field at its longest once written: ids as six bytes a byte, other texts
    // (sanitized, no control characters) as two bytes a byte, the `…` of a cut included.
    func text(_ characters: Int) -> Int {
      2 * (StateText.maximumBytes(forCharacters: characters) + StateText.ellipsisBytes)
    }
    let id = 6 * PersistedStateDocument.maximumCredentialIDLength - 1
    let reasons = 3 * text(StateDocumentReader.maximumReasonLength)
    let evidence = text(PersistedFailure.maximumEvidenceLength)
    entryBytes = skeletonEntry + id + reasons + evidence
    documentBytes = one - skeletonEntry
  }
}
