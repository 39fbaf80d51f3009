import Synchronization

/// Fans events out to an optional observer closure and any number of `AsyncStream`s.
///
/// ``isListening`` is one relaxed atomic load plus a nil check, so emitters can skip building
/// events entirely when nobody listens.
@usableFromInline
final class BreakerEventHub<Instant: InstantProtocol>: Sendable {
  @usableFromInline typealias Event = BreakerEvent<Instant>

  @usableFromInline let observer: (@Sendable (Event) -> Void)?
  @usableFromInline let streams = SanitizerVisibleMutex<[UInt64: AsyncStream<Event>.Continuation]>(
    [:])
  @usableFromInline let streamCount = Atomic<Int>(0)
  private let nextStreamID = Atomic<UInt64>(0)

  @usableFromInline
  init(observer: (@Sendable (Event) -> Void)?) { self.observer = observer }

  @inlinable var isListening: Bool { observer != nil || streamCount.load(ordering: .relaxed) > 0 }

  /// A new stream of every later event, keeping the newest `bufferLimit` if it falls behind.
  @usableFromInline
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

  @inlinable
  func deliver(_ events: [Event]) {
    guard !events.isEmpty else { return }
    deliverNonEmpty(events)
  }

  @usableFromInline
  func deliverNonEmpty(_ events: [Event]) {
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
