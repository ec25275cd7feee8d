@testable import HSMCrypto
import XCTest

final class SM2Tests: XCTestCase {
    // GM/T 0003.5-2012 (= GB/T 32918.5) annex A/C example on the recommended curve, as
    // reproduced in OpenSSL test/sm2_internal_test.c.
    let gmD = h("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8")
    let gmPub = h("09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020 CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13")
    let gmZ = h("B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3")
    let gmE = h("F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640")
    let gmSig = h("F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3 B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA")
    // GM/T 0003.5 encryption example ("encryption standard", fixed k): C1 || C3 || C2.
    let gmCipher = h("04 04EBFC718E8D1798620432268E77FEB6415E2EDE0E073C0F4F640ECD2E149A73 E858F9D81E5430A57B36DAAB8F950A3C64E6EE6A63094D99283AFF767E124DF0"
        + "59983C18F809E262923C53AEC295D30383B54E39D609D160AFCB1908D0BD8766" + "21886CA989CA9C7D58087307CA93092D651EFA")
    let gmCipherDER = h("307C022004EBFC718E8D1798620432268E77FEB6415E2EDE0E073C0F4F640ECD2E149A73022100E858F9D81E5430A57B36DAAB8F950A3C64E6EE6A63094D99283AFF767E124DF0042059983C18F809E262923C53AEC295D30383B54E39D609D160AFCB1908D0BD8766041321886CA989CA9C7D58087307CA93092D651EFA")

    // OpenSSL test/recipes/30-test_evp_data/evppkey_sm2.txt, SM2_key1 (from its PKCS#8 PEM).
    let osslD = h("D09156733017BDAD809FD9BBD8C693F60230593169B6F94AAF1C8EE138CC99B5")
    let osslPub = h("393A2AD9E27E43ACAAAB85A19D3B85591E14406157175ADDD37BF77FF0CAF9ED 37FCF3A8B4F55C038523261FCA6636AFE6A7AFA2A1482A606F5CB3A18B2E2A1E")

    func testPublicKeyFromPrivate() throws {
        XCTAssertEqual(try SM2.publicKey(fromPrivateKey: gmD), gmPub)
        XCTAssertEqual(try SM2.publicKey(fromPrivateKey: osslD), osslPub)
        XCTAssertEqual(try SM2.uncompressedPublicKey(gmPub), [0x04] + gmPub)
        XCTAssertEqual(try SM2.uncompressedPublicKey([0x04] + gmPub), [0x04] + gmPub)
    }

    func testZValueAndDigestKnownAnswer() throws {
        XCTAssertEqual(try SM2.zValue(publicKey: gmPub), gmZ)
        XCTAssertEqual(try SM2.zValue(userID: a("1234567812345678"), publicKey: [0x04] + gmPub), gmZ)
        XCTAssertEqual(try SM2.messageDigest(a("message digest"), publicKey: gmPub), gmE)
        XCTAssertNotEqual(try SM2.zValue(userID: a("ALICE123@YAHOO.COM"), publicKey: gmPub), gmZ)
    }

    func testVerifyPublishedSignature() throws {
        XCTAssertTrue(try SM2.verify(signature: gmSig, message: a("message digest"), publicKey: gmPub))
        XCTAssertTrue(try SM2.verifyDigest(signature: gmSig, digest: gmE, publicKey: gmPub))
        XCTAssertFalse(try SM2.verify(signature: gmSig, message: a("message digesT"), publicKey: gmPub))
        XCTAssertFalse(try SM2.verify(signature: gmSig, message: a("message digest"), publicKey: gmPub, userID: a("other")))
        var bad = gmSig; bad[63] ^= 1
        XCTAssertFalse(try SM2.verify(signature: bad, message: a("message digest"), publicKey: gmPub))
        XCTAssertFalse(try SM2.verify(signature: Array(gmSig[0..<63]), message: a("message digest"), publicKey: gmPub))
        XCTAssertFalse(try SM2.verify(signature: gmSig, message: a("message digest"), publicKey: osslPub))
    }

    // evppkey_sm2.txt "Verify = SM2_key1 / Ctrl = digest:SM3" rows: DER signatures over e.
    func testVerifyOpenSSLVectors() throws {
        let rows: [(String, String)] = [
            ("D7AD397F6FFA5D4F7F11E7217F241607DC30618C236D2C09C1B9EA8FDADEE2E8",
             "3046022100AB1DB64DE7C40EDBDE6651C9B8EBDB804673DB836E5D5C7FE15DCF9ED2725037022100EBA714451FF69B0BB930B379E192E7CD5FA6E3C41C7FBD8303B799AB54A54621"),
            ("B1139602C6ECC9E15E2F3F9C635A1AFE737058BC15387479C1EA0D0B3D90E9E5",
             "3045022100E6E0414EBD3A656C35602AF14AB20287DBF30D57AF75C49A188ED4B42391F22402202F54F277C606F4605E1CE9514947FFDDF94C67A539804A4ED17F852288BDBE2E"),
        ]
        for (e, der) in rows {
            let rs = try SM2.signatureFromDER(h(der))
            XCTAssertEqual(try SM2.signatureToDER(rs), h(der))
            XCTAssertTrue(try SM2.verifyDigest(signature: rs, digest: h(e), publicKey: osslPub))
        }
    }

    // evppkey_sm2.txt "Decrypt = SM2_key1" row (ASN.1 ciphertext).
    func testDecryptOpenSSLVector() throws {
        let der = h("30818A0220466BE2EF5C11782EC77864A0055417F407A5AFC11D653C6BCE69E417BB1D05B6022062B572E21FF0DDF5C726BD3F9FF2EAE56E6294713A607E9B9525628965F62CC804203C1B5713B5DB2728EB7BF775E44F4689FC32668BDC564F52EA45B09E8DF2A5F40422084A9D0CC2997092B7D3C404FCE95956EB604D732B2307A8E5B8900ED6608CA5B197")
        let raw = try SM2.ciphertextFromDER(der)
        XCTAssertEqual(raw.count, 97 + 34)
        XCTAssertEqual(try SM2.ciphertextToDER(raw), der)
        XCTAssertEqual(try SM2.decrypt(raw, privateKey: osslD), a("The floofy bunnies hop at midnight"))
    }

    func testDecryptGMTVectorAndDERForm() throws {
        XCTAssertEqual(try SM2.ciphertextToDER(gmCipher), gmCipherDER)
        XCTAssertEqual(try SM2.ciphertextFromDER(gmCipherDER), gmCipher)
        XCTAssertEqual(try SM2.decrypt(gmCipher, privateKey: gmD), a("encryption standard"))
    }

    func testSignVerifyRoundTrip() throws {
        let kp = try SM2.generateKeyPair()
        XCTAssertEqual(kp.privateKey.count, 32)
        XCTAssertEqual(kp.publicKey.count, 64)
        XCTAssertEqual(try SM2.publicKey(fromPrivateKey: kp.privateKey), kp.publicKey)
        XCTAssertTrue(SM2.isValidPublicKey(kp.publicKey))
        let msg = a("transfer 100.00 CNY")
        let sig = try SM2.sign(message: msg, privateKey: kp.privateKey)
        XCTAssertEqual(sig.count, 64)
        XCTAssertTrue(try SM2.verify(signature: sig, message: msg, publicKey: kp.publicKey))
        XCTAssertFalse(try SM2.verify(signature: sig, message: msg + [0], publicKey: kp.publicKey))
        let uid = a("ALICE123@YAHOO.COM")
        let sig2 = try SM2.sign(message: msg, privateKey: kp.privateKey, userID: uid)
        XCTAssertTrue(try SM2.verify(signature: sig2, message: msg, publicKey: kp.publicKey, userID: uid))
        XCTAssertFalse(try SM2.verify(signature: sig2, message: msg, publicKey: kp.publicKey))
        // sign the published key, verify against the published public key
        let sig3 = try SM2.sign(message: a("message digest"), privateKey: gmD)
        XCTAssertTrue(try SM2.verify(signature: sig3, message: a("message digest"), publicKey: gmPub))
        let sig4 = try SM2.signDigest(gmE, privateKey: gmD)
        XCTAssertTrue(try SM2.verifyDigest(signature: sig4, digest: gmE, publicKey: gmPub))
    }

    func testEncryptDecryptRoundTripAndTamper() throws {
        let kp = try SM2.generateKeyPair()
        for n in [1, 16, 100] {
            let pt = try Random.bytes(n)
            let ct = try SM2.encrypt(pt, publicKey: kp.publicKey)
            XCTAssertEqual(ct.count, n + 97)
            XCTAssertEqual(ct[0], 0x04)
            XCTAssertEqual(try SM2.decrypt(ct, privateKey: kp.privateKey), pt)
            var t = ct; t[ct.count - 1] ^= 1 // C2
            assertThrows(.authenticationFailed, try SM2.decrypt(t, privateKey: kp.privateKey))
            var t3 = ct; t3[70] ^= 1 // C3
            assertThrows(.authenticationFailed, try SM2.decrypt(t3, privateKey: kp.privateKey))
            var t1 = ct; t1[10] ^= 1 // C1 off the curve
            XCTAssertThrowsError(try SM2.decrypt(t1, privateKey: kp.privateKey))
        }
        let other = try SM2.generateKeyPair()
        let ct = try SM2.encrypt(a("secret"), publicKey: kp.publicKey)
        assertThrows(.authenticationFailed, try SM2.decrypt(ct, privateKey: other.privateKey))
        // GM/T encryption with a fresh k differs from the published ciphertext but decrypts
        let fresh = try SM2.encrypt(a("encryption standard"), publicKey: gmPub)
        XCTAssertNotEqual(fresh, gmCipher)
        XCTAssertEqual(try SM2.decrypt(fresh, privateKey: gmD), a("encryption standard"))
    }

    func testBadKeysAndInputs() throws {
        assertThrows(.invalidKeyLength(algorithm: "SM2 private key", length: 31), try SM2.publicKey(fromPrivateKey: [UInt8](repeating: 1, count: 31)))
        assertThrows(.invalidArgument("SM2 private key"), try SM2.publicKey(fromPrivateKey: [UInt8](repeating: 0, count: 32)))
        // d = n - 1 is not allowed (GB/T 32918.1: d in [1, n-2]).
        let nMinus1 = h("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54122")
        assertThrows(.invalidArgument("SM2 private key"), try SM2.publicKey(fromPrivateKey: nMinus1))
        XCTAssertNoThrow(try SM2.publicKey(fromPrivateKey: h("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54121")))
        assertThrows(.invalidKeyLength(algorithm: "SM2 public key", length: 63), try SM2.zValue(publicKey: [UInt8](repeating: 1, count: 63)))
        assertThrows(.invalidKeyLength(algorithm: "SM2 public key", length: 65), try SM2.uncompressedPublicKey([0x02] + gmPub))
        var offCurve = gmPub; offCurve[63] ^= 1
        XCTAssertFalse(SM2.isValidPublicKey(offCurve))
        XCTAssertTrue(SM2.isValidPublicKey(gmPub))
        XCTAssertThrowsError(try SM2.verify(signature: gmSig, message: a("message digest"), publicKey: offCurve))
        XCTAssertThrowsError(try SM2.encrypt(a("x"), publicKey: offCurve))
        assertThrows(.invalidArgument("SM2 empty plaintext"), try SM2.encrypt([], publicKey: gmPub))
        assertThrows(.invalidArgument("SM2 ciphertext length"), try SM2.decrypt([UInt8](repeating: 4, count: 97), privateKey: gmD))
        assertThrows(.invalidArgument("SM2 digest length"), try SM2.signDigest([1, 2, 3], privateKey: gmD))
        assertThrows(.invalidArgument("DER trailing data"), try SM2.signatureFromDER(h("3046022100AB1DB64DE7C40EDBDE6651C9B8EBDB804673DB836E5D5C7FE15DCF9ED2725037022100EBA714451FF69B0BB930B379E192E7CD5FA6E3C41C7FBD8303B799AB54A5462100")))
        assertThrows(.invalidArgument("DER length"), try SM2.signatureFromDER(h("3046022100AB")))
        assertThrows(.invalidArgument("DER tag"), try SM2.ciphertextFromDER(h("3100")))
    }
}
