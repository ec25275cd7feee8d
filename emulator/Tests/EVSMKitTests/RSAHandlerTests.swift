import XCTest
import HostProtocol
import HSMCrypto
@testable import EVSMKit

/// The RSA family `EI ER 3A 3B EW EY` in evsm (test-LMK mode): known answers for the fixed
/// key of RSAFixture (CACipherTestSupport; signatures pinned from the OpenSSL command line),
/// round trips, refusals.
final class RSAHandlerTests: XCTestCase {
    var d: Device!
    override func setUp() { d = testDevice() }

    /// The fixed key as this device's blob (usage `any` unless told).
    func blob(_ usage: RSAHandlerSupport.Usage = .any, on dev: Device? = nil, keys: StorageKeys? = nil) throws -> [UInt8] {
        let dev = dev ?? d!
        let ctx = HandlerContext(device: dev, keys: try keys ?? dev.currentKeysForTests())
        return try RSAHandlerSupport.wrap(ctx, der: hex(RSAFixture.privateDER), usage: usage)
    }

    func testSignMatchesOpenSSLCommandLine() throws {
        let b = try blob()
        let s = try call(d, RSASignRequest(hash: 6, data: Array("abc".utf8), privateKey: .inline(b)), RSADataResponse.self)
        XCTAssertEqual(s.data, hex(RSAFixture.sigSHA256))
        let s3 = try call(d, RSASignRequest(hash: 20, data: Array("abc".utf8), privateKey: .inline(b)), RSADataResponse.self)
        XCTAssertEqual(s3.data, hex(RSAFixture.sigSM3))
        let pub = hex(RSAFixture.publicDER)
        XCTAssertEqual(send(d, try RSAVerifyRequest(hash: 6, signature: hex(RSAFixture.sigSHA256), data: Array("abc".utf8), publicKey: .inline(pub)).payload()).error, "00")
        XCTAssertEqual(send(d, try RSAVerifyRequest(hash: 6, signature: hex(RSAFixture.sigSHA256), data: Array("abd".utf8), publicKey: .inline(pub)).payload()).error, "01")
        XCTAssertEqual(send(d, try RSAVerifyRequest(hash: 20, signature: hex(RSAFixture.sigSM3), data: Array("abc".utf8), publicKey: .inline(pub)).payload()).error, "00")
    }

    func testDecryptOpenSSLCiphertexts() throws {
        let b = try blob()
        let p1 = try call(d, RSADecryptRequest(padding: 1, data: hex(RSAFixture.pkcs1Cipher), privateKey: .inline(b)), RSADataResponse.self)
        XCTAssertEqual(p1.data, Array(RSAFixture.plain.utf8))
        let p2 = try call(d, RSADecryptRequest(padding: 2, data: hex(RSAFixture.oaepCipher), privateKey: .inline(b)), RSADataResponse.self)
        XCTAssertEqual(p2.data, Array(RSAFixture.plain.utf8))
        XCTAssertEqual(send(d, try RSADecryptRequest(padding: 1, data: hex(RSAFixture.oaepCipher), privateKey: .inline(b)).payload()).error, "15")
    }

    func testGenerateStoreAndUseByIndex() throws {
        let g = try call(d, RSAGenerateRequest(usage: 2, modulusBits: 1024, store: StoreTarget(index: 100, label: "rsa")), RSAGenerateResponse.self)
        XCTAssertEqual(try call(d, RSAPublicKeyRequest(index: 100), RSAPublicKeyResponse.self).publicKey, g.publicKey)
        let msg = Array("round trip".utf8)
        for (enc, dec) in [(RSAKeyReference.stored(index: 100), RSAKeyReference.stored(index: 100)),
                           (.inline(g.publicKey), .inline(g.privateKeyUnderLMK))] {
            for pad in [1, 2] {
                let c = try call(d, RSAEncryptRequest(padding: pad, data: msg, publicKey: enc), RSADataResponse.self)
                XCTAssertEqual(c.data.count, 128)
                XCTAssertEqual(try call(d, RSADecryptRequest(padding: pad, data: c.data, privateKey: dec), RSADataResponse.self).data, msg)
            }
            for (hash, pad) in [(1, 1), (5, 1), (6, 2), (7, 2), (8, 1), (20, 1)] {
                let s = try call(d, RSASignRequest(hash: hash, padding: pad, data: msg, privateKey: dec), RSADataResponse.self)
                XCTAssertEqual(send(d, try RSAVerifyRequest(hash: hash, padding: pad, signature: s.data, data: msg, publicKey: enc).payload()).error, "00")
                XCTAssertEqual(send(d, try RSAVerifyRequest(hash: hash, padding: pad, signature: s.data, data: msg + [0], publicKey: enc).payload()).error, "01")
            }
        }
        // Raw (no padding): a full block.
        var block = [UInt8](repeating: 0x42, count: 128)
        block[0] = 0
        let c = try call(d, RSAEncryptRequest(padding: 0, data: block, publicKey: .stored(index: 100)), RSADataResponse.self)
        XCTAssertEqual(try call(d, RSADecryptRequest(padding: 0, data: c.data, privateKey: .stored(index: 100)), RSADataResponse.self).data, block)
    }

    func testExponent3And2048Bits() throws {
        let g = try call(d, RSAGenerateRequest(modulusBits: 2048, exponent: 3), RSAGenerateResponse.self)
        XCTAssertEqual(Array(g.publicKey.suffix(3)), [0x02, 0x01, 0x03])  // INTEGER e = 3
        XCTAssertEqual(g.publicKey.count, 268)
        let s = try call(d, RSASignRequest(hash: 6, data: [1, 2, 3], privateKey: .inline(g.privateKeyUnderLMK)), RSADataResponse.self)
        XCTAssertEqual(s.data.count, 256)
    }

    func testUsageIsEnforced() throws {
        let signOnly = try blob(.sign)
        let encOnly = try blob(.keyManagement)
        XCTAssertEqual(send(d, try RSADecryptRequest(padding: 1, data: hex(RSAFixture.pkcs1Cipher), privateKey: .inline(signOnly)).payload()).error, "27")
        XCTAssertEqual(send(d, try RSASignRequest(hash: 6, data: [1], privateKey: .inline(encOnly)).payload()).error, "27")
        XCTAssertEqual(send(d, try RSASignRequest(hash: 6, data: [1], privateKey: .inline(signOnly)).payload()).error, "00")
    }

    func testForeignAlteredAndWrongKindBlobsRefused() throws {
        var b = try blob()
        let other = try StorageKeys(dmk: [UInt8](repeating: 0x37, count: 16), mode: .normal)
        let foreign = try blob(keys: other)
        XCTAssertEqual(send(d, try RSASignRequest(hash: 6, data: [1], privateKey: .inline(foreign)).payload()).error, "10")
        b[40] ^= 1
        XCTAssertEqual(send(d, try RSASignRequest(hash: 6, data: [1], privateKey: .inline(b)).payload()).error, "10")
        XCTAssertEqual(send(d, try RSASignRequest(hash: 6, data: [1], privateKey: .inline([1, 2, 3])).payload()).error, "10")
        // A K index holding an SM2 pair, and an empty index.
        _ = try call(d, SM2GenerateRequest(store: StoreTarget(index: 7, label: "")), SM2GenerateResponse.self)
        XCTAssertEqual(send(d, try RSASignRequest(hash: 6, data: [1], privateKey: .stored(index: 7)).payload()).error, "27")
        XCTAssertEqual(send(d, try RSAPublicKeyRequest(index: 7).payload()).error, "27")
        XCTAssertEqual(send(d, try RSAPublicKeyRequest(index: 8).payload()).error, "12")
        XCTAssertEqual(send(d, "ERK9999").error, "15")
    }

    func testBadInputRefused() throws {
        let pub = hex(RSAFixture.publicDER)
        // EI: bits, usage, encoding, exponent.
        XCTAssertEqual(send(d, "EI2051201").error, "15")
        XCTAssertEqual(send(d, "EI2100001").error, "15")
        XCTAssertEqual(send(d, "EI3102401").error, "15")
        XCTAssertEqual(send(d, "EI2102402").error, "15")
        XCTAssertEqual(send(d, "EI2102401" + "0005" + "\u{11}").error, "15")
        XCTAssertEqual(send(d, "EI21024").error, "80")
        // 3A: bad DER, algorithm, padding, oversize data, trailing bytes, missing delimiter.
        XCTAssertEqual(send(d, try RSAEncryptRequest(padding: 1, data: [1], publicKey: .inline([0x30, 0x03, 0x02, 0x01, 0x01])).payload()).error, "15")
        XCTAssertEqual(send(d, try RSAEncryptRequest(algorithm: 2, padding: 1, data: [1], publicKey: .inline(pub)).payload()).error, "15")
        XCTAssertEqual(send(d, try RSAEncryptRequest(padding: 3, data: [1], publicKey: .inline(pub)).payload()).error, "15")
        XCTAssertEqual(send(d, try RSAEncryptRequest(padding: 1, data: [UInt8](repeating: 1, count: 118), publicKey: .inline(pub)).payload()).error, "80")
        XCTAssertEqual(send(d, try RSAEncryptRequest(padding: 0, data: [1], publicKey: .inline(pub)).payload()).error, "80")
        XCTAssertEqual(send(d, try RSAEncryptRequest(padding: 1, data: [1], publicKey: .inline(pub)).payload() + [0x41]).error, "80")
        XCTAssertEqual(send(d, Array("3A01010001X".utf8) + Array("K9999".utf8) + pub).error, "15")
        // 3B: ciphertext of the wrong length.
        XCTAssertEqual(send(d, try RSADecryptRequest(padding: 1, data: [1, 2], privateKey: .inline(try blob())).payload()).error, "80")
        // EW/EY: unknown hash (02 MD5 not supported), PSS with SM3.
        XCTAssertEqual(send(d, try RSASignRequest(hash: 2, data: [1], privateKey: .inline(try blob())).payload()).error, "15")
        XCTAssertEqual(send(d, try RSASignRequest(hash: 20, padding: 2, data: [1], privateKey: .inline(try blob())).payload()).error, "15")
        XCTAssertEqual(send(d, try RSAVerifyRequest(hash: 9, signature: [1], data: [1], publicKey: .inline(pub)).payload()).error, "15")
        XCTAssertEqual(send(d, try RSAVerifyRequest(hash: 6, signature: [1], data: [1], publicKey: .inline(pub)).payload()).error, "01")
    }
}

/// `TR`/`TS`: private keys under a transport key.
final class RSATransportHandlerTests: XCTestCase {
    var d: Device!
    override func setUp() { d = testDevice() }
    /// ZMK under test LMK 04-05 and its clear value (leachbj/hsm-emulator, MIT).
    let zmk = KeyField(text: "UE13D662B185F5F3B08594F89F1FF903A")!

    func blob() throws -> [UInt8] {
        let ctx = HandlerContext(device: d, keys: try d.currentKeysForTests())
        return try RSAHandlerSupport.wrap(ctx, der: hex(RSAFixture.privateDER), usage: .any)
    }

    /// qInv of the fixed key, left-padded to whole blocks, 3DES-ECB under the clear ZMK
    /// 8A7C04A1CD916464D6B361B05BBF6780: `openssl enc -des-ede-ecb -nopad -K ...`.
    func testExportKnownAnswer() throws {
        let r = try call(d, RSAExportRequest(transportKey: RSATransportKey(mode: 0, type: .zmk, key: zmk), privateKey: .inline(try blob())),
                         RSAExportResponse.self)
        XCTAssertEqual(r.publicKey, hex(RSAFixture.publicDER))
        XCTAssertEqual(r.components.qInv, hex("EA4827A485550720963C9392F5318E2D3EBA797645C985FB9FA53FC34B81477AD8BCD47CEECF8DCBF3E1DDEEA1F0B21FD5545548D91AC4C59953EDDE1A915482"))
        XCTAssertEqual(r.components.d.count, 128)
        let c = try call(d, RSAExportRequest(transportKey: RSATransportKey(mode: 0, type: .zmk, key: zmk), privateKey: .inline(try blob()),
                                             ext: .init(publicKeyAsComponents: true)), RSAExportComponentsResponse.self)
        XCTAssertEqual(c.exponent, [1, 0, 1])
        XCTAssertEqual(c.modulus.count, 128)
        XCTAssertEqual(c.components, r.components)
    }

    func testExportImportRoundTrip() throws {
        let g = try call(d, RSAGenerateRequest(modulusBits: 1024), RSAGenerateResponse.self)
        let level = [UInt8](repeating: 0x5C, count: 16)
        for (mode, derivation) in [(0, [[UInt8]]()), (1, [level]), (1, [level, level])] {
            let tk = RSATransportKey(mode: mode, type: .zmk, key: zmk, derivation: derivation)
            let e = try call(d, RSAExportRequest(transportKey: tk, privateKey: .inline(g.privateKeyUnderLMK)), RSAExportResponse.self)
            let back = try call(d, RSAImportRequest(transportKey: tk, store: StoreTarget(index: 300, label: "imp"), publicKey: e.publicKey,
                                                    components: e.components), RSAPrivateKeyResponse.self)
            let s1 = try call(d, RSASignRequest(hash: 6, data: [1, 2, 3], privateKey: .inline(g.privateKeyUnderLMK)), RSADataResponse.self)
            let s2 = try call(d, RSASignRequest(hash: 6, data: [1, 2, 3], privateKey: .inline(back.privateKeyUnderLMK)), RSADataResponse.self)
            let s3 = try call(d, RSASignRequest(hash: 6, data: [1, 2, 3], privateKey: .stored(index: 300)), RSADataResponse.self)
            XCTAssertEqual(s1, s2)
            XCTAssertEqual(s1, s3)
            XCTAssertEqual(try call(d, RSAPublicKeyRequest(index: 300), RSAPublicKeyResponse.self).publicKey, g.publicKey)
            // Another derivation does not import (the key does not check).
            let other = RSATransportKey(mode: mode, type: .zmk, key: zmk, derivation: [[UInt8](repeating: 0x01, count: 16)])
            XCTAssertEqual(send(d, try RSAImportRequest(transportKey: other, publicKey: e.publicKey, components: e.components).payload()).error, "15")
        }
    }

    func testRefusals() throws {
        let b = try blob()
        let tk = RSATransportKey(mode: 0, type: .zmk, key: zmk)
        // A ZPK type is not a transport key type; the ZMK offered as an MDK decrypts to a
        // key that fails its parity check.
        XCTAssertEqual(send(d, try RSAExportRequest(transportKey: RSATransportKey(mode: 0, type: .zpk, key: zmk), privateKey: .inline(b)).payload()).error, "27")
        XCTAssertEqual(send(d, try RSAExportRequest(transportKey: RSATransportKey(mode: 0, type: .mkAC, key: zmk), privateKey: .inline(b)).payload()).error, "10")
        XCTAssertEqual(send(d, try RSAExportRequest(transportKey: RSATransportKey(mode: 3, type: .zmk, key: zmk), privateKey: .inline(b)).payload()).error, "15")
        XCTAssertEqual(send(d, try RSAExportRequest(transportKey: tk, privateKey: .inline(b), ext: .init(padding: 1)).payload()).error, "15")
        XCTAssertEqual(send(d, try RSAExportRequest(transportKey: RSATransportKey(mode: 1, type: .zmk, key: zmk), privateKey: .inline(b),
                                                    ext: .init(iv: [1, 2, 3, 4])).payload()).error, "15")
        var altered = b
        altered[altered.count - 1] ^= 1
        XCTAssertEqual(send(d, try RSAExportRequest(transportKey: tk, privateKey: .inline(altered)).payload()).error, "10")
        let e = try call(d, RSAExportRequest(transportKey: tk, privateKey: .inline(b)), RSAExportResponse.self)
        var w = e.components
        w.p = Array(w.p.dropLast())
        XCTAssertEqual(send(d, try RSAImportRequest(transportKey: tk, publicKey: e.publicKey, components: w).payload()).error, "15")
        w = e.components
        w.qInv[3] ^= 0x40
        XCTAssertEqual(send(d, try RSAImportRequest(transportKey: tk, publicKey: e.publicKey, components: w).payload()).error, "15")
        XCTAssertEqual(send(d, try RSAImportRequest(transportKey: tk, publicKey: [0x30, 0x03, 2, 1, 1], components: e.components).payload()).error, "15")
    }
}

/// `EO`, `TV`, `TW`: symmetric keys under RSA keys.
final class RSAKeyExchangeHandlerTests: XCTestCase {
    var d: Device!
    override func setUp() { d = testDevice() }
    /// K = 0123456789ABCDEFFEDCBA9876543210, KCV 08D7B4FB629D0885 (published; see
    /// tests/tass/harness.h), PKCS#1 v1.5-encrypted under the fixed public key with
    /// `openssl pkeyutl -encrypt -pubin -keyform DER -inkey pub.der`.
    let kClear = "0123456789ABCDEFFEDCBA9876543210"
    let kWrapped = "4C8086E88A67ADC61A20ADB95F81EE2EA84B07286A155DB0277D9517968D140CC587A97B69943057BBDA176B5A0CEA62E177CF9FC84226279842128ED489FB5CADE3DD0A5CC46E6478EB085090B0FFA52F788CBB56702231093EC314D3AC5C14B943EC429765C22144637AA74EAB0E420084DB38E1F7F7856A9C012E67D7F0E6"

    func blob(_ usage: RSAHandlerSupport.Usage = .any) throws -> [UInt8] {
        let ctx = HandlerContext(device: d, keys: try d.currentKeysForTests())
        return try RSAHandlerSupport.wrap(ctx, der: hex(RSAFixture.privateDER), usage: usage)
    }

    func testImportOpenSSLWrappedKey() throws {
        let r = try call(d, RSAImportSymmetricKeyRequest(keyType: .zpk, scheme: .doubleVariant, expectedCheckValue: hex("08D7B4FB629D0885"),
                                                         cryptogram: hex(kWrapped), privateKey: .inline(try blob())), RSAImportSymmetricKeyResponse.self)
        XCTAssertEqual(r.checkValue, hex("08D7B4FB629D0885"))
        XCTAssertEqual(r.key, try underLMK(d, clear: kClear, type: .zpk, scheme: .doubleVariant))
        // Wrong expected KCV, a sign-only key, a single-DES scheme for a 16-byte key, a short cryptogram.
        XCTAssertEqual(send(d, try RSAImportSymmetricKeyRequest(keyType: .zpk, scheme: .doubleVariant, expectedCheckValue: hex("08D7B4FB629D0886"),
                                                                cryptogram: hex(kWrapped), privateKey: .inline(try blob())).payload()).error, "01")
        XCTAssertEqual(send(d, try RSAImportSymmetricKeyRequest(keyType: .zpk, scheme: .doubleVariant, cryptogram: hex(kWrapped),
                                                                privateKey: .inline(try blob(.sign))).payload()).error, "27")
        XCTAssertEqual(send(d, try RSAImportSymmetricKeyRequest(keyType: .zpk, scheme: .singleDES, cryptogram: hex(kWrapped),
                                                                privateKey: .inline(try blob())).payload()).error, "15")
        XCTAssertEqual(send(d, try RSAImportSymmetricKeyRequest(keyType: .zpk, scheme: .doubleVariant, cryptogram: [1, 2],
                                                                privateKey: .inline(try blob())).payload()).error, "80")
        XCTAssertEqual(send(d, try RSAImportSymmetricKeyRequest(padding: 0, keyType: .zpk, scheme: .doubleVariant, cryptogram: hex(kWrapped),
                                                                privateKey: .inline(try blob())).payload()).error, "15")
    }

    func testExportUnderMACedPublicKeyAndBack() throws {
        let pub = hex(RSAFixture.publicDER)
        let zpk = try underLMK(d, clear: kClear, type: .zpk, scheme: .doubleVariant)
        let mac = try call(d, RSAPublicKeyMACRequest(publicKey: pub, authData: Array("bank".utf8)), RSAPublicKeyMACResponse.self).mac
        XCTAssertEqual(mac.count, 4)
        let w = try call(d, RSAExportSymmetricKeyRequest(keyType: .zpk, key: zpk, publicKey: .inline(publicKey: pub, authData: Array("bank".utf8), mac: mac)),
                         RSAExportSymmetricKeyResponse.self)
        XCTAssertEqual(w.checkValue, hex("08D7B4FB629D0885"))
        XCTAssertEqual(try HSMCrypto.RSA.decrypt(w.cryptogram, privateKey: hex(RSAFixture.privateDER), padding: .pkcs1), hex(kClear))
        // A MAC for other auth data, an altered MAC, a key of another type.
        XCTAssertEqual(send(d, try RSAExportSymmetricKeyRequest(keyType: .zpk, key: zpk, publicKey: .inline(publicKey: pub, authData: [], mac: mac)).payload()).error, "01")
        var bad = mac
        bad[0] ^= 1
        XCTAssertEqual(send(d, try RSAExportSymmetricKeyRequest(keyType: .zpk, key: zpk, publicKey: .inline(publicKey: pub, authData: Array("bank".utf8), mac: bad)).payload()).error, "01")
        XCTAssertEqual(send(d, try RSAExportSymmetricKeyRequest(keyType: .zak, key: zpk, publicKey: .inline(publicKey: pub, authData: Array("bank".utf8), mac: mac)).payload()).error, "10")
        XCTAssertEqual(send(d, try RSAPublicKeyMACRequest(publicKey: [0x30, 0x03, 2, 1, 1]).payload()).error, "15")
        // Derived: the ZMK 8A7C04A1CD916464D6B361B05BBF6780, one level D || NOT D with
        // D = 1122334455667788 gives BF83071CF757A4E92592D9792C2CA84C (3DES-ECB by openssl
        // enc -des-ede-ecb, odd parity set), KCV 0662C52557FE9E21.
        let zmk = KeyField(text: "UE13D662B185F5F3B08594F89F1FF903A")!
        let level = hex("1122334455667788EEDDCCBBAA998877")
        let g = try call(d, RSAGenerateRequest(usage: 1, modulusBits: 1024, store: StoreTarget(index: 61, label: "kx")), RSAGenerateResponse.self)
        let dw = try call(d, RSAExportSymmetricKeyRequest(keyType: .zmk, key: zmk, derivation: [level], publicKey: .stored(index: 61)),
                          RSAExportSymmetricKeyResponse.self)
        XCTAssertEqual(dw.checkValue, hex("0662C52557FE9E21"))
        let back = try call(d, RSAImportSymmetricKeyRequest(keyType: .zmk, scheme: .doubleVariant, store: StoreTarget(index: 62, label: "sub"),
                                                            expectedCheckValue: dw.checkValue, cryptogram: dw.cryptogram,
                                                            privateKey: .inline(g.privateKeyUnderLMK)), RSAImportSymmetricKeyResponse.self)
        XCTAssertEqual(back.key, try underLMK(d, clear: "BF83071CF757A4E92592D9792C2CA84C", type: .zmk, scheme: .doubleVariant))
        XCTAssertEqual(try call(d, CheckValueRequest(keyType: .zmk, key: .stored(index: 62)), CheckValueResponse.self).checkValue, hex("0662C52557FE9E21"))
    }
}

/// Every prefix and single-byte change of valid RSA requests gets an HSM code, never a crash
/// or `99`.
final class RSAMalformedRequestTests: XCTestCase {
    func testPrefixesAndMutations() throws {
        let d = testDevice()
        let g = try call(d, RSAGenerateRequest(modulusBits: 1024, store: StoreTarget(index: 5, label: "f")), RSAGenerateResponse.self)
        let zmk = KeyField(text: "UE13D662B185F5F3B08594F89F1FF903A")!
        let tk = RSATransportKey(mode: 1, type: .zmk, key: zmk, derivation: [[UInt8](repeating: 3, count: 16)])
        let e = try call(d, RSAExportRequest(transportKey: tk, privateKey: .stored(index: 5)), RSAExportResponse.self)
        let w = try call(d, RSAExportSymmetricKeyRequest(keyType: .zmk, key: zmk, publicKey: .stored(index: 5)), RSAExportSymmetricKeyResponse.self)
        let requests: [[UInt8]] = [
            try RSAGenerateRequest(modulusBits: 1024, exponent: 3, store: StoreTarget(index: 6, label: "x")).payload(),
            try RSAPublicKeyRequest(index: 5).payload(),
            try RSAEncryptRequest(padding: 1, data: [1, 2, 3], publicKey: .inline(g.publicKey)).payload(),
            try RSADecryptRequest(padding: 1, data: [UInt8](repeating: 1, count: 128), privateKey: .inline(g.privateKeyUnderLMK)).payload(),
            try RSASignRequest(hash: 6, data: [1], privateKey: .inline(g.privateKeyUnderLMK)).payload(),
            try RSAVerifyRequest(hash: 6, signature: [1, 2], data: [1], publicKey: .inline(g.publicKey)).payload(),
            try RSAPublicKeyMACRequest(publicKey: g.publicKey, authData: [0x41]).payload(),
            try RSAExportRequest(transportKey: tk, privateKey: .inline(g.privateKeyUnderLMK), ext: .init(iv: [UInt8](repeating: 0, count: 8))).payload(),
            try RSAImportRequest(transportKey: tk, publicKey: e.publicKey, components: e.components).payload(),
            try RSAExportSymmetricKeyRequest(keyType: .zmk, key: zmk, publicKey: .inline(publicKey: g.publicKey, authData: [], mac: [1, 2, 3, 4])).payload(),
            try RSAImportSymmetricKeyRequest(keyType: .zmk, scheme: .doubleVariant, cryptogram: w.cryptogram, privateKey: .stored(index: 5)).payload(),
        ]
        var rng = SystemRandomNumberGenerator()
        for p in requests {
            let step = max(1, p.count / 60)
            for n in stride(from: 2, to: p.count, by: step) {
                let r = send(d, Array(p.prefix(n)))
                XCTAssertEqual(r.error.count, 2)
                XCTAssertNotEqual(r.error, "99", "\(String(decoding: p.prefix(2), as: UTF8.self)) prefix \(n)")
            }
            for _ in 0..<40 {
                var m = p
                let i = Int.random(in: 2..<m.count, using: &rng)
                m[i] = UInt8.random(in: 0...255, using: &rng)
                let r = send(d, m)
                XCTAssertNotEqual(r.error, "99", "\(String(decoding: p.prefix(2), as: UTF8.self)) byte \(i)")
            }
        }
    }
}
