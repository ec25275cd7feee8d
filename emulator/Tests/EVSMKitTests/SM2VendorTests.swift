import Foundation
import XCTest
@testable import EVSMKit
import HSMCrypto
import HostProtocol

/// evsm's SM2 family in the vendor layouts (`E1`..`E7`, `TT`, `TU`): known answers in
/// test-LMK mode, round trips, signatures checked by the `openssl` command line, refusals.
final class SM2VendorTests: XCTestCase {
    /// [KAT] GM/T 0003.5-2012 (GB/T 32918.5) Annex A sample private key; its public key is
    /// `SM2CommandsTests.samplePoint` (also what `openssl pkey -pubout` computes from d).
    static let d = hex("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8")
    static let der = hex("3059301306072A8648CE3D020106082A811CCF5501822D03420004"
                         + "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
                         + "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13")
    /// The GB/T 32907 sample key, used as an SM4 transport key.
    static let tkClear = hex("0123456789ABCDEFFEDCBA9876543210")
    static let factor = hex("00112233445566778899AABBCCDDEEFF")
    /// d under the TK, computed with the openssl command line (OpenSSL 3.0.19), pinned:
    /// `openssl enc -sm4-ecb -K <tk> -nopad`, `-sm4-cbc -iv 00..00`; one DERIVE level =
    /// `-sm4-ecb` of the factor under the TK (09325C4853832DCB9337A5984F671B9A), then ECB;
    /// `-des-ede-ecb` / `-des-ede-cbc -iv 0000000000000000` with the same 16 bytes as an X key.
    static let sm4ECB = "C93242C4788D6B52F4904E246488F154EFB2AAF2CE8AC9D31388FE337594AF91"
    static let sm4CBC = "C93242C4788D6B52F4904E246488F154D8FFAF6A3C507FF00A08B02834BEF1F6"
    static let sm4DerivedECB = "16E70FE7936E780107F833FFC8A00807574FBE479D0C031CA3999D3B77FD6FA1"
    static let desECB = "F5C744B09858778ADA341C82BAC3C72DCE61E528771036647BF5895430DFABD2"
    static let desCBC = "F5C744B09858778ABBD510776F3C086C37A81AA2C3D805F2F3B58E056A7C32E4"

    func underLMK(_ d: Device, _ clear: [UInt8], _ type: KeyType, _ s: KeyScheme) throws -> KeyField {
        try d.keyUnderLMKForTests(clear, type: type, scheme: s)
    }

    /// The sample key imported under the SM4 TK (TU), as a blob under the LMK.
    func sampleBlob(_ d: Device) throws -> [UInt8] {
        let tk = SM2TransportKey(mode: 0, keyType: .zmk, key: try underLMK(d, Self.tkClear, .zmk, .sm4))
        return try call(d, SM2ImportByTKRequest(transportKey: tk, publicKeyDER: Self.der, privateKeyUnderTK: hex(Self.sm4ECB)),
                        SM2ImportByTKResponse.self).privateKeyUnderLMK
    }

    func testExportUnderTransportKeyKnownAnswers() throws {
        let d = testDevice()
        let blob = try sampleBlob(d)
        XCTAssertEqual(blob.count, 40)
        let pair = SM2KeyPairRef.carried(der: Self.der, privateKey: blob)
        let sm4 = try underLMK(d, Self.tkClear, .zmk, .sm4)
        let des = try underLMK(d, Self.tkClear, .zmk, .doubleX917)
        let mdk = try underLMK(d, Self.tkClear, .mkAC, .sm4)
        let cases: [(SM2TransportKey, String)] = [
            (SM2TransportKey(mode: 0, keyType: .zmk, key: sm4), Self.sm4ECB),
            (SM2TransportKey(mode: 1, keyType: .zmk, key: sm4), Self.sm4CBC),
            (SM2TransportKey(mode: 0, keyType: .zmk, key: sm4, derive: DeriveField(factors: [Self.factor])), Self.sm4DerivedECB),
            (SM2TransportKey(mode: 0, keyType: .mkAC, key: mdk), Self.sm4ECB),
            (SM2TransportKey(mode: 0, keyType: .zmk, key: des), Self.desECB),
            (SM2TransportKey(mode: 1, keyType: .zmk, key: des), Self.desCBC),
        ]
        for (tk, expected) in cases {
            let r = try call(d, SM2ExportByTKRequest(transportKey: tk, key: pair), SM2ExportByTKResponse.self)
            XCTAssertEqual(Hex.string(r.privateKeyUnderTK), expected, "\(tk.keyType) mode \(tk.mode) levels \(tk.derive.factors.count)")
            XCTAssertEqual(r.publicKeyDER, Self.der)
            // ...and TU takes it back to the same blob (the blob is deterministic).
            let back = try call(d, SM2ImportByTKRequest(transportKey: tk, publicKeyDER: Self.der, privateKeyUnderTK: r.privateKeyUnderTK),
                                SM2ImportByTKResponse.self)
            XCTAssertEqual(back.privateKeyUnderLMK, blob)
        }
        // A stored pair exports the same; TU with an index stores it (label kept).
        let tk = SM2TransportKey(mode: 0, keyType: .zmk, key: sm4)
        _ = try call(d, SM2ImportByTKRequest(transportKey: tk, index: 40, label: "imp", publicKeyDER: Self.der,
                                             privateKeyUnderTK: hex(Self.sm4ECB)), SM2ImportByTKResponse.self)
        XCTAssertEqual(d.storedKeyLabels[40], "imp")
        XCTAssertEqual(Hex.string(try call(d, SM2ExportByTKRequest(transportKey: tk, key: .stored(index: 40)), SM2ExportByTKResponse.self).privateKeyUnderTK),
                       Self.sm4ECB)
        XCTAssertEqual(try call(d, SM2PublicKeyRequest(privateKey: .stored(index: 40)), SM2PublicKeyResponse.self).publicKeyDER, Self.der)
    }

    /// Signatures of evsm verify with the openssl command line (an independent SM2); a
    /// changed message does not.
    func testSignaturesVerifyWithOpenSSL() throws {
        let d = testDevice()
        let blob = try sampleBlob(d)
        let msg = Array("message digest".utf8)
        for uid in [[UInt8](), Array("ALICE123@YAHOO.COM".utf8)] {
            let sig = try call(d, SM2SignRequest(key: .carried(der: Self.der, privateKey: blob), userID: uid, data: msg), SM2DataResponse.self).data
            XCTAssertEqual(sig.count, 64)
            let distid = uid.isEmpty ? "1234567812345678" : String(decoding: uid, as: UTF8.self)
            guard let ok = try openSSLVerify(der: Self.der, distid: distid, message: msg, rs: sig) else { throw XCTSkip("no openssl command line") }
            XCTAssertTrue(ok, "openssl verifies the signature")
            XCTAssertEqual(try openSSLVerify(der: Self.der, distid: distid, message: msg + [0], rs: sig), false)
            XCTAssertEqual(send(d, try SM2VerifyRequest(publicKey: .carried(der: Self.der), userID: uid, data: msg, signature: sig).payload()).error, "00")
            XCTAssertEqual(send(d, try SM2VerifyRequest(publicKey: .carried(der: Self.der), userID: uid, data: msg + [0], signature: sig).payload()).error, "01")
        }
    }

    /// Runs `openssl dgst -sm3 -verify` on a DER public key; nil when openssl is missing.
    func openSSLVerify(der: [UInt8], distid: String, message: [UInt8], rs: [UInt8]) throws -> Bool? {
        let tool = "/usr/bin/openssl"
        guard FileManager.default.isExecutableFile(atPath: tool) else { return nil }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sm2-verify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(der).write(to: dir.appendingPathComponent("pub.der"))
        try Data(message).write(to: dir.appendingPathComponent("msg"))
        try Data(try HSMCrypto.SM2.signatureToDER(rs)).write(to: dir.appendingPathComponent("sig.der"))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.currentDirectoryURL = dir
        p.arguments = ["dgst", "-sm3", "-verify", "pub.der", "-keyform", "DER", "-sigopt", "distid:\(distid)", "-signature", "sig.der", "msg"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    func testGenerateLoadAndIndexes() throws {
        let d = testDevice()
        let g = try call(d, SM2GenerateRequest(store: StoreTarget(index: 9999, label: "")), SM2GenerateResponse.self)
        XCTAssertNil(d.storedKeyLabels[9999], "K9999 is not stored")
        XCTAssertNotNil(SM2PublicKeyDER.point(g.publicKeyDER))
        XCTAssertEqual(send(d, "E2K9999").error, "80", "E2 K9999 needs the blob")
        XCTAssertEqual(send(d, "E2K0005").error, "12")
        _ = try call(d, SM2LoadRequest(publicKeyDER: g.publicKeyDER, privateKeyUnderLMK: g.privateKeyUnderLMK, store: StoreTarget(index: 5, label: "l")),
                     SM2EmptyResponse.self)
        XCTAssertEqual(d.storedKeyLabels[5], "l")
        XCTAssertEqual(try call(d, SM2PublicKeyRequest(privateKey: .stored(index: 5)), SM2PublicKeyResponse.self).publicKeyDER, g.publicKeyDER)
        let c = try call(d, SM2EncryptRequest(publicKey: .stored(index: 5), data: [1, 2, 3]), SM2DataResponse.self).data
        XCTAssertEqual(try call(d, SM2DecryptRequest(privateKey: .stored(index: 5), ciphertext: c), SM2DataResponse.self).data, [1, 2, 3])
        // E1 at 9999 (means "not stored"): 15. E1 with the public key of another pair: 15.
        XCTAssertEqual(send(d, try SM2LoadRequest(publicKeyDER: g.publicKeyDER, privateKeyUnderLMK: g.privateKeyUnderLMK,
                                                  store: StoreTarget(index: 9999, label: "")).payload()).error, "15")
        XCTAssertEqual(send(d, try SM2LoadRequest(publicKeyDER: Self.der, privateKeyUnderLMK: g.privateKeyUnderLMK,
                                                  store: StoreTarget(index: 6, label: "")).payload()).error, "15")
        XCTAssertNil(d.storedKeyLabels[6])
    }

    func testRefusals() throws {
        let d = testDevice()
        let blob = try sampleBlob(d)
        let pair = SM2KeyPairRef.carried(der: Self.der, privateKey: blob)
        let sm4 = try underLMK(d, Self.tkClear, .zmk, .sm4)
        // Key usage: a symmetric key at an index is not an SM2 pair (27); a TK type other
        // than 000/109 (27); a ZPK presented as a ZMK (10: its authenticator fails).
        _ = try call(d, GenerateKeyRequest(keyType: .zpk, lmkScheme: .sm4, store: StoreTarget(index: 3, label: "")), GenerateKeyResponse.self)
        XCTAssertEqual(send(d, try SM2SignRequest(key: .stored(index: 3), userID: [], data: [1]).payload()).error, "27")
        XCTAssertEqual(send(d, try SM2EncryptRequest(publicKey: .stored(index: 3), data: [1]).payload()).error, "27")
        XCTAssertEqual(send(d, try SM2ExportByTKRequest(transportKey: SM2TransportKey(mode: 0, keyType: .zpk, key: sm4), key: pair).payload()).error, "27")
        let zpk = try underLMK(d, Self.tkClear, .zpk, .sm4)
        XCTAssertEqual(send(d, try SM2ExportByTKRequest(transportKey: SM2TransportKey(mode: 0, keyType: .zmk, key: zpk), key: pair).payload()).error, "10")
        // An altered blob, a blob of another DMK: 10. A blob of another length: 15.
        for i in [0, 31, 32, 39] {
            var bad = blob
            bad[i] ^= 1
            XCTAssertEqual(send(d, try SM2DecryptRequest(privateKey: .carried(privateKey: bad), ciphertext: [UInt8](repeating: 1, count: 100)).payload()).error,
                           "10", "byte \(i)")
        }
        let other = try Device(stateDirectory: nil, mode: .normal)
        try other.install(dmk: [UInt8](repeating: 0x5B, count: 16),
                          authorisation: AuthorisationRecord(setID: "s", threshold: 2, shares: 3, verifier: [1], salt: [2]))
        XCTAssertEqual(send(other, try SM2SignRequest(key: pair, userID: [], data: [1]).payload()).error, "10")
        XCTAssertEqual(send(d, try SM2SignRequest(key: .carried(der: Self.der, privateKey: Array(blob.prefix(32))), userID: [], data: [1]).payload()).error, "15")
        // Bad DER: not SM2 (15); a carried public key that is not the private key's (15);
        // not a curve point (15).
        var notSM2 = Self.der
        notSM2[20] ^= 1
        XCTAssertEqual(send(d, try SM2EncryptRequest(publicKey: .carried(der: notSM2), data: [1]).payload()).error, "15")
        let g = try call(d, SM2GenerateRequest(), SM2GenerateResponse.self)
        XCTAssertEqual(send(d, try SM2SignRequest(key: .carried(der: g.publicKeyDER, privateKey: blob), userID: [], data: [1]).payload()).error, "15")
        var offCurve = Self.der
        offCurve[90] ^= 1
        XCTAssertEqual(send(d, try SM2VerifyRequest(publicKey: .carried(der: offCurve), userID: [], data: [1],
                                                    signature: [UInt8](repeating: 1, count: 64)).payload()).error, "15")
        XCTAssertEqual(send(d, try SM2VerifyRequest(publicKey: .carried(der: Self.der), userID: [], data: [1],
                                                    signature: [UInt8](repeating: 1, count: 63)).payload()).error, "15")
        // Bad lengths: empty data (80), a ciphertext longer than 9999 (80), a TU key of
        // another length (80), a frame field cut short (80).
        XCTAssertEqual(send(d, try SM2EncryptRequest(publicKey: .carried(der: Self.der), data: []).payload()).error, "80")
        XCTAssertEqual(send(d, try SM2EncryptRequest(publicKey: .carried(der: Self.der), data: [UInt8](repeating: 1, count: 9903)).payload()).error, "80")
        let tk = SM2TransportKey(mode: 0, keyType: .zmk, key: sm4)
        XCTAssertEqual(send(d, try SM2ImportByTKRequest(transportKey: tk, publicKeyDER: Self.der, privateKeyUnderTK: [UInt8](repeating: 1, count: 31)).payload()).error, "80")
        XCTAssertEqual(send(d, "E3070005AB").error, "80")
        // TU under the wrong TK, or of another public key: 15, nothing stored.
        var wrong = hex(Self.sm4ECB)
        wrong[0] ^= 1
        XCTAssertEqual(send(d, try SM2ImportByTKRequest(transportKey: tk, index: 50, label: "", publicKeyDER: Self.der, privateKeyUnderTK: wrong).payload()).error, "15")
        XCTAssertEqual(send(d, try SM2ImportByTKRequest(transportKey: tk, publicKeyDER: g.publicKeyDER, privateKeyUnderTK: hex(Self.sm4ECB)).payload()).error, "15")
        XCTAssertNil(d.storedKeyLabels[50])
        // A tampered ciphertext: 15. Curve 08: 15. Unknown command layouts never crash.
        var c = try call(d, SM2EncryptRequest(publicKey: .carried(der: Self.der), data: [1, 2]), SM2DataResponse.self).data
        c[70] ^= 1
        XCTAssertEqual(send(d, try SM2DecryptRequest(privateKey: .carried(privateKey: blob), ciphertext: c).payload()).error, "15")
        XCTAssertEqual(send(d, "E708").error, "15")
        XCTAssertEqual(send(d, "TT").error, "80")
    }
}

/// `TQ`, `TX`, `TY`: symmetric keys under SM2.
final class SM2SymmetricKeyTests: XCTestCase {
    /// [KAT] The GB/T 32907 sample key as a ZEK (SM4): exported under the GM/T 0003.5 sample
    /// public key it decrypts (HSMCrypto, with the sample d) to the clear key; its KCV is the
    /// first 8 bytes of SM4-ECB(K, 0) = 2677F46B09C122CC (`openssl enc -sm4-ecb -nopad`).
    func testExportImportKnownAnswers() throws {
        let d = testDevice()
        func underLMK(_ clear: [UInt8], _ type: KeyType, _ s: KeyScheme) throws -> KeyField {
            try d.keyUnderLMKForTests(clear, type: type, scheme: s)
        }
        let tk = SM2TransportKey(mode: 0, keyType: .zmk, key: try underLMK(SM2VendorTests.tkClear, .zmk, .sm4))
        let blob = try call(d, SM2ImportByTKRequest(transportKey: tk, publicKeyDER: SM2VendorTests.der, privateKeyUnderTK: hex(SM2VendorTests.sm4ECB)),
                            SM2ImportByTKResponse.self).privateKeyUnderLMK
        let zek = try underLMK(SM2VendorTests.tkClear, .zek, .sm4)
        let mac = try call(d, SM2PublicKeyMACRequest(publicKeyDER: SM2VendorTests.der, authData: Array("bank-1".utf8)), SM2PublicKeyMACResponse.self).mac
        XCTAssertEqual(mac.count, 4)
        let ref = SM2AuthenticatedPublicKeyRef.carried(der: SM2VendorTests.der, authData: Array("bank-1".utf8), mac: mac)
        let x = try call(d, SM2ExportSymmetricKeyRequest(keyType: .zek, key: zek, publicKey: ref), SM2ExportSymmetricKeyResponse.self)
        XCTAssertEqual(Hex.string(x.checkValue), "2677F46B09C122CC")
        XCTAssertEqual(x.keyUnderSM2.count, 16 + 97)
        XCTAssertEqual(try HSMCrypto.SM2.decrypt(x.keyUnderSM2, privateKey: SM2VendorTests.d), SM2VendorTests.tkClear)
        // TY back with the blob: the same key under the LMK (the form is deterministic), and
        // with an index, stored; the expected KCV is checked when not zero.
        let back = try call(d, SM2ImportSymmetricKeyRequest(keyType: .zek, scheme: .sm4, keyUnderSM2: x.keyUnderSM2, privateKey: .carried(privateKey: blob)),
                            ImportKeyResponse.self)
        XCTAssertEqual(back.key, zek)
        XCTAssertEqual(back.checkValue, x.checkValue)
        _ = try call(d, SM2ImportSymmetricKeyRequest(keyType: .zek, scheme: .sm4, store: StoreTarget(index: 80, label: "ty"), expectedCheckValue: x.checkValue,
                                                     keyUnderSM2: x.keyUnderSM2, privateKey: .carried(privateKey: blob)), ImportKeyResponse.self)
        XCTAssertEqual(d.storedKeyLabels[80], "ty")
        XCTAssertEqual(send(d, try SM2ImportSymmetricKeyRequest(keyType: .zek, scheme: .sm4, expectedCheckValue: [UInt8](repeating: 1, count: 8),
                                                                keyUnderSM2: x.keyUnderSM2, privateKey: .carried(privateKey: blob)).payload()).error, "01")
        // A stored pair needs no MAC.
        _ = try call(d, SM2LoadRequest(publicKeyDER: SM2VendorTests.der, privateKeyUnderLMK: blob, store: StoreTarget(index: 81, label: "")), SM2EmptyResponse.self)
        let x2 = try call(d, SM2ExportSymmetricKeyRequest(keyType: .zek, key: zek, publicKey: .stored(index: 81)), SM2ExportSymmetricKeyResponse.self)
        XCTAssertEqual(try call(d, SM2ImportSymmetricKeyRequest(keyType: .zek, scheme: .sm4, keyUnderSM2: x2.keyUnderSM2, privateKey: .stored(index: 81)),
                                ImportKeyResponse.self).key, zek)
        // Refusals: a wrong MAC (01), other authentication data (01), a key type TX does not
        // take (27), a key of another type (10), a length that is not the scheme's (15), a
        // cryptogram that does not decrypt (15), SM1 (26).
        var bad = mac
        bad[0] ^= 1
        XCTAssertEqual(send(d, try SM2ExportSymmetricKeyRequest(keyType: .zek, key: zek, publicKey: .carried(der: SM2VendorTests.der, authData: Array("bank-1".utf8), mac: bad)).payload()).error, "01")
        XCTAssertEqual(send(d, try SM2ExportSymmetricKeyRequest(keyType: .zek, key: zek, publicKey: .carried(der: SM2VendorTests.der, authData: Array("bank-2".utf8), mac: mac)).payload()).error, "01")
        XCTAssertEqual(send(d, try SM2ExportSymmetricKeyRequest(keyType: .zpk, key: zek, publicKey: .stored(index: 81)).payload()).error, "27")
        XCTAssertEqual(send(d, try SM2ExportSymmetricKeyRequest(keyType: .zmk, key: zek, publicKey: .stored(index: 81)).payload()).error, "10")
        XCTAssertEqual(send(d, try SM2ImportSymmetricKeyRequest(keyType: .zek, scheme: .tripleVariant, keyUnderSM2: x2.keyUnderSM2, privateKey: .stored(index: 81)).payload()).error, "15")
        var c = x2.keyUnderSM2
        c[70] ^= 1
        XCTAssertEqual(send(d, try SM2ImportSymmetricKeyRequest(keyType: .zek, scheme: .sm4, keyUnderSM2: c, privateKey: .stored(index: 81)).payload()).error, "15")
        XCTAssertEqual(send(d, try SM2ImportSymmetricKeyRequest(keyType: .zek, scheme: .sm1, keyUnderSM2: c, privateKey: .stored(index: 81)).payload()).error, "26")
        var notSM2 = SM2VendorTests.der
        notSM2[20] ^= 1
        XCTAssertEqual(send(d, try SM2PublicKeyMACRequest(publicKeyDER: notSM2, authData: [1]).payload()).error, "15")
        XCTAssertEqual(send(d, "TQ07" + "0Y").error, "80")
    }
}
