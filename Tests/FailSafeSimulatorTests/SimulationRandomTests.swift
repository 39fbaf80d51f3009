import FailSafeSimulator
import FailSafeTesting
import Testing

@Suite("SimulationRandom", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct SimulationRandomTests {
  @Test func theSameSeedAndStreamDrawTheSameSequence() {
    var first = SimulationRandom(seed: 7, stream: 3)
    var second = SimulationRandom(seed: 7, stream: 3)
    var other = SimulationRandom(seed: 7, stream: 4)
    let a = (0..<8).map { _ in first.next() }
    let b = (0..<8).map { _ in second.next() }
    let c = (0..<8).map { _ in other.next() }
    #expect(a == b)
    #expect(a != c)
  }

  @Test func durationsStayInsideTheirRange() {
    var random = SimulationRandom(seed: 1)
    let range = Duration.seconds(4)...Duration.seconds(14)
    for _ in 0..<1_000 {
      #expect(range.contains(random.duration(in: range)))
    }
    #expect(random.duration(in: .seconds(3)...(.seconds(3))) == .seconds(3))
  }
}
