#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Whether this process runs under ThreadSanitizer, for the package's own tests: everything takes
/// several times longer there, so their time limits allow more time (their scenarios and
/// assertions stay the same).
package enum SanitizerDetection {
  /// True when the ThreadSanitizer runtime is linked into the process.
  package static let isThreadSanitizerActive: Bool = {
    // RTLD_DEFAULT: search every image loaded into the process.
    #if canImport(Darwin)
      let everyImage = UnsafeMutableRawPointer(bitPattern: -2)
    #else
      let everyImage: UnsafeMutableRawPointer? = nil
    #endif
    return dlsym(everyImage, "__tsan_init") != nil
  }()

  /// How many times longer a test may run under the sanitizer than without it.
  ///
  /// The sanitizer slows every memory access several times over, and Swift Testing runs the
  /// whole suite's tests side by side on a cooperative pool as wide as the machine's cores, so
  /// on two cores even a test that does little waits behind the others for most of the run.
  package static let timeLimitFactor = 10

  /// A test's time limit in minutes: `minutes` as written, or ``timeLimitFactor`` times that
  /// under the sanitizer. The limit exists to end a hung test, never to judge its speed (the
  /// benchmark does that), so a slow instrumented run must not fail it.
  package static func timeLimitMinutes(_ minutes: Int) -> Int {
    isThreadSanitizerActive
      ? minutes.multipliedReportingOverflow(by: timeLimitFactor).partialValue : minutes
  }
}
