/// The version of the FailSafe library, as printed by `failsafe --version`.
public enum FailSafeVersion {
  /// The semantic version of this build of the library.
  public static let current = "0.1.0"
}
