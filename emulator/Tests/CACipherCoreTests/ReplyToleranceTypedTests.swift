import Foundation
import XCTest
@testable import CACipherCore
import HostProtocol

/// The typed calls against a `FakeHSM` whose replies carry a KCV of 6H, 8H or 16H (docs/wire.md
/// "A shorter KCV in a reply"): each returns the KCV as received; any other length, or a
/// reply cut short or too long, is `CACIPHER_E_BAD_FRAME`. And `NG` in the payShield layout.
final class ReplyToleranceTypedTests: XCTestCase {
    static let kcvHex = "0123456789ABCDEF"
    static let uHex = "U" + String(repeating: "AB", count: 16)
    static let xHex = "X" + String(repeating: "CD", count: 16)
    static let raw4 = "0004" + "\u{01}\u{02}\u{03}\u{04}"

    /// The fields before the KCV in the reply to each command (after `00`).
    static let before: [String: String] = [
        "A0": uHex, "A6": uHex, "A8": xHex, "A4": uHex, "BU": "", "AN": uHex, "AM": uHex, "KR": uHex, "KD": uHex,
        "SH": "0010" + String(repeating: "EF", count: 16), "SI": uHex, "TV": raw4, "TW": uHex, "TX": raw4, "TY": uHex,
    ]

    let u = KeyField.encrypted(scheme: .doubleVariant, material: [UInt8](repeating: 0xAB, count: 16))
    let x = KeyField.encrypted(scheme: .doubleX917, material: [UInt8](repeating: 0xCD, count: 16))

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

    /// A stand-in answering every command of `before` with its fields and then `tail`.
    private func hsm(tail: @escaping @Sendable (String) -> String) throws -> FakeHSM {
        try scriptedHSM { cmd in
            let b = Array(cmd.utf8)
            return [b[0], b[1] &+ 1] + Array(("00" + (Self.before[cmd] ?? "") + tail(cmd)).utf8)
        }
    }

    /// Every typed call whose reply ends with a KCV: its name and the KCV it returned.
    private func calls(_ c: CACipherClient) -> [(String, () throws -> [UInt8])] {
        [
            ("A0", { try c.generateKey(type: .zpk, scheme: .doubleVariant).checkValue }),
            ("A6", { try c.importKey(type: .zpk, zmk: self.u, keyUnderZMK: self.x, scheme: .doubleVariant).checkValue }),
            ("A8", { try c.exportKey(type: .zpk, zmk: self.u, key: self.u, scheme: .doubleX917).checkValue }),
            ("A4", { try c.formKey(type: .zpk, scheme: .doubleVariant, components: [self.u, self.u]).checkValue }),
            ("BU", { try c.keyCheckValue(type: .zpk, key: self.u) }),
            ("AN", { try c.convertKeyType(sourceType: .zpk, key: self.u, to: .zak, scheme: .doubleVariant).checkValue }),
            ("AM", { try c.formKeyFromClearComponents(type: .zpk, scheme: .doubleVariant,
                                                      components: [[UInt8](repeating: 1, count: 16), [UInt8](repeating: 2, count: 16)]).checkValue }),
            ("KR", { try c.generateAndStoreKey(type: .zpk, scheme: .doubleVariant).checkValue }),
            ("KD", { try c.deriveKey(sourceType: .mkAC, source: self.u, type: .mkAC, scheme: .doubleVariant,
                                     factors: [[UInt8](repeating: 3, count: 8)]).checkValue }),
            ("SH", { try c.exportKeyUnderProtection(ICProtectionKey(keyType: .zmk, key: self.u), type: .zpk, key: self.u).checkValue }),
            ("SI", { try c.importKeyUnderProtection(ICProtectionKey(keyType: .zmk, key: self.u), type: .zpk, scheme: .doubleVariant,
                                                    cryptogram: [UInt8](repeating: 4, count: 16)).checkValue }),
            ("TV", { try c.rsaExportSymmetricKey(type: .zpk, key: self.u, publicKey: .stored(index: 1)).checkValue }),
            ("TW", { try c.rsaImportSymmetricKey(type: .zpk, scheme: .doubleVariant, cryptogram: [UInt8](repeating: 5, count: 128),
                                                 privateKey: .stored(index: 1)).checkValue }),
            ("TX", { try c.sm2ExportSymmetricKey(type: .zmk, key: self.u, publicKey: .stored(index: 1)).checkValue }),
            ("TY", { try c.sm2ImportSymmetricKey(type: .zpk, scheme: .doubleVariant, keyUnderSM2: [UInt8](repeating: 6, count: 113),
                                                 privateKey: .stored(index: 1)).checkValue }),
        ]
    }

    func testEveryKeyReplyTakesSixEightOrSixteenHexAsReceived() throws {
        for n in [6, 8, 16] {
            let kcv = String(Self.kcvHex.prefix(n))
            let h = try hsm { _ in kcv }
            defer { h.close() }
            let c = client(h)
            defer { c.close() }
            for (cmd, call) in calls(c) {
                XCTAssertEqual(try call(), Hex.decode(Array(kcv.utf8)), "\(cmd) with a \(n)H KCV")
            }
        }
    }

    func testOtherLengthsTruncationsAndOverlongRepliesAreBadFrames() throws {
        for tail in ["", "0123", "01234", "0123456789", "0123456789ABCD", "0123456789ABCDEF0", "0123456789ABCDEF01", "0123456G", "0123456789ABCDEF0123456789ABCDEF01"] {
            let h = try hsm { _ in tail }
            defer { h.close() }
            let c = client(h)
            defer { c.close() }
            for (cmd, call) in calls(c) {
                XCTAssertThrowsError(try call(), "\(cmd) + \(tail.count) characters") { e in
                    XCTAssertEqual((e as? CACipherError)?.code, CACipherError.Code.badFrame.rawValue, "\(cmd): \(e)")
                    if tail.count >= 4 { XCTAssertFalse(String(describing: e).contains(tail), "the message carries no reply data") }
                }
            }
        }
    }

    /// Cut short inside the fields before the KCV: a bad frame too.
    func testRepliesCutInsideTheirFieldsAreBadFrames() throws {
        for cut in [1, 5, 20] {
            let h = try scriptedHSM { cmd in
                let b = Array(cmd.utf8)
                let f = Array((Self.before[cmd] ?? "").utf8)
                return [b[0], b[1] &+ 1] + Array("00".utf8) + Array(f.prefix(max(0, f.count - cut)))
            }
            defer { h.close() }
            let c = client(h)
            defer { c.close() }
            for (cmd, call) in calls(c) where cmd != "BU" {
                XCTAssertThrowsError(try call(), "\(cmd) cut by \(cut)") { e in
                    XCTAssertEqual((e as? CACipherError)?.code, CACipherError.Code.badFrame.rawValue, "\(cmd): \(e)")
                }
            }
        }
    }

    /// `A0` mode 1 with an 8H KCV; mode 0 with more than a KCV after the key (an overlong KCV
    /// that decodes as a key under a ZMK) is refused.
    func testGenerateKeyModes() throws {
        let mode1 = try scriptedHSM { cmd in Array(("A100" + Self.uHex + Self.xHex + "89ABCDEF").utf8) }
        defer { mode1.close() }
        let c1 = client(mode1)
        defer { c1.close() }
        let g = try c1.generateKey(type: .zpk, scheme: .doubleVariant, exportUnder: u)
        XCTAssertEqual(g.keyUnderZMK, x)
        XCTAssertEqual(g.checkValue, [0x89, 0xAB, 0xCD, 0xEF])
        // The same reply to a mode 0 request: a key under a ZMK nobody asked for.
        XCTAssertThrowsError(try c1.generateKey(type: .zpk, scheme: .doubleVariant)) { e in
            XCTAssertEqual((e as? CACipherError)?.code, CACipherError.Code.badFrame.rawValue, "\(e)")
        }
        let overlong = try scriptedHSM { _ in Array(("A100" + Self.uHex + Self.kcvHex + "01234567").utf8) }
        defer { overlong.close() }
        let c0 = client(overlong)
        defer { c0.close() }
        XCTAssertThrowsError(try c0.generateKey(type: .zpk, scheme: .doubleVariant)) { e in
            XCTAssertEqual((e as? CACipherError)?.code, CACipherError.Code.badFrame.rawValue, "\(e)")
        }
    }

    /// A bare single-DES key and an 8H KCV is a well-formed key reply: taken when single DES
    /// was asked for, refused (never handed out as the weaker key) when a double-length or an
    /// SM4 key was, by every call whose request names the scheme.
    func testGeneratedKeyMustBeOfTheSchemeAskedFor() throws {
        let h = try scriptedHSM { cmd in
            let b = Array(cmd.utf8)
            return [b[0], b[1] &+ 1] + Array("009999FFFF0123456789ABCDEF".utf8)
        }
        defer { h.close() }
        let c = client(h)
        defer { c.close() }
        let single = KeyField.encrypted(scheme: .singleDES, material: [0x99, 0x99, 0xFF, 0xFF, 0x01, 0x23, 0x45, 0x67])
        XCTAssertEqual(try c.generateKey(type: .zpk, scheme: .singleDES).keyUnderLMK, single)
        XCTAssertEqual(try c.generateKey(type: .zpk, scheme: .singleDES).checkValue, [0x89, 0xAB, 0xCD, 0xEF])
        XCTAssertEqual(try c.generateAndStoreKey(type: .zpk, scheme: .singleDES).key, single)
        for scheme in [KeyScheme.doubleVariant, .doubleX917, .tripleVariant, .sm4] {
            for (what, call) in [("A0", { _ = try c.generateKey(type: .zpk, scheme: scheme) }),
                                 ("KR", { _ = try c.generateAndStoreKey(type: .zpk, scheme: scheme) })] as [(String, () throws -> Void)] {
                XCTAssertThrowsError(try call(), "\(what) \(scheme)") { e in
                    XCTAssertEqual((e as? CACipherError)?.code, CACipherError.Code.badFrame.rawValue, "\(e)")
                    XCTAssertTrue(String(describing: e).contains("not of the scheme asked for"), "\(e)")
                }
            }
        }
        // Every call of `calls` (all ask for U or X keys): a bad frame.
        for (cmd, call) in calls(c) {
            XCTAssertThrowsError(try call(), cmd) { e in
                XCTAssertEqual((e as? CACipherError)?.code, CACipherError.Code.badFrame.rawValue, "\(cmd): \(e)")
            }
        }
    }

    // MARK: NG

    func testDecryptPINTakesTheTASSAndThePayShieldLayout() throws {
        let pinUnderLMK = [UInt8](repeating: 0x11, count: 8)
        let account = "123456789012"
        for (reply, pin) in [("1234", "1234"), ("123456", "123456"), ("1234F", "1234"), ("1234FFFFFFFF", "1234"),
                             ("1234F000000123456", "1234"), ("123456789012F987654321098", "123456789012")] {
            let h = try scriptedHSM { _ in Array(("NH00" + reply).utf8) }
            defer { h.close() }
            let c = client(h)
            defer { c.close() }
            XCTAssertEqual(try c.decryptPIN(pinUnderLMK, account: account), pin, reply)
            XCTAssertEqual(try c.decryptPINDigits(pinUnderLMK, account: account), Array(pin.utf8), reply)
        }
        for reply in ["", "F", "1234X", "1234F12345", "1234 5678", "12345678901234567", "1234F0000001234567"] {
            let h = try scriptedHSM { _ in Array(("NH00" + reply).utf8) }
            defer { h.close() }
            let c = client(h)
            defer { c.close() }
            XCTAssertThrowsError(try c.decryptPIN(pinUnderLMK, account: account), reply) { e in
                XCTAssertEqual((e as? CACipherError)?.code, CACipherError.Code.badFrame.rawValue, "\(e)")
                XCTAssertFalse(String(describing: e).contains("1234"), "no PIN digits in the message")
            }
        }
    }
}
