import Foundation
import XCTest
@testable import CACipherCore
import HostProtocol
#if canImport(Glibc)
import Glibc
#endif

/// A hostile HSM for typed calls: a `FakeHSM` (header length 2) that answers `NC` properly
/// (so the member is admitted) and every other command with a payload the test scripts
/// (response code, error code and fields, after the echoed header).
func scriptedHSM(reply: @escaping @Sendable (String) -> [UInt8]) throws -> FakeHSM {
    let hsm = try FakeHSM(dmk: "08D7B4FB629D0885", headerLength: 2)
    hsm.script = reply
    return hsm
}

/// Typed calls against replies that are well framed but malformed inside (docs/hardening.md):
/// each must be `CACIPHER_E_BAD_FRAME` (or the HSM's code), never a success built from garbage.
final class HardeningReplyTests: XCTestCase {
    private func client(_ hsm: FakeHSM) -> CACipherClient {
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
            let hsm = try scriptedHSM { cmd in
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
            let hsm = try scriptedHSM { cmd in let b = Array(cmd.utf8); return [b[0], b[1] &+ 1] + Array(code.utf8) }
            defer { hsm.close() }
            let c = client(hsm)
            defer { c.close() }
            XCTAssertEqual(try c.verifyMAC(key: tak, algorithm: .alg3, padding: .none, data: data, mac: [UInt8](repeating: 0, count: 8)), expected)
        }
        let hsm = try scriptedHSM { cmd in let b = Array(cmd.utf8); return [b[0], b[1] &+ 1] + Array("15".utf8) }
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
            let hsm = try scriptedHSM { cmd in let b = Array(cmd.utf8); return [b[0], b[1] &+ 1] + Array(("00" + tail).utf8) }
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
