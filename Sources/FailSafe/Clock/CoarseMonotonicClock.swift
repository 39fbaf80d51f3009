#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A monotonic clock that reads the kernel's coarse clock: a few nanoseconds per read instead
/// of the tens a precise read costs, at the price of resolution (one scheduler tick: 1 to 10 ms
/// on Linux, see ``minimumResolution``).
///
/// Made for breaker cooldowns, which last seconds to hours, so a tick of error is irrelevant,
/// while an open breaker reads the clock on every rejected call. It is the `CLOCK_MONOTONIC_COARSE`
/// clock on Linux and `CLOCK_UPTIME_RAW_APPROX` on Darwin: like `SuspendingClock`, it does not
/// advance while the machine sleeps. Reading it is the only place this clock touches real time.
///
/// Invariant: ``now`` never goes backwards and never runs ahead of the precise monotonic clock;
/// it lags it by up to a few ticks (at most 8 ms measured on a 4 ms-tick Linux VM).
public struct CoarseMonotonicClock: Clock, Sendable {
  /// A point on the coarse monotonic clock: the time since an unspecified start (boot).
  public struct Instant: InstantProtocol, Sendable, Hashable, Comparable {
    /// The time since the clock's start.
    public var offset: Duration

    /// Creates the instant `offset` after the clock's start.
    @inlinable public init(offset: Duration) { self.offset = offset }

    /// This instant moved by `duration` (clamped to `Duration`'s range, never trapping).
    @inlinable public func advanced(by duration: Duration) -> Instant {
      Instant(offset: offset.clampedAdding(duration))
    }

    /// The duration from this instant to `other`, negative if `other` is earlier (clamped to
    /// `Duration`'s range, never trapping).
    @inlinable public func duration(to other: Instant) -> Duration {
      other.offset.clampedSubtracting(offset)
    }

    /// Orders instants by their offset.
    @inlinable public static func < (lhs: Instant, rhs: Instant) -> Bool {
      lhs.offset.isShorter(than: rhs.offset)
    }
  }

  /// Creates the clock. All instances read the same kernel clock.
  @inlinable public init() {}

  /// The current instant, read from the kernel's coarse monotonic clock (no system call on
  /// Linux: the vDSO serves it from a page the kernel updates every tick).
  @inlinable public var now: Instant {
    #if canImport(Darwin)
      let nanoseconds = clock_gettime_nsec_np(CLOCK_UPTIME_RAW_APPROX)
      return Instant(offset: Duration(attoseconds: Int128(nanoseconds) &* 1_000_000_000))
    #else
      var time = timespec()
      clock_gettime(CLOCK_MONOTONIC_COARSE, &time)
      // Nanoseconds in 64 bits (292 years of uptime; clamped beyond), then one multiplication
      // into attoseconds that cannot overflow 128 bits: the compiler inlines all of it, while
      // the `Duration` factories are calls.
      let (scaled, overflow) = Int64(time.tv_sec).multipliedReportingOverflow(by: 1_000_000_000)
      let (sum, sumOverflow) = scaled.addingReportingOverflow(Int64(time.tv_nsec))
      let nanoseconds = overflow || sumOverflow ? Int64.max : sum
      return Instant(offset: Duration(attoseconds: Int128(nanoseconds) &* 1_000_000_000))
    #endif
  }

  /// The step between successive readings (the kernel tick on Linux).
  public var minimumResolution: Duration {
    #if canImport(Darwin)
      return .milliseconds(1)
    #else
      var resolution = timespec()
      guard clock_getres(CLOCK_MONOTONIC_COARSE, &resolution) == 0 else { return .milliseconds(4) }
      return .seconds(Int64(resolution.tv_sec)) + .nanoseconds(Int64(resolution.tv_nsec))
    #endif
  }

  /// Suspends until `deadline` has passed on this clock, or throws `CancellationError`.
  ///
  /// Sleeps on `SuspendingClock` (the same underlying clock at full precision) for the
  /// remaining time plus one resolution step, so the coarse reading has usually caught up on
  /// waking; loops (a few milliseconds at most) when it has not. A deadline more than a day
  /// away is slept towards a day at a time.
  public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
    let step = minimumResolution
    while true {
      let remaining = now.duration(to: deadline)
      if remaining <= .zero { return }
      // At most a day per sleep: a far deadline (up to `Duration`'s range) must not overflow
      // the suspending clock's own arithmetic.
      let chunk = min(remaining, .seconds(86_400)) + step
      try await SuspendingClock().sleep(for: chunk, tolerance: tolerance)
    }
  }
}
