import FailSafe
import Synchronization

/// The incident's worker rewritten on FailSafe.
///
/// TEMPORARY (phase 1): until the breaker and executor land, credential health is kept by a
/// small stand-in here; it is replaced by the library's breakers and executor.
public final class FailSafeWorker: SimulatedWorker {
  private struct Health {
    var dead: Set<String> = []
    var openUntil: [String: Duration] = [:]
    var streak: [String: Int] = [:]
    var probing: Set<String> = []
    var next = 0
  }

  private let credentials: [String]
  private let environment: SimulationEnvironment
  private let dropsUnavailableJobs: Bool
  private let health = Mutex(Health())

  /// `failsafe`.
  public var name: String { "failsafe" }

  /// Creates the worker for one run.
  public init(
    credentials: [String], environment: SimulationEnvironment, dropsUnavailableJobs: Bool = false
  ) {
    self.credentials = credentials
    self.environment = environment
    self.dropsUnavailableJobs = dropsUnavailableJobs
    for credential in credentials {
      environment.timeline.record(credential, entered: "closed", at: .zero)
    }
  }

  /// Works through the shift's jobs.
  public func work(_ session: SimulationSession) async {
    var random = session.random
    while true {
      guard let job = try? await session.nextJob() else { return }
      do {
        try await process(job, session: session, random: &random)
      } catch {
        environment.jobs.release(job)
        return
      }
    }
  }

  private enum Pick {
    case credential(String)
    case wait(until: Duration)
    case allDead
  }

  private func process(
    _ job: SimulatedJob, session: SimulationSession, random: inout SimulationRandom
  ) async throws {
    let clock = environment.clock
    while true {
      let now = environment.now
      let pick = health.withLock { health -> Pick in
        var earliest: Duration?
        for step in 0..<credentials.count {
          let index = (health.next + step) % credentials.count
          let credential = credentials[index]
          if health.dead.contains(credential) { continue }
          if health.probing.contains(credential) {
            earliest = min(earliest ?? now + .seconds(1), now + .seconds(1))
            continue
          }
          if let until = health.openUntil[credential], until > now {
            earliest = min(earliest ?? until, until)
            continue
          }
          if health.openUntil[credential] != nil { health.probing.insert(credential) }
          health.next = (index + 1) % credentials.count
          return .credential(credential)
        }
        if let earliest { return .wait(until: earliest) }
        return .allDead
      }
      switch pick {
      case .allDead:
        environment.jobs.fail(job, reason: FailureReason.keyInvalid.rawValue)
        return
      case .wait(let until):
        if dropsUnavailableJobs {
          environment.jobs.fail(job, reason: "unavailable")
          return
        }
        try await clock.sleep(until: .init(offset: until + .nanoseconds(session.index)))
      case .credential(let credential):
        let answer = try await environment.upstream.send(
          to: .api, credential: credential, using: &random)
        if answer.response.isSuccess {
          settle(credential, state: "closed") {
            $0.streak[credential] = 0
            $0.openUntil[credential] = nil
          }
          environment.jobs.complete(job)
          return
        }
        let verdict = environment.classifier.classify(answer.response.providerResponse)
        switch verdict.disposition {
        case .permanent, .unauthorized, .quotaExhausted:
          settle(credential, state: "dead") { $0.dead.insert(credential) }
        case .fatal:
          environment.jobs.fail(job, reason: verdict.reason.rawValue)
          return
        case .retryable:
          let now = environment.now
          settle(credential, state: "open") { health in
            let streak = min(health.streak[credential, default: 0] + 1, 20)
            health.streak[credential] = streak
            let cooldown = min(Duration.seconds(1) * (1 << min(streak - 1, 16)), .seconds(600))
            health.openUntil[credential] = now + cooldown
          }
        }
      }
    }
  }

  private func settle(_ credential: String, state: String, _ change: (inout Health) -> Void) {
    health.withLock { health in
      health.probing.remove(credential)
      change(&health)
    }
    environment.timeline.record(credential, entered: state, at: environment.now)
  }
}
