import Synchronization

/// Fans events out to an optional observer closure and any number of `AsyncStream`s.
///
/// ``isListening`` is one relaxed atomic load plus a nil check, so emitters can skip building
/// events entirely when nobody listens.
final class BreakerEventHub<Instant: InstantProtocol>: Sendable {
  typealias Event = BreakerEvent<Instant>

  private let observer: (@Sendable (Event) -> Void)?
  private let streams = SanitizerVisibleMutex<[UInt64: AsyncStream<Event>.Continuation]>([:])
  private let streamCount = Atomic<Int>(0)
  private let nextStreamID = Atomic<UInt64>(0)

  init(observer: (@Sendable (Event) -> Void)?) { self.observer = observer }

  var isListening: Bool { observer != nil || streamCount.load(ordering: .relaxed) > 0 }

  /// A new stream of every later event, keeping the newest `bufferLimit` if it falls behind.
  func stream(bufferLimit: Int) -> AsyncStream<Event> {
    let (stream, continuation) = AsyncStream<Event>.makeStream(
      bufferingPolicy: .bufferingNewest(max(bufferLimit, 1)))
    let id = nextStreamID.add(1, ordering: .relaxed).newValue
    streams.withLock { $0[id] = continuation }
    streamCount.add(1, ordering: .relaxed)
    continuation.onTermination = { [weak self] _ in
      guard let self else { return }
      let removed = self.streams.withLock { $0.removeValue(forKey: id) }
      if removed != nil { self.streamCount.subtract(1, ordering: .relaxed) }
    }
    return stream
  }

  func deliver(_ events: [Event]) {
    guard !events.isEmpty else { return }
    if let observer { for event in events { observer(event) } }
    guard streamCount.load(ordering: .relaxed) > 0 else { return }
    let continuations = streams.withLock { Array($0.values) }
    for continuation in continuations {
      for event in events { continuation.yield(event) }
    }
  }

  deinit {
    let continuations = streams.withLock { Array($0.values) }
    for continuation in continuations { continuation.finish() }
  }
}
