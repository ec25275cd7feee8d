// The version vsmctl reports (`--version`): the release's number, the same as the library's
// (CACipherVersion; `make test-version` checks both against VERSION).

/// The version of the operator's tools.
public enum OperatorVersion {
    public static let string = "0.1.0"
}
