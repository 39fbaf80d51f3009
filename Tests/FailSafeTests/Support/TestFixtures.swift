import Foundation

/// Files the tests read, all kept inside the repository under `Tests/FailSafeTests/Fixtures`.
///
/// Paths are resolved against this source file's location, so a plain clone finds them with no
/// resources step and no working-directory assumption. A relative path that would leave the
/// package root (`..` components, a symbolic link pointing out) is refused with an error: a
/// test that reaches outside the repository passes on one machine and fails on every clone.
enum TestFixtures {
  /// The package root: three folders above this file (`Tests/FailSafeTests/Support`).
  static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .resolvingSymlinksInPath().standardizedFileURL

  /// The fixtures folder, `Tests/FailSafeTests/Fixtures`.
  static let folder: URL = packageRoot.appendingPathComponent("Tests/FailSafeTests/Fixtures")

  /// Every fixture a test reads, relative to ``folder``. The containment test checks each.
  static let all: [String] = [corpus, moreCorpus]

  /// The development corpus of labelled provider errors (a copy; see Fixtures/README.md).
  static let corpus = "corpus/provider-errors-dev.jsonl"

  /// The repository's own labelled provider errors beyond the shared corpus (issue #16: AWS,
  /// mail, maps, CRM, payments, relays and more; see Fixtures/README.md).
  static let moreCorpus = "provider-errors-more.jsonl"

  /// Why a fixture path was refused.
  struct OutsideRepository: Error, CustomStringConvertible {
    let requested: String
    let resolved: String
    var description: String {
      "fixture path \(requested) resolves to \(resolved), outside the package root "
        + "\(TestFixtures.packageRoot.path): tests read only files inside the repository"
    }
  }

  /// The absolute path of `relativePath` under ``folder``, once it is known to stay inside the
  /// package root after `..` and symbolic links are resolved.
  static func path(_ relativePath: String) throws(OutsideRepository) -> String {
    let resolved = resolvingLinks(folder.appendingPathComponent(relativePath).standardizedFileURL)
    let root = packageRoot.path.hasSuffix("/") ? packageRoot.path : packageRoot.path + "/"
    guard !relativePath.hasPrefix("/"), resolved.hasPrefix(root) else {
      throw OutsideRepository(requested: relativePath, resolved: resolved)
    }
    return resolved
  }

  /// `url` with `..` removed and every symbolic link of its longest existing prefix resolved:
  /// Foundation resolves links only in a path that exists, and a missing fixture under a link
  /// that points out must still be refused.
  private static func resolvingLinks(_ url: URL) -> String {
    var existing = url
    var missing: [String] = []
    while !FileManager.default.fileExists(atPath: existing.path), existing.pathComponents.count > 1
    {
      missing.insert(existing.lastPathComponent, at: 0)
      existing.deleteLastPathComponent()
    }
    var resolved = existing.resolvingSymlinksInPath()
    for component in missing { resolved.appendPathComponent(component) }
    return resolved.standardizedFileURL.path
  }
}
