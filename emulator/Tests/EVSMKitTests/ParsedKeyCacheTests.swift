import XCTest
import HostProtocol
import HSMCrypto
@testable import EVSMKit

/// The caches of parsed RSA keys and checked SM2 pairs (StorageKeys, BoundedCache): bounded,
/// used again for the same authenticated blob, and never a way around a check.
final class ParsedKeyCacheTests: XCTestCase {
    func testBoundedCacheStaysBoundedAndKeepsWhatIsUsed() {
        let c = BoundedCache<Int, String>(capacity: 8)
        c.put(0, "kept")
        for i in 1...100 {
            c.put(i, "v\(i)")
            XCTAssertEqual(c.get(0), "kept", "an entry used every insertion stays (insertion \(i))")
            XCTAssertLessThanOrEqual(c.count, 8)
        }
        XCTAssertNil(c.get(1), "an entry not used for more than capacity/2 insertions is dropped")
        XCTAssertEqual(c.get(100), "v100")
        c.put(100, "again")
        XCTAssertEqual(c.get(100), "again")
    }

    func keys(_ d: Device) throws -> StorageKeys { try d.currentKeysForTests() }

    func rsaBlob(_ d: Device, _ usage: RSAHandlerSupport.Usage) throws -> [UInt8] {
        try RSAHandlerSupport.wrap(HandlerContext(device: d, keys: try keys(d)), der: hex(RSAFixture.privateDER), usage: usage)
    }

    func testRSAPrivateKeyParsedOnceAndChecksStillMade() throws {
        let d = testDevice()
        let b = try rsaBlob(d, .sign)
        let abc = Array("abc".utf8)
        for _ in 0..<3 {
            let s = try call(d, RSASignRequest(hash: 6, data: abc, privateKey: .inline(b)), RSADataResponse.self)
            XCTAssertEqual(s.data, hex(RSAFixture.sigSHA256))
        }
        XCTAssertEqual(try keys(d).rsaPrivateKeys.count, 1, "three signatures with one blob: parsed once")
        // The usage the blob carries still rules on a hit: sign-only, so no decryption (27).
        XCTAssertEqual(send(d, try RSADecryptRequest(padding: 1, data: hex(RSAFixture.pkcs1Cipher), privateKey: .inline(b)).payload()).error, "27")
        // Another body under the cached blob's authenticator: the authenticator is checked
        // on every call, so 10, not the cached key.
        var forged = b
        forged[20] ^= 0x01
        XCTAssertEqual(send(d, try RSASignRequest(hash: 6, data: abc, privateKey: .inline(forged)).payload()).error, "10")
        // The usage byte changed to "any" under the same authenticator: 10.
        var widened = b
        widened[1] = RSAHandlerSupport.Usage.any.rawValue
        XCTAssertEqual(send(d, try RSADecryptRequest(padding: 1, data: hex(RSAFixture.pkcs1Cipher), privateKey: .inline(widened)).payload()).error, "10")
        // A device with another DMK does not accept the blob, cached or not.
        let other = testDevice()
        let otherKeys = try StorageKeys(dmk: [UInt8](repeating: 0x31, count: 16), mode: .normal)
        let foreign = try RSAHandlerSupport.wrap(HandlerContext(device: other, keys: otherKeys), der: hex(RSAFixture.privateDER), usage: .any)
        XCTAssertEqual(send(d, try RSASignRequest(hash: 6, data: abc, privateKey: .inline(foreign)).payload()).error, "10")
    }

    /// One cached key used by several threads at once (OpenSSL allows concurrent operations
    /// on one EVP_PKEY): every signature is still the known answer; and a small cache
    /// churned by many blobs stays bounded.
    func testRSACachedKeyUsedConcurrentlyAndCacheBounded() throws {
        let d = testDevice()
        let b = try rsaBlob(d, .any)
        let abc = Array("abc".utf8)
        let payload = try RSASignRequest(hash: 6, data: abc, privateKey: .inline(b)).payload()
        let want = hex(RSAFixture.sigSHA256)
        let lock = NSLock()
        var wrong = 0
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<15 {
                let r = d.handle(body: payload, headerLength: 0)
                let ok = r.count > 8 && r[2] == 0x30 && r[3] == 0x30 && Array(r[8...]) == want
                if !ok { lock.withLock { wrong += 1 } }
            }
        }
        XCTAssertEqual(wrong, 0)
        XCTAssertEqual(try keys(d).rsaPrivateKeys.count, 1)
        // 300 distinct blobs (same key, fresh IVs): the cache holds at most its capacity.
        for _ in 0..<300 {
            let other = try rsaBlob(d, .any)
            XCTAssertEqual(send(d, try RSASignRequest(hash: 6, data: abc, privateKey: .inline(other)).payload()).error, "00")
        }
        XCTAssertLessThanOrEqual(try keys(d).rsaPrivateKeys.count, try keys(d).rsaPrivateKeys.capacity)
    }

    func testRSAPublicKeyParsedOnceAndBadDERStillRefused() throws {
        let d = testDevice()
        let pub = hex(RSAFixture.publicDER)
        let abc = Array("abc".utf8)
        for _ in 0..<3 {
            XCTAssertEqual(send(d, try RSAVerifyRequest(hash: 6, signature: hex(RSAFixture.sigSHA256), data: abc, publicKey: .inline(pub)).payload()).error, "00")
        }
        XCTAssertEqual(try keys(d).rsaPublicKeys.count, 1)
        // Well-formed DER the device refuses (a 512-bit modulus), each time.
        let small = hex("3048024100" + String(repeating: "C1A2B3C4D5E6F708", count: 8) + "0203010001")
        for _ in 0..<2 {
            XCTAssertEqual(send(d, try RSAVerifyRequest(hash: 6, signature: hex(RSAFixture.sigSHA256), data: abc, publicKey: .inline(small)).payload()).error, "15")
            XCTAssertEqual(send(d, try RSAEncryptRequest(padding: 1, data: abc, publicKey: .inline(small)).payload()).error, "15")
        }
        XCTAssertEqual(try keys(d).rsaPublicKeys.count, 1, "a refused DER is not kept")
    }

    func testSM2PairCheckedOnceAndAnotherPointStillRefused() throws {
        let d = testDevice()
        let g = try call(d, SM2GenerateRequest(), SM2GenerateResponse.self)
        let h = try call(d, SM2GenerateRequest(), SM2GenerateResponse.self)
        let msg = Array("sm2 cached pair".utf8)
        let q = try XCTUnwrap(SM2PublicKeyDER.point(g.publicKeyDER))
        for _ in 0..<3 {
            let s = try call(d, SM2SignRequest(key: .carried(der: g.publicKeyDER, privateKey: g.privateKeyUnderLMK), userID: [], data: msg),
                             SM2DataResponse.self)
            XCTAssertTrue(try HSMCrypto.SM2.verify(signature: s.data, message: msg, publicKey: q))
        }
        XCTAssertEqual(try keys(d).sm2CheckedPairs.count, 1, "three signatures with one pair: checked once")
        // The cached blob with another key's (valid) point: 15, every time.
        for _ in 0..<2 {
            XCTAssertEqual(send(d, try SM2SignRequest(key: .carried(der: h.publicKeyDER, privateKey: g.privateKeyUnderLMK), userID: [], data: msg).payload()).error, "15")
        }
        // An altered blob with the cached point: 10.
        var bad = g.privateKeyUnderLMK
        bad[3] ^= 0x01
        XCTAssertEqual(send(d, try SM2SignRequest(key: .carried(der: g.publicKeyDER, privateKey: bad), userID: [], data: msg).payload()).error, "10")
        XCTAssertEqual(try keys(d).sm2CheckedPairs.count, 1)
    }
}
