import HSMNet
import XCTest

/// `AtomicFile`: the one writer of whole files (UKEY files, the emulator's sealed state,
/// the management identity).
final class AtomicFileTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "hsmnet-atomic-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    private func entries() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir).sorted() }

    func testWritesWithModeAndReplaces() throws {
        let path = dir + "/state.bin"
        try AtomicFile.write(Array("first".utf8), to: path)
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data("first".utf8))
        var st = stat()
        XCTAssertEqual(stat(path, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
        try AtomicFile.write(Array("second, longer".utf8), to: path, mode: 0o644)
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data("second, longer".utf8))
        XCTAssertEqual(stat(path, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o644)
        XCTAssertEqual(try entries(), ["state.bin"], "no temporary file is left")
    }

    func testFailedRenameLeavesTargetAndNoTemporaryFile() throws {
        // The target is a non-empty directory: rename(2) fails after the temp file was written.
        let path = dir + "/taken"
        try FileManager.default.createDirectory(atPath: path + "/inside", withIntermediateDirectories: true)
        XCTAssertThrowsError(try AtomicFile.write([1, 2, 3], to: path)) { error in
            let f = error as? AtomicFile.Failure
            XCTAssertEqual(f?.step, .rename)
            XCTAssertTrue(f?.message.hasPrefix("cannot rename to \(path): ") ?? false, "\(error)")
        }
        XCTAssertEqual(try entries(), ["taken"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path), ["inside"])
    }

    func testMissingDirectoryFailsAtCreate() throws {
        XCTAssertThrowsError(try AtomicFile.write([1], to: dir + "/no/such/file")) { error in
            let f = error as? AtomicFile.Failure
            XCTAssertEqual(f?.step, .create)
            XCTAssertTrue(f?.message.contains("No such file or directory") ?? false, "\(error)")
        }
    }
}
