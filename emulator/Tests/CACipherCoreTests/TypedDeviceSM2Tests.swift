import XCTest
@testable import CACipherCore
import HostProtocol
@testable import EVSMKit

/// CR, 3C, NC, B2 and the SM2 family through the typed API.
final class TypedDeviceSM2Tests: TypedTestCase {
    func testDeviceInfoEchoRandom() throws {
        let i = try client.deviceInfo()
        XCTAssertEqual(i.dmkCheckValue, "08D7B4FB629D0885")   // the public test DMK
        XCTAssertEqual(i.version, Device.version)
        XCTAssertEqual(i.serial, device.serial)
        let data: [UInt8] = Array(0...255) + [0, 0, 10, 13]
        XCTAssertEqual(try client.echo(data), data)
        XCTAssertEqual(try client.echo([]), [])
        for n in [1, 16, 2048] { XCTAssertEqual(try client.random(count: n).count, n) }
        XCTAssertNotEqual(try client.random(count: 32), try client.random(count: 32))
    }

    /// [KAT] SM3("abc") (GB/T 32905), SHA-256("abc") and SHA-1("abc") (FIPS 180-2).
    func testHashKnownAnswers() throws {
        let abc = Array("abc".utf8)
        XCTAssertEqual(Hex.string(try client.hash(abc, algorithm: .sm3)), "66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0")
        XCTAssertEqual(Hex.string(try client.hash(abc, algorithm: .sha256)), "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")
        XCTAssertEqual(Hex.string(try client.hash(abc, algorithm: .sha1)), "A9993E364706816ABA3E25717850C26C9CD0D89D")
        XCTAssertEqual(try client.hash([], algorithm: .sha512).count, 64)
    }

    func testSM2FullCycle() throws {
        let pair = try client.sm2GenerateKeyPair()
        XCTAssertEqual(pair.publicKey.count, 64)
        XCTAssertEqual(pair.privateKeyUnderLMK.count, 40)
        XCTAssertEqual(try client.sm2PublicKey(privateKey: .value(pair.privateKeyUnderLMK)), pair.publicKey)
        let msg = Array("message digest".utf8), uid = Array("ALICE123@YAHOO.COM".utf8)
        let sig = try client.sm2Sign(privateKey: .value(pair.privateKeyUnderLMK), userID: uid, data: msg)
        XCTAssertEqual(sig.count, 64)
        XCTAssertTrue(try client.sm2Verify(publicKey: .value(pair.publicKey), userID: uid, data: msg, signature: sig))
        XCTAssertFalse(try client.sm2Verify(publicKey: .value(pair.publicKey), data: msg, signature: sig))   // default user id
        XCTAssertFalse(try client.sm2Verify(publicKey: .value(pair.publicKey), userID: uid, data: msg + [0], signature: sig))
        let c = try client.sm2Encrypt(publicKey: .value(pair.publicKey), data: msg)
        XCTAssertEqual(c.count, msg.count + 97)
        XCTAssertEqual(c[0], 0x04)
        XCTAssertEqual(try client.sm2Decrypt(privateKey: .value(pair.privateKeyUnderLMK), ciphertext: c), msg)
        var tampered = c
        tampered[70] ^= 1
        assertCode(15, "SM2 decrypt (E4)") { _ = try client.sm2Decrypt(privateKey: .value(pair.privateKeyUnderLMK), ciphertext: tampered) }
        // 3C with the key: SM3(Z || M), Z computed locally from the user id and key.
        let h = try client.hash(msg, algorithm: .sm3, sm2UserID: uid, sm2PublicKey: pair.publicKey)
        XCTAssertEqual(h, try Prim.digest(.sm3, try SM2Ops.z(userID: uid, publicKey: pair.publicKey) + msg))
        XCTAssertEqual(try client.hash(msg, algorithm: .sm3, sm2PublicKey: [4] + pair.publicKey),
                       try Prim.digest(.sm3, try SM2Ops.z(userID: SM2Ops.defaultUserID, publicKey: pair.publicKey) + msg))
        // Not a curve point: 15.
        assertCode(15) { _ = try client.sm2Encrypt(publicKey: .value([UInt8](repeating: 1, count: 64)), data: msg) }
    }

    func testSM2StoredKeys() throws {
        let pair = try client.sm2GenerateKeyPair(storeAt: StoreTarget(index: 30, label: "sm2-a"))
        XCTAssertEqual(device.storedKeyLabels[30], "sm2-a")
        XCTAssertEqual(try client.sm2PublicKey(privateKey: .stored(index: 30)), pair.publicKey)
        let sig = try client.sm2Sign(privateKey: .stored(index: 30), data: [1, 2, 3])
        XCTAssertTrue(try client.sm2Verify(publicKey: .stored(index: 30), data: [1, 2, 3], signature: sig))
        XCTAssertTrue(try client.sm2Verify(publicKey: .value(pair.publicKey), data: [1, 2, 3], signature: sig))
        XCTAssertEqual(try client.sm2LoadPrivateKey(pair.privateKeyUnderLMK, storeAt: StoreTarget(index: 31, label: "copy")), pair.publicKey)
        assertCode(12) { _ = try client.sm2PublicKey(privateKey: .stored(index: 32)) }
        _ = try client.generateKey(type: .tak, scheme: .doubleVariant, storeAt: StoreTarget(index: 33, label: "tak"))
        assertCode(27) { _ = try client.sm2Sign(privateKey: .stored(index: 33), data: [1]) }
    }

    /// A device erased after the group verified it (a factory-fresh device) answers 13 to
    /// everything but NC and B2; the typed calls pass the code through.
    func testNotInitialisedDevice() throws {
        XCTAssertEqual(try client.deviceInfo().dmkCheckValue, "08D7B4FB629D0885")
        try device.erase()
        XCTAssertEqual(try client.deviceInfo().dmkCheckValue, "0000000000000000")
        XCTAssertEqual(try client.echo([1, 2]), [1, 2])
        assertCode(13, "random (CR): HSM error 13") { _ = try client.random(count: 8) }
        assertCode(13) { _ = try client.generateKey(type: .zpk, scheme: .doubleVariant) }
    }
}
