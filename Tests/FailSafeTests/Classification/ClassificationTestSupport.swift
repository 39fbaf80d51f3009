import FailSafe
import Foundation

/// Classifies a response built from parts with the default classifier.
func classify(
  _ status: Int, _ body: String = "", headers: [(String, String)] = [], receivedAt: Date? = nil
) -> Classification {
  ProviderErrorClassifier().classify(
    ProviderResponse(
      status: status, headers: HTTPHeaderFields(headers), body: body, receivedAt: receivedAt))
}

/// A duration in seconds, for comparisons with a tolerance.
func seconds(_ duration: Duration?) -> Double? {
  duration.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
}

/// A small seeded generator (SplitMix64) so fuzz tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var value = state
    value = (value ^ (value &>> 30)) &* 0xBF58_476D_1CE4_E5B9
    value = (value ^ (value &>> 27)) &* 0x94D0_49BB_1331_11EB
    return value ^ (value &>> 31)
  }
}
