import XCTest
@testable import CACipherCore
import HostProtocol
@testable import EVSMKit

/// `S0`, `S3`, `S4`, `S5` through the typed API, end to end over loopback (test-LMK evsm).
/// Published values: ISO/IEC 9797-1 annex B (alg 3), X9.9 (alg 1), GB/T 32907 (SM4); the
/// derivation / session values were computed with the `openssl enc` command line (see
/// Tests/EVSMKitTests/ICDataTests.swift).
final class TypedICDataTests: TypedTestCase {
    let k2 = "0123456789ABCDEFFEDCBA9876543210"
    lazy var factor = bytes("1234567890123456EDCBA98765432109")
    lazy var atc = bytes("0000000000000012")

    func testICMACKnownAnswers() throws {
        let zak = try underLMK(k2, .zak, .doubleVariant)
        XCTAssertEqual(Hex.string(try client.icGenerateMAC(key: zak, algorithm: .alg3, padding: .zeros, data: Array("Now is the time for all ".utf8))),
                       "A1C72E74EA3FA9B6")
        XCTAssertEqual(Hex.string(try client.icGenerateMAC(key: zak, algorithm: .alg3, padding: .zeros, data: Array("Now is the time for it".utf8))),
                       "2E2B1428CC78254F")
        XCTAssertEqual(Hex.string(try client.icGenerateMAC(key: zak, algorithm: .alg3, macLength: 4, padding: .zeros,
                                                           data: Array("Now is the time for it".utf8))), "2E2B1428")
        let single = try underLMK("0123456789ABCDEF", .zak, .singleDES)
        XCTAssertEqual(Hex.string(try client.icGenerateMAC(key: single, algorithm: .alg1, padding: .zeros, data: Array("7654321 Now is the time for ".utf8))),
                       "F1D30F6849312CA4")
        // Derived session keys: DES alg 3 with an IV, SM4 alg 1 with a 16-byte MAC.
        XCTAssertEqual(Hex.string(try client.icGenerateMAC(key: zak, algorithm: .alg3, derivation: [factor], session: ICSessionKey(mode: 1, data: atc),
                                                           padding: .pbocMAC, data: Array("Now is the time for all ".utf8), iv: bytes("0102030405060708"))),
                       "BAD0042FB39ABC8A")
        let sm4 = try underLMK(k2, .zak, .sm4)
        XCTAssertEqual(Hex.string(try client.icGenerateMAC(key: sm4, algorithm: .alg1, macLength: 16, derivation: [factor], session: ICSessionKey(mode: 1, data: atc),
                                                           padding: .pbocMAC, data: Array("Now is the time for all ".utf8),
                                                           iv: bytes("000102030405060708090A0B0C0D0E0F"))),
                       "31559AEF250E5FAC2AE139B9C4CE1960")
    }

    func testICEncryptDecryptKnownAnswers() throws {
        let sm4 = try underLMK(k2, .zek, .sm4)
        XCTAssertEqual(Hex.string(try client.icEncrypt(ICCipherKey(key: sm4, padding: .none), data: bytes(k2))), "681EDF34D206965E86B3E94F536E4246")
        let mdk = try underLMK(k2, .mkAC, .doubleVariant)
        let spec = ICCipherKey(key: mdk, keyType: .mkAC, derivation: [factor], session: ICSessionKey(mode: 1, data: atc), padding: .none)
        let c = try client.icEncrypt(spec, data: bytes("0123456789ABCDEF0123456789ABCDEF"))
        XCTAssertEqual(Hex.string(c), "66E77B3EB1826A8C66E77B3EB1826A8C")
        XCTAssertEqual(try client.icDecrypt(spec, data: c), bytes("0123456789ABCDEF0123456789ABCDEF"))
        let zek = try underLMK(k2, .zek, .doubleVariant)
        let cbc = ICCipherKey(key: zek, mode: .cbc, padding: .pkcs5, iv: bytes("0102030405060708"))
        let m = Array("Now is the time for it".utf8)
        let e = try client.icEncrypt(cbc, data: m)
        XCTAssertEqual(Hex.string(e), "DBABAB266E84CCE3F51C1D0E6C47A51CC262BF7B5FB4BAC8")
        XCTAssertEqual(try client.icDecrypt(cbc, data: e), m)
    }

    func testICTranslate() throws {
        let a = try client.generateKey(type: .zek, scheme: .doubleVariant).keyUnderLMK
        let b = try client.generateKey(type: .zek, scheme: .sm4).keyUnderLMK
        let src = ICCipherKey(key: a, mode: .cbc, derivation: [factor], padding: .pbocEncryption, iv: [UInt8](repeating: 3, count: 8))
        let dst = ICCipherKey(key: b, session: ICSessionKey(mode: 2, data: factor), padding: .ansiX923)
        let plain = Array("6222020200112233445=2512101".utf8)
        let c = try client.icEncrypt(src, data: plain)
        let t = try client.icTranslate(from: src, to: dst, data: c)
        XCTAssertEqual(t.count, 32)
        XCTAssertEqual(try client.icDecrypt(dst, data: t), plain)
        // A destination key of another type: 11.
        let zak = try client.generateKey(type: .zak, scheme: .sm4).keyUnderLMK
        assertCode(11, "IC translate cryptogram (S5)") { _ = try client.icTranslate(from: src, to: ICCipherKey(key: zak, padding: .ansiX923), data: c) }
    }

    func testHSMRefusals() throws {
        let zek = try underLMK(k2, .zek, .doubleVariant)
        let zak = try underLMK(k2, .zak, .doubleVariant)
        // Wrong key type: 27 (ZPK type), 10 (a ZEK presented as a ZAK).
        assertCode(27, "IC generate MAC (S0)") { _ = try client.icGenerateMAC(key: zak, keyType: .zpk, algorithm: .alg1, padding: .zeros, data: [1]) }
        assertCode(10) { _ = try client.icGenerateMAC(key: zek, algorithm: .alg1, padding: .zeros, data: [1]) }
        assertCode(27, "IC encrypt data (S3)") { _ = try client.icEncrypt(ICCipherKey(key: zak, keyType: .zak, padding: .pkcs5), data: [1]) }
        assertCode(10) { _ = try client.icDecrypt(ICCipherKey(key: zak, padding: .none), data: [UInt8](repeating: 0, count: 8)) }
        // Unsupported session mode 3: 15; bad padding after decryption: 15.
        assertCode(15) { _ = try client.icEncrypt(ICCipherKey(key: zek, session: ICSessionKey(mode: 3), padding: .pkcs5), data: [1]) }
        assertCode(15) { _ = try client.icDecrypt(ICCipherKey(key: zek, padding: .pkcs5), data: [UInt8](repeating: 0, count: 8)) }
    }

    /// None of S0/S3/S4/S5 stores into the HSM: all are re-sendable after a failure.
    func testICCommandsAreIdempotent() throws {
        let k = ICKeySpec(keyType: .zek, key: .stored(index: 1), derivation: [factor], session: ICSessionKey(mode: 1, data: atc))
        let side = ICCipherSide(mode: 1, key: k, padding: 4, iv: [UInt8](repeating: 0, count: 8))
        let payloads: [[UInt8]] = [
            try ICGenerateMACRequest(macMode: 1, macType: 8, key: k, padding: 1, data: [1], iv: [UInt8](repeating: 0, count: 8)).payload(),
            try ICEncryptRequest(ICCipherFields(mode: 0, key: k, padding: 4, data: [1])).payload(),
            try ICDecryptRequest(ICCipherFields(mode: 0, key: k, padding: 4, data: [UInt8](repeating: 0, count: 8))).payload(),
            try ICTranslateRequest(source: side, destination: side, data: [UInt8](repeating: 0, count: 8)).payload(),
        ]
        for p in payloads { XCTAssertTrue(ResendSafety.isIdempotent(p)) }
    }

    func testArgumentChecksSendNothing() throws {
        let zek = try underLMK(k2, .zek, .doubleVariant)
        let sm4 = try underLMK(k2, .zak, .sm4)
        let before = completed
        assertInvalid("derivation factor 1 must be 16 bytes") { _ = try client.icEncrypt(ICCipherKey(key: zek, derivation: [[1, 2]], padding: .pkcs5), data: [1]) }
        assertInvalid("at most 8") {
            _ = try client.icEncrypt(ICCipherKey(key: zek, derivation: [[UInt8]](repeating: self.factor, count: 9), padding: .pkcs5), data: [1])
        }
        assertInvalid("at most 3") {
            _ = try client.icGenerateMAC(key: zek, algorithm: .alg1, derivation: [[UInt8]](repeating: self.factor, count: 4), padding: .zeros, data: [1])
        }
        assertInvalid("session key mode 1 needs 8 bytes") { _ = try client.icEncrypt(ICCipherKey(key: zek, session: ICSessionKey(mode: 1), padding: .pkcs5), data: [1]) }
        assertInvalid("session key mode 6") { _ = try client.icEncrypt(ICCipherKey(key: zek, session: ICSessionKey(mode: 6), padding: .pkcs5), data: [1]) }
        assertInvalid("CBC needs an IV") { _ = try client.icEncrypt(ICCipherKey(key: zek, mode: .cbc, padding: .pkcs5), data: [1]) }
        assertInvalid("ECB takes no IV") { _ = try client.icEncrypt(ICCipherKey(key: zek, padding: .pkcs5, iv: [UInt8](repeating: 0, count: 8)), data: [1]) }
        assertInvalid("IV must be 8 bytes") { _ = try client.icEncrypt(ICCipherKey(key: zek, mode: .cbc, padding: .pkcs5, iv: [UInt8](repeating: 0, count: 16)), data: [1]) }
        assertInvalid("out of range") { _ = try client.icEncrypt(ICCipherKey(key: zek, padding: .pkcs5), data: []) }
        assertInvalid("whole 8-byte blocks") { _ = try client.icEncrypt(ICCipherKey(key: zek, padding: .none), data: [1, 2, 3]) }
        assertInvalid("at most 255 bytes") { _ = try client.icEncrypt(ICCipherKey(key: zek, padding: .pbocEncryption), data: [UInt8](repeating: 1, count: 256)) }
        assertInvalid("whole 8-byte blocks") { _ = try client.icDecrypt(ICCipherKey(key: zek, padding: .pkcs5), data: [1, 2, 3]) }
        assertInvalid("whole 16-byte blocks") {
            _ = try client.icTranslate(from: ICCipherKey(key: sm4, padding: .pkcs5), to: ICCipherKey(key: zek, padding: .pkcs5), data: [UInt8](repeating: 0, count: 8))
        }
        assertInvalid("MAC length 12") { _ = try client.icGenerateMAC(key: sm4, algorithm: .alg1, macLength: 12, padding: .zeros, data: [1]) }
        assertInvalid("longer than the key's 8-byte block") { _ = try client.icGenerateMAC(key: zek, algorithm: .alg1, macLength: 16, padding: .zeros, data: [1]) }
        assertInvalid("algorithm 3 needs") { _ = try client.icGenerateMAC(key: sm4, algorithm: .alg3, padding: .zeros, data: [1]) }
        assertInvalid("explicit IV") { _ = try client.icGenerateMAC(key: .stored(index: 4), algorithm: .alg1, padding: .zeros, data: [1]) }
        assertInvalid("needs 24 bytes of key material") {
            _ = try client.icEncrypt(ICCipherKey(key: .encrypted(scheme: .sm4, material: [UInt8](repeating: 0, count: 16)), padding: .pkcs5), data: [1])
        }
        XCTAssertEqual(completed, before)
    }
}
