/// Where breaker state lives between runs and between processes: a file, or a database or
/// key-value server shared by many hosts (see Docs/SharedState.md).
///
/// Stores never overwrite blindly. ``save(_:)`` merges the caller's document into what is
/// stored, with `StateMerge`, under the store's own exclusion (a file lock, a transaction or a
/// compare-and-set loop), and returns the merged result so the caller learns what other
/// processes wrote. Methods are asynchronous, so a networked store never blocks a thread, and
/// are safe to call from any task; they are never on a call's hot path.
public protocol BreakerStateStore: Sendable {
  /// Reads the stored document. A store that does not exist yet reads as empty; damage becomes
  /// diagnostics and safe defaults, never an error.
  ///
  /// - Throws: ``StateStoreError`` if the store cannot be reached or read at all.
  func load() async throws -> StateDocumentReading

  /// Merges `document` into the stored one, bounds the result, stores it if it changed, and
  /// returns it (with the diagnostics of reading what was stored).
  ///
  /// - Throws: ``StateStoreError``; `newerVersion` if a newer FailSafe wrote the store.
  func save(_ document: PersistedStateDocument) async throws -> StateDocumentReading

  /// Runs `edit` on the stored document under the store's exclusion and stores the result as
  /// is (no merge: `edit` saw the latest state). For operator actions. A store without a
  /// document-wide lock may run `edit` more than once, each time on fresher content.
  ///
  /// - Throws: ``StateStoreError``, or whatever `edit` throws (then nothing is stored).
  func update(
    _ edit: (inout PersistedStateDocument) throws -> Void
  ) async throws -> StateDocumentReading
}
