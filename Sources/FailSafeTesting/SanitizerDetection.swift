#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Whether this process runs under ThreadSanitizer, for the package's own tests: a replayed
/// incident of tens of thousands of requests takes several times longer there, so those tests
/// allow more time (their scenarios and assertions stay the same).
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

  /// The time limit, in minutes, of a test that replays whole incidents: 1, or 10 under the
  /// sanitizer.
  package static var incidentReplayMinutes: Int { isThreadSanitizerActive ? 10 : 1 }
}
