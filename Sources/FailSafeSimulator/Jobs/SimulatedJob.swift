/// One unit of work a simulated session takes from the queue and must account for.
public struct SimulatedJob: Sendable, Hashable {
  /// The job's position in the arrival order, from zero.
  public var id: Int
  /// When it arrived in the queue, from the start of the run.
  public var arrival: Duration
}
