import Foundation

/// Throw-away TLS material for tests: scripts/make-test-certs.sh (a CA and certificates
/// `server`, `expired`, `wrong-name`, `other-server`, `client`, ... with their keys) run into
/// a new temporary directory. The caller removes the directory (keys are never committed).
public enum TestCertificates {
    /// The script failed, or did not write what it should.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The repository root (this file is Tests/TestSupport/TestCertificates.swift).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// Runs scripts/make-test-certs.sh into a new directory `PREFIX-<pid>-<random>` under the
    /// temporary directory; returns its path.
    public static func make(prefix: String = "cacipher-tls") throws -> String {
        let dir = NSTemporaryDirectory() + "\(prefix)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [repositoryRoot + "/scripts/make-test-certs.sh", dir]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0, FileManager.default.fileExists(atPath: dir + "/wrong-name.pem") else {
            throw Failure(description: "make-test-certs.sh failed (\(p.terminationStatus))")
        }
        return dir
    }
}
