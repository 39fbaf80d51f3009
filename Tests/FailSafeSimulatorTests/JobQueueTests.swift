import FailSafeSimulator
import FailSafeTesting
import Testing

@Suite("JobQueue", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct JobQueueTests {
  @Test func jobsAreTakenInArrivalOrderUpToTheDeadline() throws {
    let queue = JobQueue(arrivals: [.seconds(20), .seconds(0), .seconds(10)])
    #expect(queue.take(arrivingBy: .seconds(5))?.arrival == .seconds(0))
    #expect(queue.take(arrivingBy: .seconds(5)) == nil)
    #expect(queue.take(arrivingBy: .seconds(15))?.id == 1)
  }

  @Test func aGivenBackJobIsTakenAgainBeforeNewerOnes() throws {
    let queue = JobQueue(arrivals: [.zero, .zero, .zero])
    let first = try #require(queue.take(arrivingBy: .zero))
    let second = try #require(queue.take(arrivingBy: .zero))
    queue.release(second)
    queue.release(first)
    #expect(queue.take(arrivingBy: .zero)?.id == first.id)
    #expect(queue.take(arrivingBy: .zero)?.id == second.id)
    #expect(queue.take(arrivingBy: .zero)?.id == 2)
  }

  @Test func theLedgerAccountsForEveryJob() throws {
    let queue = JobQueue(
      schedule: JobSchedule(initialBacklog: 1, arrivals: 4, over: .zero..<(.seconds(40))))
    let done = try #require(queue.take(arrivingBy: .seconds(100)))
    let failed = try #require(queue.take(arrivingBy: .seconds(100)))
    let dropped = try #require(queue.take(arrivingBy: .seconds(100)))
    let givenBack = try #require(queue.take(arrivingBy: .seconds(100)))
    queue.complete(done)
    queue.fail(failed, reason: "keyInvalid")
    queue.release(givenBack)
    _ = dropped  // taken and never accounted for: lost
    let ledger = queue.ledger
    #expect(ledger.submitted == 5)
    #expect(ledger.completed == 1)
    #expect(ledger.failedByReason == ["keyInvalid": 1])
    #expect(ledger.queued == 2)
    #expect(ledger.lost == 1)
    #expect(ledger.completed + ledger.failed + ledger.queued + ledger.lost == ledger.submitted)
  }

  @Test func scheduleSpacesArrivalsEvenlyAfterTheBacklog() {
    let schedule = JobSchedule(initialBacklog: 2, arrivals: 4, over: .seconds(10)..<(.seconds(50)))
    #expect(
      schedule.arrivalTimes == [10, 10, 10, 20, 30, 40].map { Duration.seconds($0) })
    #expect(
      JobSchedule(initialBacklog: -3, arrivals: -1, over: .zero..<(.seconds(1))).arrivalTimes
        .isEmpty)
  }
}
