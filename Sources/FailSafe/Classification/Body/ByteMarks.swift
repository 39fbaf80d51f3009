/// Finding one byte value eight bytes at a time: the name ``SWAR/marks(of:in:)`` had before the
/// word-at-a-time primitives were gathered in ``SWAR``, kept for the tests written against it.
enum ByteMarks {
  /// Exact marks of the bytes of `word` equal to `byte` (``SWAR/marks(of:in:)``).
  @inline(always)
  static func of(_ byte: UInt8, in word: UInt64) -> UInt64 { SWAR.marks(of: byte, in: word) }
}
