import Foundation
import XCTest
@testable import CACipherCore

final class LogTests: XCTestCase {
    func testCategoriesOffNeverBuildTheMessage() {
        let sink = MemoryLogSink()
        let log = Log(categories: [.error, .warn], sink: sink)
        var built = 0
        func message(_ s: String) -> String { built += 1; return s }
        log.info(message("info"))
        log.debug(message("debug"))
        log.trace(message("trace"))
        XCTAssertEqual(built, 0)
        log.error(message("e"))
        log.warn(message("w"))
        XCTAssertEqual(built, 2)
        XCTAssertEqual(sink.messages, ["e", "w"])
        XCTAssertEqual(sink.lines.map(\.category), [.error, .warn])
        Log.off.error(message("never"))
        XCTAssertEqual(built, 2)
    }

    func testLogswKeywords() {
        XCTAssertEqual(try LogCategories.parse("error,debug,info,warn").get(), [.error, .debug, .info, .warn])
        XCTAssertEqual(try LogCategories.parse(" TRACE , Error ").get(), [.trace, .error])
        XCTAssertEqual(try LogCategories.parse("").get(), [])
        XCTAssertEqual(try LogCategories.parse(",,").get(), [])
        XCTAssertEqual(LogCategories.parse("error, loud"), .failure(LogCategories.UnknownWord(word: "loud")))
        XCTAssertEqual(LogCategories([.error, .trace]).logsw, "error,trace")
        for (word, c) in LogCategories.keywords { XCTAssertEqual(c.keyword, word) }
    }

    private func today() -> String {
        let t = LogClock.now()
        return FileLogSink.fileName(year: t.year, month: t.month, day: t.day)
    }

    func testFileSinkNamesFileByDateAndFormatsLines() throws {
        let dir = try TempDir()
        let sink = try FileLogSink(directory: dir.path)
        let name = today()
        XCTAssertTrue(name.hasPrefix("cacipher-") && name.hasSuffix(".log") && name.count == "cacipher-YYYYMMDD.log".count)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.path + "/" + name), "created at open")
        sink.write(.info, "hello world")
        sink.write(.error, "two\nlines\rin one")
        let text = try String(contentsOfFile: dir.path + "/" + name, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 3, text) // two lines and the final empty piece
        let pattern = #"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} \[(info|error)\] \[\d+\] "#
        for l in lines.dropLast() {
            XCTAssertNotNil(l.range(of: pattern, options: .regularExpression), String(l))
        }
        XCTAssertTrue(lines[0].hasSuffix("[info] [\(LogClock.threadID())] hello world"), String(lines[0]))
        XCTAssertTrue(lines[1].hasSuffix("two lines in one"), String(lines[1]))
    }

    func testFileSinkAppendsToAnExistingFile() throws {
        let dir = try TempDir()
        try FileLogSink(directory: dir.path).write(.warn, "first")
        try FileLogSink(directory: dir.path + "/").write(.warn, "second")
        let text = try String(contentsOfFile: dir.path + "/" + today(), encoding: .utf8)
        XCTAssertTrue(text.contains("first") && text.contains("second"), text)
    }

    func testNewFileWhenTheDateChanges() throws {
        let dir = try TempDir()
        let sink = try FileLogSink(directory: dir.path)
        let d1 = LogClock.Stamp(year: 2030, month: 1, day: 31, hour: 23, minute: 59, second: 59, millisecond: 999)
        let d2 = LogClock.Stamp(year: 2030, month: 2, day: 1, hour: 0, minute: 0, second: 0, millisecond: 1)
        sink.write(.error, "before midnight", at: d1)
        sink.write(.error, "after midnight", at: d2)
        let a = try String(contentsOfFile: dir.path + "/cacipher-20300131.log", encoding: .utf8)
        let b = try String(contentsOfFile: dir.path + "/cacipher-20300201.log", encoding: .utf8)
        XCTAssertTrue(a.hasPrefix("2030-01-31 23:59:59.999 [error]") && a.contains("before midnight"), a)
        XCTAssertFalse(a.contains("after midnight"))
        XCTAssertTrue(b.hasPrefix("2030-02-01 00:00:00.001 [error]") && b.contains("after midnight"), b)
    }

    /// `.fixed` (the vendor C API's `TassHsmApi.log`): one file of that name, no date in it,
    /// appended to across the date change; at the size limit it is renamed to
    /// `<name><HH:MM:SS>` before the next line, which starts a new file.
    func testFixedNameFileRotatesAtItsSize() throws {
        let dir = try TempDir()
        let sink = try FileLogSink(directory: dir.path, naming: .fixed("TassHsmApi.log", rotateBytes: 200))
        let path = dir.path + "/TassHsmApi.log"
        XCTAssertTrue(FileManager.default.fileExists(atPath: path), "created at open")
        let d1 = LogClock.Stamp(year: 2030, month: 1, day: 31, hour: 23, minute: 59, second: 58, millisecond: 0)
        let d2 = LogClock.Stamp(year: 2030, month: 2, day: 1, hour: 12, minute: 34, second: 56, millisecond: 0)
        sink.write(.error, String(repeating: "a", count: 60), at: d1)
        sink.write(.error, String(repeating: "b", count: 60), at: d2)   // 2 x ~100 bytes: reaches 200
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + "/cacipher-20300201.log"))
        sink.write(.error, "after the limit", at: d2)
        let rotated = try String(contentsOfFile: path + "12:34:56", encoding: .utf8)
        XCTAssertTrue(rotated.contains("aaaa") && rotated.contains("bbbb") && !rotated.contains("after the limit"), rotated)
        let current = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(current.hasPrefix("2030-02-01 12:34:56.000 [error]") && current.contains("after the limit"), current)
    }

    /// `.fixed`: a file moved away by someone else (another process's rotation, logrotate) is
    /// reopened by name; the line goes to the new file.
    func testFixedNameFileMovedAwayIsReopened() throws {
        let dir = try TempDir()
        let sink = try FileLogSink(directory: dir.path, naming: .fixed("TassHsmApi.log", rotateBytes: 1 << 20))
        let path = dir.path + "/TassHsmApi.log"
        sink.write(.error, "first")
        XCTAssertEqual(rename(path, path + ".old"), 0)
        sink.write(.error, "second")
        let old = try String(contentsOfFile: path + ".old", encoding: .utf8)
        let now = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(old.contains("first") && !old.contains("second"), old)
        XCTAssertTrue(now.contains("second") && !now.contains("first"), now)
    }

    /// `cacipher.ini`: a logPath that does not exist is a clear init error, nothing is created.
    func testMissingDirectoryIsALogSetupErrorAndNotCreated() throws {
        let dir = try TempDir()
        assertConfigError(.logSetup, mentions: ["does-not-exist", "(logPath) does not exist"]) {
            try FileLogSink(directory: dir.path + "/does-not-exist/log/")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + "/does-not-exist"))
    }

    /// The vendor's C API (`createMissing`): a missing directory is created with its parents.
    func testMissingDirectoryIsCreatedWithItsParentsWhenAsked() throws {
        let dir = try TempDir()
        let sink = try FileLogSink(directory: dir.path + "/a/b//c/", createMissing: true)
        sink.write(.error, "into a new directory")
        for sub in ["/a", "/a/b", "/a/b/c"] {
            var st = stat()
            XCTAssertEqual(stat(dir.path + sub, &st), 0, sub)
            XCTAssertEqual(st.st_mode & S_IFMT, S_IFDIR, sub)
            // 0750 less the umask: never more than 0750, the owner always rwx.
            XCTAssertEqual(st.st_mode & 0o7777 & ~0o750, 0, "\(sub): \(String(st.st_mode & 0o7777, radix: 8))")
            XCTAssertEqual(st.st_mode & 0o700, 0o700, sub)
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/a/b/c")
        XCTAssertEqual(files.count, 1)
        // Relative paths too (the vendor's example is ./log/), and an existing one is kept.
        let cwd = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(dir.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(cwd) }
        _ = try FileLogSink(directory: "./log/", createMissing: true)
        _ = try FileLogSink(directory: "./log/", createMissing: true)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/log").count, 1)
    }

    func testMissingOrUnusableDirectoryIsALogSetupError() throws {
        let dir = try TempDir()
        let file = try dir.write("plain", "x")
        // A directory that cannot be created (below a plain file) names the path and why.
        assertConfigError(.logSetup, mentions: ["plain/does-not-exist", "(logPath) cannot be used", "Not a directory"]) {
            try FileLogSink(directory: file + "/does-not-exist/sub", createMissing: true)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: file + "/does-not-exist"))
        // Not even root can create directories in /proc.
        assertConfigError(.logSetup, mentions: ["/proc/cacipher-no-such/log", "cannot create"]) {
            try FileLogSink(directory: "/proc/cacipher-no-such/log", createMissing: true)
        }
        assertConfigError(.logSetup, mentions: ["not a directory"]) { try FileLogSink(directory: file) }
        assertConfigError(.logSetup, mentions: ["empty"]) { try FileLogSink(directory: "") }
        // No files can be created in /proc, not even by root.
        assertConfigError(.logSetup, mentions: ["/proc"]) { try FileLogSink(directory: "/proc") }
    }

    func testManyThreadsWritingKeepEveryLineWhole() throws {
        let dir = try TempDir()
        let sink = try FileLogSink(directory: dir.path)
        let threads = 8, perThread = 400
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for i in 0..<perThread {
                // Lengths from a few bytes to several KiB, so writes are not trivially atomic.
                let body = String(repeating: Character(UnicodeScalar(UInt8(0x61 + t))), count: (i * 37) % 5000)
                sink.write(.debug, "t\(t) i\(i) <\(body)> end")
            }
        }
        let text = try String(contentsOfFile: dir.path + "/" + today(), encoding: .utf8)
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.count, threads * perThread)
        var seen = Set<String>()
        for l in lines {
            guard let open = l.range(of: "] t"), let lt = l.range(of: " <"), let gt = l.range(of: "> end") else {
                XCTFail("torn line: \(l.prefix(120))"); continue
            }
            let id = String(l[open.upperBound..<lt.lowerBound]) // "3 i17"
            let body = l[lt.upperBound..<gt.lowerBound]
            let parts = id.split(separator: " ")
            guard parts.count == 2, let t = Int(parts[0]), let i = Int(parts[1].dropFirst()) else {
                XCTFail("bad id in \(l.prefix(120))"); continue
            }
            XCTAssertEqual(body.count, (i * 37) % 5000)
            XCTAssertTrue(body.allSatisfy { $0 == Character(UnicodeScalar(UInt8(0x61 + t))) })
            seen.insert(id)
        }
        XCTAssertEqual(seen.count, threads * perThread)
    }

    func testFrameMaskingShowsCodesAndLengthsOnly() {
        let secret = Array("U0123456789ABCDEF0123456789ABCDEF".utf8)
        let request = Array("00000000".utf8) + Array("A6".utf8) + Array("001".utf8) + secret
        let r = FrameMasking.render(request, headerLength: 8, .request)
        XCTAssertEqual(r, "request len=\(request.count) hdr=8 cmd=A6 fields=*(\(3 + secret.count))")
        XCTAssertFalse(r.contains("0123456789ABCDEF"))

        let response = Array("A7".utf8) + Array("00".utf8) + secret + Array("1234567890ABCDEF".utf8)
        let s = FrameMasking.render(response, headerLength: 0, .response)
        XCTAssertEqual(s, "response len=\(response.count) hdr=0 rsp=A7 err=00 fields=*(\(secret.count + 16))")
        XCTAssertFalse(s.contains("0123456789ABCDEF") || s.contains("1234567890"))

        XCTAssertEqual(FrameMasking.render([0x01, 0xFF, 0x41], headerLength: 0, .request), "request len=3 hdr=0 cmd=<0x01FF> fields=*(1)")
        XCTAssertEqual(FrameMasking.render(Array("0000N".utf8), headerLength: 4, .request), "request len=5 hdr=4 (short frame) data=*(1)")
        XCTAssertEqual(FrameMasking.render(Array("ND0".utf8), headerLength: 0, .response), "response len=3 hdr=0 rsp=ND (short frame) fields=*(1)")
        XCTAssertEqual(FrameMasking.render([UInt8](), headerLength: 8, .response), "response len=0 hdr=8 (short frame) data=*(0)")
    }
}
