extension Duration {
  /// `self - other`, clamped to `Duration`'s range instead of trapping.
  ///
  /// Computed on ``attoseconds`` (an `Int128` the compiler inlines), because the standard
  /// library's `Duration` operators are out-of-line calls: on a rejected call, where the clock
  /// is read and compared with a deadline, those calls cost more than the comparison itself.
  @inlinable @inline(__always) func clampedSubtracting(_ other: Duration) -> Duration {
    let (difference, overflow) = attoseconds.subtractingReportingOverflow(other.attoseconds)
    guard overflow else { return Duration(attoseconds: difference) }
    return Duration(attoseconds: other.attoseconds < 0 ? .max : .min)
  }

  /// `self + other`, clamped to `Duration`'s range instead of trapping (see
  /// ``clampedSubtracting(_:)`` for why it is computed on attoseconds).
  @inlinable @inline(__always) func clampedAdding(_ other: Duration) -> Duration {
    let (sum, overflow) = attoseconds.addingReportingOverflow(other.attoseconds)
    guard overflow else { return Duration(attoseconds: sum) }
    return Duration(attoseconds: other.attoseconds < 0 ? .min : .max)
  }

  /// Whether `self` is earlier (shorter) than `other`: `self < other`, inlined.
  @inlinable @inline(__always) func isShorter(than other: Duration) -> Bool {
    attoseconds < other.attoseconds
  }

  /// `max(self, .zero)`, inlined.
  @inlinable @inline(__always) var clampedToZero: Duration {
    attoseconds < 0 ? Duration(attoseconds: 0) : self
  }
}
