/// The library version (semantic versioning). `make install` uses the same number for the
/// shared object's file name and `cacipher.pc`; the soname carries the major number.
public enum CACipherVersion {
    public static let major = 0
    public static let minor = 1
    public static let patch = 0
    public static var string: String { "\(major).\(minor).\(patch)" }
}
