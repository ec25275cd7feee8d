import Foundation
import XCTest
@testable import CACipherCore
#if canImport(Glibc)
import Glibc
#endif

/// Configuration paths that are not plain files never hang the caller (docs/hardening.md).
final class HardeningConfigTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws {
        var t = Array("\(NSTemporaryDirectory())/cacipher-hardening-XXXXXX".utf8CString)
        guard let p = mkdtemp(&t) else { throw POSIXError(.EIO) }
        dir = String(cString: p)
    }

    override func tearDown() {
        if !dir.isEmpty { try? FileManager.default.removeItem(atPath: dir) }
    }

    /// Runs `body` on a thread and fails (instead of hanging the suite) if it has not
    /// returned within `seconds`.
    private func bounded(_ seconds: Int, _ what: String, _ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        Thread { body(); done.signal() }.start()
        if done.wait(timeout: .now() + .seconds(seconds)) == .timedOut {
            XCTFail("\(what) did not return within \(seconds) s")
        }
    }

    /// A FIFO nobody writes to: opening it for reading used to block forever.
    func testFIFOWithoutWriterDoesNotHang() throws {
        let path = dir + "/cacipher.fifo"
        XCTAssertEqual(mkfifo(path, 0o600), 0)
        let result = LockedBox<Result<CACipherConfig, Error>?>(nil)
        bounded(ConfigFileReader.waitSeconds + 3, "ConfigParser.parse(file:) on a FIFO without a writer") {
            result.value = Result { try ConfigParser.parse(file: path) }
        }
        guard case .failure(let e as CACipherError)? = result.value else {
            if result.value != nil { XCTFail("a FIFO without a writer gave a configuration or an unexpected error") }
            // unblock the stuck reader so the thread can end
            let fd = open(path, O_WRONLY | O_NONBLOCK)
            if fd >= 0 { close(fd) }
            return
        }
        XCTAssertTrue([CACipherError.Code.config.rawValue, CACipherError.Code.configFile.rawValue].contains(e.code), e.message)
    }

    /// A FIFO whose writer opens it a little later still works (as `<(cat cacipher.ini)`).
    func testFIFOWithLateWriterIsRead() throws {
        let path = dir + "/cacipher.pipe"
        XCTAssertEqual(mkfifo(path, 0o600), 0)
        let text = "[HOST1]\nhost=127.0.0.1\nport=8018\n"
        let writer = Thread {
            usleep(300_000)   // the reader is already waiting
            let fd = open(path, O_WRONLY)
            guard fd >= 0 else { return }
            _ = text.withCString { write(fd, $0, strlen($0)) }
            close(fd)
        }
        writer.start()
        let result = LockedBox<Result<CACipherConfig, Error>?>(nil)
        bounded(8, "ConfigParser.parse(file:) on a FIFO whose writer comes") {
            result.value = Result { try ConfigParser.parse(file: path) }
        }
        let cfg = try XCTUnwrap(result.value).get()
        XCTAssertEqual(cfg.hosts.first?.port, 8018)
    }
}

/// A value shared with a worker thread.
final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var _value: T
    init(_ v: T) { _value = v }
    var value: T {
        get { lock.withLock { _value } }
        set { lock.withLock { _value = newValue } }
    }
}
