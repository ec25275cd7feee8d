import XCTest
import Synchronization
@testable import TassCompat
@testable import EVSMKit
import EVSMServer

/// The vendor functions from many threads at once, on one shared session and on sessions and
/// devices of their own, against an in-process evsm (test LMK). Part of `make tsan`: the
/// vendor's library had no locking; this one must be race-free (handles table, init state,
/// the group underneath).
final class TassCompatConcurrencyTests: XCTestCase {
    var device: Device!
    var server: EVSMHostServer!
    var port = 0

    override func setUpWithError() throws {
        device = try Device(stateDirectory: nil, mode: .testLMK)
        server = EVSMHostServer()
        port = try server.start(device: device, host: "127.0.0.1", port: 0, headerLength: 0)
        let dir = FileManager.default.temporaryDirectory.path
        XCTAssertEqual(withC("127.0.0.1") { ip in withC(dir) { Tass_HsmApiInitByContent(ip, UInt32(port), 5, $0) } }, HAR.ok)
    }

    override func tearDown() {
        server?.stop()
        server = nil
        device = nil
    }

    func withC<T>(_ s: String, _ body: (CString) -> T) -> T {
        var a = Array(s.utf8CString)
        return a.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }

    func openSession() throws -> (Handle, Handle) {
        var d: Handle?
        var s: Handle?
        let rc = withC("127.0.0.1") { SDF_OpenDevice(&d, $0, Int32(port)) }
        XCTAssertEqual(rc, HAR.ok)
        XCTAssertEqual(SDF_OpenSession(d, &s), HAR.ok)
        return (try XCTUnwrap(d), try XCTUnwrap(s))
    }

    func testSixteenThreadsSharedAndOwnSessions() throws {
        let (sharedDevice, shared) = try openSession()
        defer { _ = SDF_CloseDevice(sharedDevice) }
        // K imported as a ZPK (tests/tass/harness.h fixtures).
        var zpk = [CChar](repeating: 0, count: 50)
        var kcv = [CChar](repeating: 0, count: 17)
        let rc = withC("UE13D662B185F5F3B08594F89F1FF903A") { zmk in
            withC("XF7EADC2F5D816B05E754C72C084E2244") { k in withC("001") { t in Tass_AcceptKey(shared, 0, zmk, k, t, 0x55, &zpk, &kcv) } }
        }
        XCTAssertEqual(rc, HAR.ok)
        XCTAssertEqual(String(cString: kcv), "08D7B4FB629D0885")
        let failures = Atomic<Int>(0)
        let calls = Atomic<Int>(0)
        let port = self.port
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            var session = shared
            var own: Handle?
            if i % 2 == 1 {
                var d: Handle?, s: Handle?
                var ip = Array("127.0.0.1".utf8CString)
                guard SDF_OpenDevice(&d, &ip, Int32(port)) == HAR.ok, SDF_OpenSession(d, &s) == HAR.ok, let s else {
                    failures.add(1, ordering: .relaxed)
                    return
                }
                own = d
                session = s
            }
            var z = zpk
            for round in 0..<25 {
                var pin = Array(String(format: "%04d", (i * 100 + round) % 10000).utf8CString)
                var acct = Array("987654321098".utf8CString)
                var block = [CChar](repeating: 0, count: 33)
                var back = [CChar](repeating: 0, count: 128)
                var rnd = [CChar](repeating: 0, count: 33)
                if Tass_EncryptPIN(session, 0, &z, &pin, 1, &acct, &block) != HAR.ok { failures.add(1, ordering: .relaxed) }
                if Tass_Decrypt_PIN(session, 0, &z, &block, 1, &acct, &back) != HAR.ok || String(cString: back) != String(cString: pin) {
                    failures.add(1, ordering: .relaxed)
                }
                if SDF_GenerateRandom(session, 16, &rnd) != HAR.ok || String(cString: rnd).count != 32 { failures.add(1, ordering: .relaxed) }
                calls.add(3, ordering: .relaxed)
            }
            if let own { _ = SDF_CloseDevice(own) }
        }
        XCTAssertEqual(failures.load(ordering: .relaxed), 0)
        XCTAssertEqual(calls.load(ordering: .relaxed), 16 * 25 * 3)
    }

    func testOpenAndCloseRacingWithCalls() throws {
        // Devices opened and closed on some threads while others call on their sessions:
        // every call either succeeds or reports an invalid session, never crashes.
        let unexpected = Atomic<Int>(0)
        let port = self.port
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<10 {
                var d: Handle?, s: Handle?
                var ip = Array("127.0.0.1".utf8CString)
                guard SDF_OpenDevice(&d, &ip, Int32(port)) == HAR.ok, SDF_OpenSession(d, &s) == HAR.ok else {
                    unexpected.add(1, ordering: .relaxed)
                    continue
                }
                var r = [CChar](repeating: 0, count: 17)
                if SDF_GenerateRandom(s, 8, &r) != HAR.ok { unexpected.add(1, ordering: .relaxed) }
                _ = SDF_CloseDevice(d)
                let after = SDF_GenerateRandom(s, 8, &r)
                if after != HAR.sessionHandleInvalid { unexpected.add(1, ordering: .relaxed) }
                _ = SDF_CloseSession(s)
            }
        }
        XCTAssertEqual(unexpected.load(ordering: .relaxed), 0)
    }
}
