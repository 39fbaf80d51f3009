// swift-tools-version: 6.2
import PackageDescription

// FailSafe depends on the Swift toolchain alone: no package dependencies, ever.
// Platform floors come from `Synchronization` (Atomic, Mutex): macOS 15 / iOS 18 and peers.
let package = Package(
  name: "FailSafe",
  platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
  products: [
    .library(name: "FailSafe", targets: ["FailSafe"]),
    .library(name: "FailSafeTesting", targets: ["FailSafeTesting"]),
    .library(name: "FailSafeSimulator", targets: ["FailSafeSimulator"]),
    .executable(name: "failsafe", targets: ["failsafe"]),
  ],
  targets: [
    .target(name: "FailSafe"),
    .target(name: "FailSafeTesting", dependencies: ["FailSafe"]),
    // Replays incidents in virtual time: the naive worker against the same worker on FailSafe.
    .target(name: "FailSafeSimulator", dependencies: ["FailSafe", "FailSafeTesting"]),
    .target(
      name: "FailSafeCommands", dependencies: ["FailSafe", "FailSafeTesting", "FailSafeSimulator"]),
    .executableTarget(name: "failsafe", dependencies: ["FailSafeCommands"]),
    .executableTarget(name: "failsafe-bench", dependencies: ["FailSafe"]),
    // Fixtures/ holds files the tests read by path (see its README), not sources.
    .testTarget(
      name: "FailSafeTests", dependencies: ["FailSafe", "FailSafeTesting", "FailSafeCommands"],
      exclude: ["Fixtures"]),
    // A child process for the state store's kill-during-write and two-process tests.
    .executableTarget(
      name: "FailSafeStateTestHelper", dependencies: ["FailSafe", "FailSafeTesting"],
      path: "Tests/FailSafeStateTestHelper"),
    .testTarget(name: "FailSafeTestingTests", dependencies: ["FailSafe", "FailSafeTesting"]),
    .testTarget(
      name: "FailSafeSimulatorTests",
      dependencies: ["FailSafe", "FailSafeTesting", "FailSafeSimulator"]),
    .testTarget(
      name: "FailSafeCommandsTests",
      dependencies: ["FailSafeCommands", "FailSafeTesting", "FailSafeSimulator"]),
  ],
  swiftLanguageModes: [.v6]
)
