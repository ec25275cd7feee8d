import Foundation

/// A temporary directory removed (with what is in it) when the value goes away.
public final class TempDir {
    public let path: String

    /// Makes a new directory `cacipher-test-<UUID>` under the system's temporary directory.
    public init() throws {
        path = NSTemporaryDirectory() + "cacipher-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` (UTF-8) to `name` in the directory; returns the file's path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        try write(name, Data(text.utf8))
    }

    /// Writes `data` to `name` in the directory; returns the file's path.
    @discardableResult
    public func write(_ name: String, _ data: Data) throws -> String {
        let p = path + "/" + name
        try data.write(to: URL(fileURLWithPath: p))
        return p
    }
}
