import XCTest
import HostProtocol
@testable import EVSMKit

/// Round trips through the host commands (test-LMK device).
final class RoundTripTests: XCTestCase {
    func generate(_ d: Device, _ t: KeyType, _ s: KeyScheme, zmk: KeyField? = nil) throws -> GenerateKeyResponse {
        try call(d, GenerateKeyRequest(keyType: t, lmkScheme: s, zmk: zmk, zmkScheme: zmk == nil ? nil : s), GenerateKeyResponse.self)
    }

    func testA0ThenBUGivesTheSameKCV() throws {
        let d = testDevice()
        for s in [KeyScheme.singleDES, .doubleVariant, .tripleVariant, .doubleX917, .sm4, .aes128] {
            let g = try generate(d, .zpk, s)
            let b = try call(d, CheckValueRequest(keyType: .zpk, key: g.keyUnderLMK), CheckValueResponse.self)
            XCTAssertEqual(b.checkValue, g.checkValue, "scheme \(s)")
        }
    }

    func testExportThenImportKeepsKCV() throws {
        let d = testDevice()
        for s in [KeyScheme.doubleVariant, .tripleVariant, .doubleX917, .singleDES] {
            let zmk = try generate(d, .zmk, .doubleVariant)
            let zpk = try generate(d, .zpk, s)
            let exp = try call(d, ExportKeyRequest(keyType: .zpk, zmk: zmk.keyUnderLMK, key: zpk.keyUnderLMK, zmkScheme: s), ExportKeyResponse.self)
            XCTAssertEqual(exp.checkValue, zpk.checkValue)
            let imp = try call(d, ImportKeyRequest(keyType: .zpk, zmk: zmk.keyUnderLMK, keyUnderZMK: exp.key, lmkScheme: s), ImportKeyResponse.self)
            XCTAssertEqual(imp.checkValue, zpk.checkValue, "scheme \(s)")
            XCTAssertEqual(imp.key, zpk.keyUnderLMK)
        }
        // SM4 and AES keys under a ZMK of their family: 32H under the ZMK, 48H (with the
        // authenticator) under the LMK; importing gives back the same LMK form.
        for s in [KeyScheme.sm4, .aes128] {
            let zmk = try generate(d, .zmk, s)
            let zpk = try generate(d, .zpk, s)
            let exp = try call(d, ExportKeyRequest(keyType: .zpk, zmk: zmk.keyUnderLMK, key: zpk.keyUnderLMK, zmkScheme: s), ExportKeyResponse.self)
            XCTAssertEqual(exp.key.wire.count, 33, "scheme \(s)")
            XCTAssertEqual(zpk.keyUnderLMK.wire.count, 49, "scheme \(s)")
            let imp = try call(d, ImportKeyRequest(keyType: .zpk, zmk: zmk.keyUnderLMK, keyUnderZMK: exp.key, lmkScheme: s), ImportKeyResponse.self)
            XCTAssertEqual(imp.checkValue, zpk.checkValue, "scheme \(s)")
            XCTAssertEqual(imp.key, zpk.keyUnderLMK, "scheme \(s)")
        }
    }

    /// A DES key under an AES or SM4 ZMK (the vendor's test program imports an X key under an
    /// L ZMK): plain ECB under the ZMK (values of `openssl enc -aes-128-ecb` / `-sm4-ecb
    /// -nopad`), and back; an SM4 key under a 3DES ZMK likewise; a triple-length DES key under
    /// a 16-byte-block ZMK is not whole blocks: 26.
    func testKeysUnderAZMKOfTheOtherFamily() throws {
        let d = testDevice()
        let zmkClear: [UInt8] = Array(0..<16)
        let keyClear = hex("0123456789ABCDEFFEDCBA9876543210")
        let key = try d.keyUnderLMKForTests(keyClear, type: .zpk, scheme: .doubleX917)
        for (zs, want) in [(KeyScheme.aes128, "868D79BD49A5681CFAE908AD51300BA0"), (.sm4, "1A5E703AACF55CDDF1198771F2FD791A")] {
            let zmk = try d.keyUnderLMKForTests(zmkClear, type: .zmk, scheme: zs)
            let exp = try call(d, ExportKeyRequest(keyType: .zpk, zmk: zmk, key: key, zmkScheme: .doubleX917), ExportKeyResponse.self)
            guard case let .encrypted(s, m) = exp.key else { return XCTFail("an encrypted key field") }
            XCTAssertEqual(s, .doubleX917)
            XCTAssertEqual(Hex.string(m), want, "an X key under a \(zs) ZMK: ECB")
            let imp = try call(d, ImportKeyRequest(keyType: .zpk, zmk: zmk, keyUnderZMK: exp.key, lmkScheme: .doubleX917), ImportKeyResponse.self)
            XCTAssertEqual(imp.key, key, "A6 gives the key back under the \(zs) ZMK")
            XCTAssertEqual(imp.checkValue, exp.checkValue)
            let g = try generate(d, .zpk, .doubleVariant, zmk: zmk)
            let z = try XCTUnwrap(g.keyUnderZMK)
            let back = try call(d, ImportKeyRequest(keyType: .zpk, zmk: zmk, keyUnderZMK: z, lmkScheme: .doubleVariant), ImportKeyResponse.self)
            XCTAssertEqual(back.checkValue, g.checkValue, "A0 mode 1 under the \(zs) ZMK, then A6")
            let y = try generate(d, .zpk, .tripleX917)
            XCTAssertEqual(send(d, try ExportKeyRequest(keyType: .zpk, zmk: zmk, key: y.keyUnderLMK, zmkScheme: .tripleX917).payload()).error, "26",
                           "24 bytes under a 16-byte-block ZMK")
        }
        let desZMK = try generate(d, .zmk, .doubleVariant)
        let sm4 = try generate(d, .zpk, .sm4)
        let e = try call(d, ExportKeyRequest(keyType: .zpk, zmk: desZMK.keyUnderLMK, key: sm4.keyUnderLMK, zmkScheme: .sm4), ExportKeyResponse.self)
        let i = try call(d, ImportKeyRequest(keyType: .zpk, zmk: desZMK.keyUnderLMK, keyUnderZMK: e.key, lmkScheme: .sm4), ImportKeyResponse.self)
        XCTAssertEqual(i.checkValue, sm4.checkValue, "an SM4 key under a 3DES ZMK and back")
    }

    func testA0Mode1ExportMatchesA8() throws {
        let d = testDevice()
        let zmk = try generate(d, .zmk, .doubleVariant)
        let g = try generate(d, .zak, .doubleVariant, zmk: zmk.keyUnderLMK)
        let z = try XCTUnwrap(g.keyUnderZMK)
        let imp = try call(d, ImportKeyRequest(keyType: .zak, zmk: zmk.keyUnderLMK, keyUnderZMK: z, lmkScheme: .doubleVariant), ImportKeyResponse.self)
        XCTAssertEqual(imp.checkValue, g.checkValue)
    }

    func testA4FormsXorOfComponents() throws {
        let d = testDevice()
        let c1 = "0123456789ABCDEFFEDCBA9876543210", c2 = "1010101010101010E0E0E0E0E0E0E0E0"
        let k1 = try underLMK(d, clear: c1, type: .zmk, scheme: .doubleVariant)
        let k2 = try underLMK(d, clear: c2, type: .zmk, scheme: .doubleVariant)
        let r = try call(d, FormKeyRequest(keyType: .zmk, lmkScheme: .doubleVariant, components: [k1, k2]), FormKeyResponse.self)
        var x = zip(hex(c1), hex(c2)).map { $0 ^ $1 }
        Prim.adjustParity(&x)
        XCTAssertEqual(r.checkValue, try Prim.checkValue(.des, key: x))
        XCTAssertEqual(send(d, "A41000U" + Hex.string(hex(c1))).error, "15")
    }

    func pinBlock(_ d: Device, pin: String, account: String, key: String, format: Int, cipher: Prim.Cipher) throws -> [UInt8] {
        let clear = try PINBlock.make(pin: pin.utf8.map { $0 - 0x30 }, format: format, account: account, blockSize: Prim.blockSize(cipher))
        return try Prim.crypt(cipher, key: hex(key), data: clear, encrypt: true)
    }

    func testPINTranslationThereAndBack() throws {
        let d = testDevice()
        let k1 = "0123456789ABCDEFFEDCBA9876543210", k2 = "89ABCDEF0123456776543210FEDCBA98"
        let z1 = try underLMK(d, clear: k1, type: .zpk, scheme: .doubleVariant)
        let z2 = try underLMK(d, clear: k2, type: .zpk, scheme: .doubleVariant)
        let acct = "123456789012"
        for (sf, df) in [(1, 47), (47, 5), (5, 3), (3, 1), (1, 1)] {
            let b1 = try pinBlock(d, pin: "1234", account: acct, key: k1, format: sf, cipher: .des)
            let there = try call(d, TranslatePINRequest(PINTranslation(sourceKey: z1, destinationKey: z2, maxPINLength: 12, pinBlock: b1,
                                                                      sourceFormat: sf, destinationFormat: df, account: acct)), TranslatePINResponse.self)
            XCTAssertEqual(there.pinLength, 4)
            let back = try call(d, TranslatePINRequest(PINTranslation(sourceKey: z2, destinationKey: z1, maxPINLength: 12, pinBlock: there.pinBlock,
                                                                     sourceFormat: df, destinationFormat: sf, account: acct)), TranslatePINResponse.self)
            let clear = try Prim.crypt(.des, key: hex(k1), data: back.pinBlock, encrypt: false)
            XCTAssertEqual(try PINBlock.parse(clear, format: sf, account: acct), [1, 2, 3, 4], "formats \(sf)->\(df)")
        }
        // PIN longer than the maximum: 24.
        let b = try pinBlock(d, pin: "123456", account: acct, key: k1, format: 1, cipher: .des)
        let r = send(d, try TranslatePINRequest(PINTranslation(sourceKey: z1, destinationKey: z2, maxPINLength: 4, pinBlock: b,
                                                              sourceFormat: 1, destinationFormat: 1, account: acct)).payload())
        XCTAssertEqual(r.error, "24")
    }

    func testTITranslatesBetweenAccountsAndKeyKinds() throws {
        let d = testDevice()
        let k1 = "0123456789ABCDEFFEDCBA9876543210", k2 = "89ABCDEF0123456776543210FEDCBA98"
        let tpk = try underLMK(d, clear: k1, type: .tpk, scheme: .doubleVariant)
        let zpk = try underLMK(d, clear: k2, type: .zpk, scheme: .sm4)
        let b = try pinBlock(d, pin: "24680", account: "111111111111", key: k1, format: 1, cipher: .des)
        let r = try call(d, TranslatePINTASSRequest(sourceKind: 1, sourceKey: tpk, destinationKind: 2, destinationKey: zpk, maxPINLength: 12, pinBlock: b,
                                                    sourceFormat: 1, sourceAccount: "111111111111", destinationFormat: 47, destinationAccount: "222222222222"),
                         PINBlockResponse.self)
        XCTAssertEqual(r.pinBlock.count, 16)
        let clear = try Prim.crypt(.sm4, key: hex(k2), data: r.pinBlock, encrypt: false)
        XCTAssertEqual(try PINBlock.parse(clear, format: 47, account: "222222222222"), [2, 4, 6, 8, 0])
        // Kind 3 is not a PIN key kind; a TPK declared as a ZPK decrypts to garbage.
        func ti(_ kind: Int) throws -> String {
            send(d, try TranslatePINTASSRequest(sourceKind: kind, sourceKey: tpk, destinationKind: 2, destinationKey: zpk, maxPINLength: 12, pinBlock: b,
                                                sourceFormat: 1, sourceAccount: "111111111111", destinationFormat: 1, destinationAccount: "222222222222").payload()).error
        }
        XCTAssertEqual(try ti(3), "27")
        XCTAssertEqual(try ti(2), "10")
    }

    func testSM4PINBlocksAre32H() throws {
        let d = testDevice()
        let k = "0123456789ABCDEFFEDCBA9876543210"
        let tpk = try underLMK(d, clear: k, type: .tpk, scheme: .sm4)
        let zpk = try underLMK(d, clear: k, type: .zpk, scheme: .doubleVariant)
        let b = try pinBlock(d, pin: "987654", account: "000000001234", key: k, format: 1, cipher: .sm4)
        XCTAssertEqual(b.count, 16)
        let r = try call(d, TranslatePINFromTPKRequest(PINTranslation(sourceKey: tpk, destinationKey: zpk, maxPINLength: 12, pinBlock: b,
                                                                     sourceFormat: 1, destinationFormat: 1, account: "000000001234")), TranslatePINResponse.self)
        XCTAssertEqual(r.pinBlock.count, 8)
        XCTAssertEqual(r.pinLength, 6)
    }

    func testPINUnderLMKCommands() throws {
        let d = testDevice()
        let acct = "400000123456"
        let ba = try call(d, EncryptPINRequest(pin: "4321", account: acct, paddedTo: 5), PINUnderLMKResponse.self)
        let ng = try call(d, DecryptPINRequest(account: acct, pinUnderLMK: ba.pinUnderLMK), DecryptPINResponse.self)
        XCTAssertEqual(ng.pin, "4321")
        let k = "0123456789ABCDEFFEDCBA9876543210"
        let zpk = try underLMK(d, clear: k, type: .zpk, scheme: .doubleVariant)
        let jg = try call(d, PINFromLMKRequest(zpk: zpk, format: 1, account: acct, pinUnderLMK: ba.pinUnderLMK), PINBlockResponse.self)
        let je = try call(d, PINBlockToLMKRequest(zpk: zpk, pinBlock: jg.pinBlock, format: 1, account: acct), PINUnderLMKResponse.self)
        XCTAssertEqual(je.pinUnderLMK, ba.pinUnderLMK)
        XCTAssertEqual(send(d, "BA12F3" + acct).error, "15")    // F then a digit
        XCTAssertEqual(send(d, "BA123F" + acct).error, "24")    // 3 digits
    }

    func macFields(_ key: KeyField, mode: Int, iv: [UInt8]? = nil, data: String, type: KeyType = .tak) -> MACFields {
        MACFields(mode: mode, inputFormat: 2, macSize: 1, algorithm: 3, padding: 2, keyType: type, key: key, iv: iv, data: Array(data.utf8))
    }

    func testMACChainingEqualsOneShot() throws {
        let d = testDevice()
        let tak = try generate(d, .tak, .doubleVariant).keyUnderLMK
        let whole = "ABCDEFGHIJKLMNOPQRSTUVWX0123456789"
        let one = try call(d, GenerateMACRequest(macFields(tak, mode: 0, data: whole)), GenerateMACResponse.self)
        let p1 = try call(d, GenerateMACRequest(macFields(tak, mode: 1, data: "ABCDEFGH")), GenerateMACResponse.self)
        let p2 = try call(d, GenerateMACRequest(macFields(tak, mode: 2, iv: p1.mac, data: "IJKLMNOPQRSTUVWX")), GenerateMACResponse.self)
        let p3 = try call(d, GenerateMACRequest(macFields(tak, mode: 3, iv: p2.mac, data: "0123456789")), GenerateMACResponse.self)
        XCTAssertEqual(p3.mac, one.mac)
        XCTAssertEqual(p1.mac.count, 8)
        let v = send(d, try VerifyMACRequest(macFields(tak, mode: 0, data: whole), mac: one.mac).payload())
        XCTAssertEqual(v.error, "00")
        let bad = send(d, try VerifyMACRequest(macFields(tak, mode: 0, data: whole + "!"), mac: one.mac).payload())
        XCTAssertEqual(bad.error, "01")
        // SM4 MAC keys (algorithm 1) with 32H chaining values.
        let sm4 = try generate(d, .zak, .sm4).keyUnderLMK
        var f = macFields(sm4, mode: 1, data: "0123456789ABCDEF", type: .zak)
        f.algorithm = 1
        let c1 = try call(d, GenerateMACRequest(f), GenerateMACResponse.self)
        XCTAssertEqual(c1.mac.count, 16)
        f.mode = 3
        f.iv = c1.mac
        XCTAssertEqual(try call(d, GenerateMACRequest(f), GenerateMACResponse.self).mac.count, 8)
    }

    func testDataEncryptDecryptECBAndCBC() throws {
        let d = testDevice()
        for s in [KeyScheme.doubleVariant, .tripleVariant, .sm4, .aes128] {
            let k = try generate(d, .zek, s).keyUnderLMK
            let bs = s.algorithm.blockSize
            let plain = Array(String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 2).utf8.prefix(bs * 4))
            for mode in [0, 1] {
                let iv: [UInt8]? = mode == 1 ? [UInt8](repeating: 7, count: bs) : nil
                let enc = try call(d, EncryptDataRequest(DataCipherFields(mode: mode, inputFormat: 0, outputFormat: 1, keyType: .zek, key: k, iv: iv, data: plain)),
                                   DataCipherResponse.self)
                XCTAssertEqual(enc.ivOut?.count, mode == 1 ? bs : nil)
                let dec = try call(d, DecryptDataRequest(DataCipherFields(mode: mode, inputFormat: 1, outputFormat: 0, keyType: .zek, key: k, iv: iv, data: enc.data)),
                                   DataCipherResponse.self)
                XCTAssertEqual(dec.data, plain, "scheme \(s) mode \(mode)")
                XCTAssertNotEqual(Array(enc.data.prefix(8)), Array(Hex.string(plain).utf8.prefix(8)))
            }
        }
    }

    func testSM2SignVerifyEncryptDecrypt() throws {
        let d = testDevice()
        let g = try call(d, SM2GenerateRequest(), SM2GenerateResponse.self)
        XCTAssertEqual(g.publicKeyDER.count, 91)
        XCTAssertEqual(g.privateKeyUnderLMK.count, 40)
        let q = try XCTUnwrap(SM2PublicKeyDER.point(g.publicKeyDER))
        let pub = try call(d, SM2PublicKeyRequest(privateKey: .carried(privateKey: g.privateKeyUnderLMK)), SM2PublicKeyResponse.self)
        XCTAssertEqual(pub.publicKeyDER, g.publicKeyDER)
        let pair = SM2KeyPairRef.carried(der: g.publicKeyDER, privateKey: g.privateKeyUnderLMK)
        let msg = Array("message digest".utf8)
        let uid = Array("ALICE123@YAHOO.COM".utf8)
        let sig = try call(d, SM2SignRequest(key: pair, userID: uid, data: msg), SM2DataResponse.self)
        XCTAssertEqual(send(d, try SM2VerifyRequest(publicKey: .carried(der: g.publicKeyDER), userID: uid, data: msg, signature: sig.data).payload()).error, "00")
        XCTAssertEqual(send(d, try SM2VerifyRequest(publicKey: .carried(der: g.publicKeyDER), userID: [], data: msg, signature: sig.data).payload()).error, "01")
        let c = try call(d, SM2EncryptRequest(publicKey: .carried(der: g.publicKeyDER), data: msg), SM2DataResponse.self)
        XCTAssertEqual(c.data.count, msg.count + 97)
        let p = try call(d, SM2DecryptRequest(privateKey: .carried(privateKey: g.privateKeyUnderLMK), ciphertext: c.data), SM2DataResponse.self)
        XCTAssertEqual(p.data, msg)
        // 3C with a user id and public key hashes Z || M; it matches SM3(Z || M).
        let h = try call(d, HashRequest(algorithm: 20, data: msg, userID: uid, publicKey: q), HashResponse.self)
        XCTAssertEqual(h.hash, try Prim.digest(.sm3, try SM2Ops.z(userID: uid, publicKey: q) + msg))
        // The key as the vendor's C library sends it, DER SubjectPublicKeyInfo, gives the same.
        let hd = try call(d, HashRequest(algorithm: 20, data: msg, userID: uid, publicKey: g.publicKeyDER), HashResponse.self)
        XCTAssertEqual(hd.hash, h.hash)
    }

    func testStoredKeysAtIndexes() throws {
        let d = testDevice()
        let g = try call(d, GenerateKeyRequest(keyType: .tak, lmkScheme: .doubleVariant, store: StoreTarget(index: 12, label: "tak-1")), GenerateKeyResponse.self)
        XCTAssertEqual(d.storedKeyLabels[12], "tak-1")
        let kcv = try call(d, CheckValueRequest(keyType: .tak, key: .stored(index: 12)), CheckValueResponse.self)
        XCTAssertEqual(kcv.checkValue, g.checkValue)
        XCTAssertEqual(send(d, "BUFF1K0013;003").error, "12")       // nothing at 13
        XCTAssertEqual(send(d, "BUFF1K0012;001").error, "27")       // a TAK is not a ZPK
        let s = try call(d, SM2GenerateRequest(store: StoreTarget(index: 20, label: "sm2")), SM2GenerateResponse.self)
        let sig = try call(d, SM2SignRequest(key: .stored(index: 20), userID: [], data: [1, 2, 3]), SM2DataResponse.self)
        XCTAssertEqual(send(d, try SM2VerifyRequest(publicKey: .stored(index: 20), userID: [], data: [1, 2, 3], signature: sig.data).payload()).error, "00")
        XCTAssertEqual(try call(d, SM2PublicKeyRequest(privateKey: .stored(index: 20)), SM2PublicKeyResponse.self).publicKeyDER, s.publicKeyDER)
        XCTAssertEqual(send(d, try SM2SignRequest(key: .stored(index: 12), userID: [], data: [1]).payload()).error, "27")
        _ = try call(d, SM2LoadRequest(publicKeyDER: s.publicKeyDER, privateKeyUnderLMK: s.privateKeyUnderLMK, store: StoreTarget(index: 21, label: "copy")),
                     SM2EmptyResponse.self)
        XCTAssertEqual(try call(d, SM2PublicKeyRequest(privateKey: .stored(index: 21)), SM2PublicKeyResponse.self).publicKeyDER, s.publicKeyDER)
    }
}
