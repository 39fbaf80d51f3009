extension Int {
  /// The value with thousands separated by commas (`71287` -> `"71,287"`), locale-free so the
  /// simulator's table and timelines read the same everywhere.
  package var groupedDigits: String {
    let digits = String(magnitude)
    var result = ""
    for (index, digit) in digits.enumerated() {
      if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
      result.append(digit)
    }
    return self < 0 ? "-" + result : result
  }
}
