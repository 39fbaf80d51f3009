import Foundation
import Testing

@Suite("Test fixtures stay inside the repository")
struct TestFixturesTests {
  @Test(arguments: TestFixtures.all)
  func everyFixtureResolvesInsideThePackageRoot(_ fixture: String) throws {
    let path = try TestFixtures.path(fixture)
    #expect(path.hasPrefix(TestFixtures.packageRoot.path + "/"))
    #expect(FileManager.default.fileExists(atPath: path), "\(fixture) is missing from \(path)")
  }

  // The fixtures folder is three levels below the package root.
  @Test(arguments: [
    "../../../../x", "corpus/../../../../../x", "/etc/hosts", "../../../../outside/c",
  ])
  func aPathThatLeavesThePackageRootIsRefused(_ fixture: String) {
    #expect(throws: TestFixtures.OutsideRepository.self) { try TestFixtures.path(fixture) }
  }

  @Test func aPathThatClimbsButStaysInsideIsAccepted() throws {
    let path = try TestFixtures.path("../../../Package.swift")
    #expect(path == TestFixtures.packageRoot.appendingPathComponent("Package.swift").path)
  }

  @Test func aSymbolicLinkPointingOutIsRefused() throws {
    let link = TestFixtures.folder.appendingPathComponent("escape-\(UUID().uuidString)")
    try FileManager.default.createSymbolicLink(
      atPath: link.path, withDestinationPath: FileManager.default.temporaryDirectory.path)
    defer { try? FileManager.default.removeItem(at: link) }
    #expect(throws: TestFixtures.OutsideRepository.self) {
      try TestFixtures.path(link.lastPathComponent + "/anything")
    }
  }

  /// The fixtures folder is the package's own: its parent chain ends at the manifest.
  @Test func thePackageRootHoldsTheManifest() {
    let manifest = TestFixtures.packageRoot.appendingPathComponent("Package.swift").path
    #expect(FileManager.default.fileExists(atPath: manifest))
  }
}
