import Foundation
import XCTest
@testable import CACipherCore
import HostProtocol
#if canImport(Glibc)
import Glibc
#endif

/// A hostile HSM for typed calls: answers `NC` properly (so the member is admitted) and
/// every other command with a payload the test scripts (response code, error code and
/// fields, after the echoed header). One thread per connection, 127.0.0.1, an ephemeral
/// port; every wait bounded; `close()` stops it.
final class ScriptedHSM: @unchecked Sendable {
    let port: UInt16
    private let listenFD: Int32
    private let lock = NSLock()
    private var running = true
    private let threads = DispatchGroup()
    private let reply: @Sendable (String) -> [UInt8]

    init(reply: @escaping @Sendable (String) -> [UInt8]) throws {
        self.reply = reply
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, "127.0.0.1", &a.sin_addr)
        let rc = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0, listen(fd, 16) == 0 else { Glibc.close(fd); throw POSIXError(.EADDRINUSE) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = UInt16(bigEndian: a.sin_port)
        listenFD = fd
        spawn { [self] in acceptLoop() }
    }

    deinit { close() }

    func close() {
        let was = lock.withLock { () -> Bool in let r = running; running = false; return r }
        if was { _ = Glibc.shutdown(listenFD, Int32(SHUT_RDWR)) }
        _ = threads.wait(timeout: .now() + 5)
    }

    private var isRunning: Bool { lock.withLock { running } }

    private func spawn(_ body: @escaping () -> Void) {
        threads.enter()
        let t = Thread { body(); self.threads.leave() }
        t.start()
    }

    private func acceptLoop() {
        defer { Glibc.close(listenFD) }
        while isRunning {
            var pfd = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 20) > 0 else { continue }
            let c = accept(listenFD, nil, nil)
            guard c >= 0 else { continue }
            spawn { [self] in serve(c) }
        }
    }

    private func serve(_ fd: Int32) {
        defer { Glibc.close(fd) }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while isRunning {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, 20)
            if ready == 0 { continue }
            if ready < 0 { return }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return }
            buffer.append(contentsOf: chunk[0..<n])
            while buffer.count >= 2 {
                let length = Int(buffer[0]) << 8 | Int(buffer[1])
                guard buffer.count >= 2 + length, length >= 4 else { break }
                let body = Array(buffer[2..<(2 + length)])
                buffer.removeFirst(2 + length)
                let header = Array(body[0..<2])
                let cmd = String(decoding: body[2..<4], as: UTF8.self)
                let payload = cmd == "NC"
                    ? Array("ND0008D7B4FB629D0885SCRIPTED-HSM            SN0000000001".utf8)
                    : reply(cmd)
                let out = [UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + header + payload
                var off = 0
                while off < out.count {
                    let w = out.withUnsafeBytes { send(fd, $0.baseAddress! + off, out.count - off, Int32(MSG_NOSIGNAL)) }
                    if w <= 0 { return }
                    off += w
                }
            }
        }
    }
}

/// Typed calls against replies that are well framed but malformed inside (docs/hardening.md):
/// each must be `CACIPHER_E_BAD_FRAME` (or the HSM's code), never a success built from garbage.
final class HardeningReplyTests: XCTestCase {
    private func client(_ hsm: ScriptedHSM) -> CACipherClient {
        var c = CACipherConfig()
        c.logger.categories = []
        var h = HostConfig(section: "HOST1", host: "127.0.0.1", port: Int(hsm.port))
        h.linkNum = -1
        h.connTimeoutMs = 1000
        h.readTimeoutMs = 1000
        h.headerLength = 2
        c.hosts = [h]
        return CACipherClient(config: c, logSink: nil)
    }

    private func assertBadFrame(_ what: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) {
        do {
            try body()
            XCTFail("\(what): no error, expected CACIPHER_E_BAD_FRAME", file: file, line: line)
        } catch let e as CACipherError {
            XCTAssertEqual(e.code, CACipherError.Code.badFrame.rawValue, "\(what): \(e.message)", file: file, line: line)
        } catch {
            XCTFail("\(what): unexpected \(error)", file: file, line: line)
        }
    }

    private let tak = KeyField(text: "U0B7C6F68A38FA3C2CB42C2991576A986")!
    private let data = Array("0123456789ABCDEF".utf8)

    /// M9 / E8 have no fields. A `00` followed by bytes used to be taken as "verified".
    func testVerifyRepliesWithFieldsAreBadFrames() throws {
        for tail in ["X", "0123456789ABCDEF", "9999FFFF"] {
            let hsm = try ScriptedHSM { cmd in
                let b = Array(cmd.utf8)
                return [b[0], b[1] &+ 1] + Array(("00" + tail).utf8)
            }
            defer { hsm.close() }
            let c = client(hsm)
            defer { c.close() }
            assertBadFrame("M8 + \(tail)") {
                _ = try c.verifyMAC(key: tak, algorithm: .alg3, padding: .none, data: data, mac: [UInt8](repeating: 0, count: 8))
            }
            assertBadFrame("E6 + \(tail)") {
                _ = try c.sm2Verify(publicKey: .value([UInt8](repeating: 1, count: 64)), data: data,
                                    signature: [UInt8](repeating: 2, count: 64))
            }
        }
    }

    /// The clean answers still work: `00` = true, `01` = false, other codes thrown.
    func testVerifyRepliesWithoutFields() throws {
        for (code, expected) in [("00", true), ("01", false)] {
            let hsm = try ScriptedHSM { cmd in let b = Array(cmd.utf8); return [b[0], b[1] &+ 1] + Array(code.utf8) }
            defer { hsm.close() }
            let c = client(hsm)
            defer { c.close() }
            XCTAssertEqual(try c.verifyMAC(key: tak, algorithm: .alg3, padding: .none, data: data, mac: [UInt8](repeating: 0, count: 8)), expected)
        }
        let hsm = try ScriptedHSM { cmd in let b = Array(cmd.utf8); return [b[0], b[1] &+ 1] + Array("15".utf8) }
        defer { hsm.close() }
        let c = client(hsm)
        defer { c.close() }
        XCTAssertThrowsError(try c.verifyMAC(key: tak, algorithm: .alg3, padding: .none, data: data, mac: [UInt8](repeating: 0, count: 8))) {
            XCTAssertEqual(($0 as? CACipherError)?.code, 15)
        }
    }

    /// Huge or missing fields inside `00` replies of typed calls: bad frames, no crash.
    func testMalformedFieldsInTypedReplies() throws {
        for tail in ["9999FFFF0123456789ABCDEF", "U0B7C6F68A38FA3C2CB42C2991576A986", "", "\u{7F}\u{01}\u{FF}"] {
            let hsm = try ScriptedHSM { cmd in let b = Array(cmd.utf8); return [b[0], b[1] &+ 1] + Array(("00" + tail).utf8) }
            defer { hsm.close() }
            let c = client(hsm)
            defer { c.close() }
            assertBadFrame("A0 + \(tail)") { _ = try c.generateKey(type: .zpk, scheme: .doubleVariant) }
            assertBadFrame("CR + \(tail)") { _ = try c.random(count: 16) }
            assertBadFrame("3C + \(tail)") { _ = try c.hash(data, algorithm: .sha256) }
            assertBadFrame("E4 + \(tail)") { _ = try c.sm2Decrypt(privateKey: .value([UInt8](repeating: 3, count: 32)), ciphertext: [UInt8](repeating: 4, count: 120)) }
            assertBadFrame("M6 + \(tail)") { _ = try c.generateMAC(key: tak, algorithm: .alg3, padding: .none, data: data) }
            assertBadFrame("NG + \(tail)") { _ = try c.decryptPINDigits([UInt8](repeating: 5, count: 8), account: "987654321098") }
        }
    }
}
