/// One unit of work a simulated session takes from the queue and must account for.
package struct SimulatedJob: Sendable, Hashable {
  /// The job's position in the arrival order, from zero.
  package var id: Int
  /// When it arrived in the queue, from the start of the run.
  package var arrival: Duration
}
