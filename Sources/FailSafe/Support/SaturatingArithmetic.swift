extension Int {
  /// `self + other`, stopping at `Int.max` instead of trapping.
  @inlinable func saturatingAdd(_ other: Int) -> Int {
    let (sum, overflow) = addingReportingOverflow(other)
    return overflow ? (other > 0 ? .max : .min) : sum
  }
}
