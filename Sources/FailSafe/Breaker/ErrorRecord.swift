/// An immutable, shared copy of an episode's first error.
///
/// The breaker keeps its first error behind one reference so that its own state stays small
/// and every rejection copies one pointer (one retain) instead of the classification's strings.
@usableFromInline
final class ErrorRecord: Sendable {
  @usableFromInline let classification: Classification

  @usableFromInline
  init(_ classification: Classification) { self.classification = classification }
}
