import XCTest
@testable import CACipherCore
import HostProtocol
@testable import EVSMKit

/// The typed RSA calls over loopback against an in-process evsm (test-LMK mode).
final class TypedRSATests: TypedTestCase {
    func testGenerateEncryptDecryptSignVerify() throws {
        let kp = try client.rsaGenerateKeyPair(bits: 1024)
        XCTAssertEqual(kp.publicKey.first, 0x30)
        let msg = Array("typed rsa".utf8)
        for pad in [RSAEncryptionPadding.pkcs1, .oaep] {
            let c = try client.rsaEncrypt(publicKey: .inline(kp.publicKey), padding: pad, data: msg)
            XCTAssertEqual(c.count, 128)
            XCTAssertEqual(try client.rsaDecrypt(privateKey: .inline(kp.privateKeyUnderLMK), padding: pad, ciphertext: c), msg)
        }
        for hash in [RSAHash.sha1, .sha256, .sm3] {
            let s = try client.rsaSign(privateKey: .inline(kp.privateKeyUnderLMK), hash: hash, data: msg)
            XCTAssertTrue(try client.rsaVerify(publicKey: .inline(kp.publicKey), hash: hash, data: msg, signature: s))
            XCTAssertFalse(try client.rsaVerify(publicKey: .inline(kp.publicKey), hash: hash, data: msg + [1], signature: s))
        }
        let pss = try client.rsaSign(privateKey: .inline(kp.privateKeyUnderLMK), padding: .pss, data: msg)
        XCTAssertTrue(try client.rsaVerify(publicKey: .inline(kp.publicKey), padding: .pss, data: msg, signature: pss))
    }

    func testStoredPairAndPublicKey() throws {
        let kp = try client.rsaGenerateKeyPair(bits: 1024, exponent: 3, usage: .sign, storeAt: StoreTarget(index: 33, label: "sig"))
        XCTAssertEqual(try client.rsaPublicKey(index: 33), kp.publicKey)
        let s = try client.rsaSign(privateKey: .stored(index: 33), data: [1, 2])
        XCTAssertTrue(try client.rsaVerify(publicKey: .stored(index: 33), data: [1, 2], signature: s))
        // A signing-only key does not decrypt: the HSM's 27 comes back.
        let c = try client.rsaEncrypt(publicKey: .stored(index: 33), data: [1])
        assertCode(27) { _ = try client.rsaDecrypt(privateKey: .stored(index: 33), ciphertext: c) }
        assertCode(12) { _ = try client.rsaPublicKey(index: 34) }
    }

    func testChecksBeforeSending() throws {
        let before = completed
        assertInvalid("bits") { _ = try client.rsaGenerateKeyPair(bits: 1000) }
        assertInvalid("exponent") { _ = try client.rsaGenerateKeyPair(bits: 1024, exponent: 5) }
        assertInvalid("9999") { _ = try client.rsaGenerateKeyPair(bits: 1024, storeAt: StoreTarget(index: 9999, label: "")) }
        assertInvalid("out of range") { _ = try client.rsaPublicKey(index: 9999) }
        assertInvalid("DER") { _ = try client.rsaEncrypt(publicKey: .inline([0x30, 0x05, 1]), data: [1]) }
        assertInvalid("longer") { _ = try client.rsaEncrypt(publicKey: .stored(index: 1), data: [UInt8](repeating: 0, count: 513)) }
        assertInvalid("ciphertext") { _ = try client.rsaDecrypt(privateKey: .stored(index: 1), ciphertext: [1, 2]) }
        assertInvalid("private key") { _ = try client.rsaSign(privateKey: .inline([]), data: [1]) }
        assertInvalid("signature") { _ = try client.rsaVerify(publicKey: .stored(index: 1), data: [1], signature: []) }
        XCTAssertEqual(completed, before)
    }

    func testHSMRefusalsComeBack() throws {
        let kp = try client.rsaGenerateKeyPair(bits: 1024)
        var altered = kp.privateKeyUnderLMK
        altered[30] ^= 0x80
        assertCode(10) { _ = try client.rsaSign(privateKey: .inline(altered), data: [1]) }
        assertCode(80) { _ = try client.rsaEncrypt(publicKey: .inline(kp.publicKey), data: [UInt8](repeating: 1, count: 120)) }
    }
}

/// The typed `TR`/`TS` calls.
final class TypedRSATransportTests: TypedTestCase {
    func testExportImportRoundTrip() throws {
        let kp = try client.rsaGenerateKeyPair(bits: 1024)
        let tk = RSATransportKey(mode: 1, type: .zmk, key: zmk, derivation: [bytes("00112233445566778899AABBCCDDEEFF")])
        let e = try client.rsaExportPrivateKey(transportKey: tk, privateKey: .inline(kp.privateKeyUnderLMK))
        XCTAssertEqual(e.publicKey, kp.publicKey)
        let c = try client.rsaExportPrivateKey(transportKey: tk, privateKey: .inline(kp.privateKeyUnderLMK),
                                               extension: .init(publicKeyAsComponents: true))
        XCTAssertEqual(c.exponent, [1, 0, 1])
        XCTAssertEqual(c.components, e.components)
        let blob = try client.rsaImportPrivateKey(transportKey: tk, publicKey: kp.publicKey, components: e.components,
                                                  storeAt: StoreTarget(index: 44, label: "in"))
        XCTAssertEqual(try client.rsaSign(privateKey: .inline(blob), data: [7]), try client.rsaSign(privateKey: .inline(kp.privateKeyUnderLMK), data: [7]))
        XCTAssertEqual(try client.rsaPublicKey(index: 44), kp.publicKey)
        let before = completed
        assertInvalid("mode") { _ = try client.rsaExportPrivateKey(transportKey: RSATransportKey(mode: 2, type: .zmk, key: zmk), privateKey: .stored(index: 44)) }
        assertInvalid("derivation") {
            _ = try client.rsaExportPrivateKey(transportKey: RSATransportKey(mode: 0, type: .zmk, key: zmk, derivation: [[1]]), privateKey: .stored(index: 44))
        }
        assertInvalid("IV") { _ = try client.rsaExportPrivateKey(transportKey: tk, privateKey: .stored(index: 44), extension: .init(iv: [1])) }
        XCTAssertEqual(completed, before)
        assertCode(27) { _ = try client.rsaExportPrivateKey(transportKey: RSATransportKey(mode: 0, type: .zpk, key: zmk), privateKey: .stored(index: 44)) }
    }
}

/// The typed `EO`/`TV`/`TW` calls.
final class TypedRSAKeyExchangeTests: TypedTestCase {
    func testExportImportSymmetricKey() throws {
        let kp = try client.rsaGenerateKeyPair(bits: 1024, usage: .keyManagement)
        let zpk = try underLMK("0123456789ABCDEFFEDCBA9876543210", .zpk, .doubleVariant)
        let mac = try client.rsaPublicKeyMAC(publicKey: kp.publicKey, authData: Array("id".utf8))
        let w = try client.rsaExportSymmetricKey(type: .zpk, key: zpk, publicKey: .inline(publicKey: kp.publicKey, authData: Array("id".utf8), mac: mac))
        XCTAssertEqual(w.checkValue, bytes("08D7B4FB629D0885"))
        let k = try client.rsaImportSymmetricKey(type: .zpk, scheme: .doubleVariant, cryptogram: w.cryptogram,
                                                 privateKey: .inline(kp.privateKeyUnderLMK), expectedCheckValue: w.checkValue)
        XCTAssertEqual(k.key, zpk)
        assertCode(1) {
            _ = try client.rsaExportSymmetricKey(type: .zpk, key: zpk, publicKey: .inline(publicKey: kp.publicKey, authData: [], mac: mac))
        }
        let before = completed
        assertInvalid("authentication data") { _ = try client.rsaPublicKeyMAC(publicKey: kp.publicKey, authData: Array(";".utf8)) }
        assertInvalid("MAC") { _ = try client.rsaExportSymmetricKey(type: .zpk, key: zpk, publicKey: .inline(publicKey: kp.publicKey, authData: [], mac: [1])) }
        assertInvalid("cryptogram") { _ = try client.rsaImportSymmetricKey(type: .zpk, scheme: .doubleVariant, cryptogram: [1], privateKey: .stored(index: 1)) }
        assertInvalid("check value") {
            _ = try client.rsaImportSymmetricKey(type: .zpk, scheme: .doubleVariant, cryptogram: w.cryptogram, privateKey: .stored(index: 1), expectedCheckValue: [1])
        }
        XCTAssertEqual(completed, before)
    }
}
