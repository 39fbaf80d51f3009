import FailSafe
import FailSafeTesting
import Testing

@Suite("BackoffPolicy", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct BackoffPolicyTests {
  let policy = BackoffPolicy(base: .seconds(1), maximum: .seconds(60), jitter: .none)

  @Test func doublesFromBaseUntilTheCap() {
    let table = (1...9).map { policy.cooldown(forStreak: $0) }
    #expect(
      table == [1, 2, 4, 8, 16, 32, 60, 60, 60].map { Duration.seconds($0) })
  }

  @Test(arguments: [Int.max, Int.max - 1, 64, 128, 1_000_000])
  func hugeStreaksGiveTheCap(streak: Int) {
    #expect(policy.cooldown(forStreak: streak) == .seconds(60))
  }

  @Test(arguments: [0, -1, -64, Int.min])
  func zeroAndNegativeStreaksGiveTheBase(streak: Int) {
    #expect(policy.cooldown(forStreak: streak) == .seconds(1))
  }

  @Test func tinyBaseWithHugeCapNeverOverflows() {
    let extreme = BackoffPolicy(
      base: .nanoseconds(1), maximum: .seconds(Int64.max), jitter: .none)
    let value = extreme.cooldown(forStreak: Int.max)
    #expect(value > .zero)
    #expect(value <= .seconds(Int64.max))
    #expect(extreme.cooldown(forStreak: 11) == .nanoseconds(1_024))
  }

  @Test func capBelowBaseAndNegativeSettingsAreClamped() {
    let inverted = BackoffPolicy(base: .seconds(10), maximum: .seconds(3), jitter: .none)
    #expect(inverted.cooldown(forStreak: 1) == .seconds(3))
    let negative = BackoffPolicy(base: .seconds(-5), maximum: .seconds(-1), jitter: .full)
    var random = BackoffRandomSource.seeded(1)
    #expect(negative.cooldown(forStreak: 5) == .zero)
    #expect(negative.cooldown(forStreak: 5, using: &random) == .zero)
  }

  @Test(arguments: BackoffJitter.allCases)
  func jitterStaysWithinItsBounds(jitter: BackoffJitter) {
    let jittered = BackoffPolicy(base: .seconds(1), maximum: .seconds(60), jitter: jitter)
    var random = BackoffRandomSource.seeded(42)
    var previous: Duration? = nil
    var seen = Set<Duration>()
    for streak in [1, 2, 3, 4, 5, 6, 7, 8, 20, Int.max] {
      for _ in 0..<200 {
        let capped = jittered.cooldown(forStreak: streak)
        let value = jittered.cooldown(forStreak: streak, previous: previous, using: &random)
        seen.insert(value)
        switch jitter {
        case .none:
          #expect(value == capped)
        case .full:
          #expect(value >= .zero && value <= capped)
        case .equal:
          #expect(value >= capped / 2 && value <= capped)
        case .decorrelated:
          let last = min(max(previous ?? .seconds(1), .seconds(1)), .seconds(60))
          #expect(value >= .seconds(1) && value <= min(last * 3, .seconds(60)))
        }
        previous = value
      }
    }
    // Jitter that never varies would be no jitter at all.
    #expect(jitter == .none ? seen.count == 7 : seen.count > 100)
  }

  @Test func seededSourcesRepeatAndDiffer() {
    var first = BackoffRandomSource.seeded(9)
    var second = BackoffRandomSource.seeded(9)
    var other = BackoffRandomSource.seeded(10)
    let a = (0..<5).map { _ in first.next() }
    let b = (0..<5).map { _ in second.next() }
    let c = (0..<5).map { _ in other.next() }
    #expect(a == b)
    #expect(a != c)
    var custom = BackoffRandomSource { 17 }
    #expect(custom.next() == 17)
  }
}
