/// When a scenario's jobs arrive: a backlog waiting at the start, then evenly spaced arrivals.
public struct JobSchedule: Sendable, Hashable {
  /// Jobs already queued when the run starts.
  public var initialBacklog: Int
  /// Jobs that arrive during the run, evenly spaced over ``window``.
  public var arrivals: Int
  /// When the arrivals happen, from the start of the run.
  public var window: Range<Duration>

  /// Creates a schedule; negative counts are treated as zero.
  public init(initialBacklog: Int = 0, arrivals: Int, over window: Range<Duration>) {
    self.initialBacklog = max(initialBacklog, 0)
    self.arrivals = max(arrivals, 0)
    self.window = window
  }

  /// Every job's arrival time, in order: the backlog at the window's start, then arrival `i`
  /// at `start + i * length / arrivals`.
  public var arrivalTimes: [Duration] {
    let start = window.lowerBound
    let length = window.upperBound - window.lowerBound
    var times = Array(repeating: start, count: initialBacklog)
    times.reserveCapacity(initialBacklog + arrivals)
    for index in 0..<arrivals {
      times.append(start + length * (Double(index) / Double(arrivals)))
    }
    return times
  }
}
