// swift-tools-version: 6.0
import PackageDescription

// FailSafe depends on the Swift toolchain alone: no package dependencies, ever.
// Platform floors come from `Synchronization` (Atomic, Mutex): macOS 15 / iOS 18 and peers.
let package = Package(
  name: "FailSafe",
  platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
  products: [
    .library(name: "FailSafe", targets: ["FailSafe"]),
    .library(name: "FailSafeTesting", targets: ["FailSafeTesting"]),
    .executable(name: "failsafe", targets: ["failsafe"]),
  ],
  targets: [
    .target(name: "FailSafe"),
    .target(name: "FailSafeTesting", dependencies: ["FailSafe"]),
    .target(name: "FailSafeCommands", dependencies: ["FailSafe", "FailSafeTesting"]),
    .executableTarget(name: "failsafe", dependencies: ["FailSafeCommands"]),
    .executableTarget(name: "failsafe-bench", dependencies: ["FailSafe"]),
    // Fixtures/ holds files the tests read by path (see its README), not sources.
    .testTarget(
      name: "FailSafeTests", dependencies: ["FailSafe", "FailSafeTesting"], exclude: ["Fixtures"]),
    // A child process for the state store's kill-during-write and two-process tests.
    .executableTarget(
      name: "FailSafeStateTestHelper", dependencies: ["FailSafe", "FailSafeTesting"],
      path: "Tests/FailSafeStateTestHelper"),
    .testTarget(name: "FailSafeTestingTests", dependencies: ["FailSafe", "FailSafeTesting"]),
    .testTarget(
      name: "FailSafeCommandsTests", dependencies: ["FailSafeCommands", "FailSafeTesting"]),
  ],
  swiftLanguageModes: [.v6]
)
