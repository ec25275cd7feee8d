@testable import HSMCrypto
import XCTest

final class BlockCipherTests: XCTestCase {
    // GB/T 32907-2016 example 1 (SM4 ECB).
    func testSM4ECBKnownAnswer() throws {
        let c = try BlockCipher(algorithm: .sm4, key: h("0123456789ABCDEFFEDCBA9876543210"))
        let ct = try c.encryptECB(h("0123456789ABCDEFFEDCBA9876543210"))
        XCTAssertEqual(ct, h("681EDF34D206965E86B3E94F536E4246"))
        XCTAssertEqual(try c.decryptECB(ct), h("0123456789ABCDEFFEDCBA9876543210"))
        XCTAssertEqual(c.blockSize, 16)
    }

    // draft-ribose-cfrg-sm4 (GB/T 32907 companion) appendix A.2.2.1 / A.2.2.2, SM4-CBC.
    func testSM4CBCKnownAnswers() throws {
        let iv = h("000102030405060708090A0B0C0D0E0F")
        let pt = h("AAAAAAAABBBBBBBBCCCCCCCCDDDDDDDDEEEEEEEEFFFFFFFFAAAAAAAABBBBBBBB")
        let c1 = try BlockCipher(algorithm: .sm4, key: h("0123456789ABCDEFFEDCBA9876543210"))
        XCTAssertEqual(try c1.encryptCBC(pt, iv: iv), h("78EBB11CC40B0A48312AAEB2040244CB4CB7016951909226979B0D15DC6A8F6D"))
        let c2 = try BlockCipher(algorithm: .sm4, key: h("FEDCBA98765432100123456789ABCDEF"))
        let ct2 = try c2.encryptCBC(pt, iv: iv)
        XCTAssertEqual(ct2, h("0D3A6DDC2D21C698857215587B7BB59A91F2C147911A4144665E1FA1D40BAE38"))
        XCTAssertEqual(try c2.decryptCBC(ct2, iv: iv), pt)
    }

    // NIST SP 800-67 Rev.1 appendix B example: TDEA ECB with three keys.
    func testTDEAThreeKeyKnownAnswer() throws {
        let key = h("0123456789ABCDEF 23456789ABCDEF01 456789ABCDEF0123")
        let pt = a("The qufck brown fox jump")
        let c = try BlockCipher(algorithm: .des, key: key)
        let ct = try c.encryptECB(pt)
        XCTAssertEqual(ct, h("A826FD8CE53B855F CCE21C8112256FE6 68D5C05DD9B6B900"))
        XCTAssertEqual(try c.decryptECB(ct), pt)
        XCTAssertEqual(c.blockSize, 8)
    }

    // NIST SP 800-20 table A.1 (variable plaintext KAT), single DES with key 0101..01;
    // single DES is run as DES-EDE3 with K|K|K.
    func testSingleDESVariablePlaintextKnownAnswers() throws {
        let c = try BlockCipher(algorithm: .des, key: h("0101010101010101"))
        XCTAssertEqual(try c.encryptECB(h("8000000000000000")), h("95F8A5E5DD31D900"))
        XCTAssertEqual(try c.encryptECB(h("4000000000000000")), h("DD7F121CA5015619"))
        XCTAssertEqual(try c.encryptECB(h("0000000000000001")), h("166B40B44ABA4BD6"))
    }

    // Double-length key K1|K2 must equal triple-length K1|K2|K1.
    func testDoubleLengthDESEqualsK1K2K1() throws {
        let k1 = h("0123456789ABCDEF"), k2 = h("FEDCBA9876543210")
        let pt = h("0011223344556677 8899AABBCCDDEEFF")
        let c2 = try BlockCipher(algorithm: .des, key: k1 + k2)
        let c3 = try BlockCipher(algorithm: .des, key: k1 + k2 + k1)
        XCTAssertEqual(try c2.encryptECB(pt), try c3.encryptECB(pt))
        // And differs from single-DES under K1.
        XCTAssertNotEqual(try c2.encryptECB(pt), try BlockCipher(algorithm: .des, key: k1).encryptECB(pt))
    }

    // FIPS 197 appendix C.1 / C.2 / C.3.
    func testAESKnownAnswers() throws {
        let pt = h("00112233445566778899AABBCCDDEEFF")
        let k = h("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F")
        XCTAssertEqual(try BlockCipher(algorithm: .aes128, key: Array(k[0..<16])).encryptECB(pt), h("69C4E0D86A7B0430D8CDB78070B4C55A"))
        XCTAssertEqual(try BlockCipher(algorithm: .aes192, key: Array(k[0..<24])).encryptECB(pt), h("DDA97CA4864CDFE06EAF70A0EC0D7191"))
        let c = try BlockCipher(algorithm: .aes256, key: k)
        XCTAssertEqual(try c.encryptECB(pt), h("8EA2B7CA516745BFEAFC49904B496089"))
        XCTAssertEqual(try c.decryptECB(h("8EA2B7CA516745BFEAFC49904B496089")), pt)
    }

    // NIST SP 800-38A F.2.1 (CBC-AES128.Encrypt), first two blocks.
    func testAES128CBCKnownAnswer() throws {
        let c = try BlockCipher(algorithm: .aes128, key: h("2B7E151628AED2A6ABF7158809CF4F3C"))
        let iv = h("000102030405060708090A0B0C0D0E0F")
        let pt = h("6BC1BEE22E409F96E93D7E117393172A AE2D8A571E03AC9C9EB76FAC45AF8E51")
        let ct = try c.encryptCBC(pt, iv: iv)
        XCTAssertEqual(ct, h("7649ABAC8119B246CEE98E9B12E9197D 5086CB9B507219EE95DB113A917678B2"))
        XCTAssertEqual(try c.decryptCBC(ct, iv: iv), pt)
    }

    // Repeated CBC calls on one instance reset the IV each time (context reuse).
    func testRepeatedCBCCallsAreIndependent() throws {
        let c = try BlockCipher(algorithm: .aes128, key: h("2B7E151628AED2A6ABF7158809CF4F3C"))
        let iv = h("000102030405060708090A0B0C0D0E0F")
        let pt = h("6BC1BEE22E409F96E93D7E117393172A")
        let first = try c.encryptCBC(pt, iv: iv)
        let second = try c.encryptCBC(pt, iv: iv)
        XCTAssertEqual(first, second)
        XCTAssertEqual(first, h("7649ABAC8119B246CEE98E9B12E9197D"))
        let other = try c.encryptCBC(pt, iv: [UInt8](repeating: 0, count: 16))
        XCTAssertNotEqual(other, first)
        XCTAssertEqual(try c.decryptCBC(first, iv: iv), pt)
        XCTAssertEqual(try c.decryptCBC(first, iv: iv), pt)
        // ECB interleaved with CBC on the same instance.
        XCTAssertEqual(try c.decryptECB(c.encryptECB(pt)), pt)
    }

    func testRoundTripsAllAlgorithms() throws {
        for alg in BlockCipherAlgorithm.allCases {
            for kl in alg.keyLengths {
                let key = try Random.bytes(kl)
                let c = try BlockCipher(algorithm: alg, key: key)
                let data = try Random.bytes(alg.blockSize * 5)
                let iv = try Random.bytes(alg.blockSize)
                XCTAssertEqual(try c.decryptECB(c.encryptECB(data)), data)
                XCTAssertEqual(try c.decryptCBC(c.encryptCBC(data, iv: iv), iv: iv), data)
                XCTAssertEqual(try c.encryptECB([]), [])
            }
        }
    }

    func testWrongKeyLengthRejected() {
        assertThrows(.invalidKeyLength(algorithm: "des", length: 7), try BlockCipher(algorithm: .des, key: [UInt8](repeating: 1, count: 7)))
        assertThrows(.invalidKeyLength(algorithm: "des", length: 32), try BlockCipher(algorithm: .des, key: [UInt8](repeating: 1, count: 32)))
        assertThrows(.invalidKeyLength(algorithm: "sm4", length: 8), try BlockCipher(algorithm: .sm4, key: [UInt8](repeating: 1, count: 8)))
        assertThrows(.invalidKeyLength(algorithm: "aes128", length: 24), try BlockCipher(algorithm: .aes128, key: [UInt8](repeating: 1, count: 24)))
        assertThrows(.invalidKeyLength(algorithm: "sm4", length: 0), try BlockCipher(algorithm: .sm4, key: []))
    }

    func testUnalignedDataAndBadIVRejected() throws {
        let d = try BlockCipher(algorithm: .des, key: h("0123456789ABCDEF"))
        assertThrows(.unalignedData(length: 7, blockSize: 8), try d.encryptECB([UInt8](repeating: 0, count: 7)))
        assertThrows(.unalignedData(length: 9, blockSize: 8), try d.decryptECB([UInt8](repeating: 0, count: 9)))
        assertThrows(.invalidIVLength(expected: 8, actual: 16), try d.encryptCBC([UInt8](repeating: 0, count: 8), iv: [UInt8](repeating: 0, count: 16)))
        let s = try BlockCipher(algorithm: .sm4, key: h("0123456789ABCDEFFEDCBA9876543210"))
        assertThrows(.unalignedData(length: 8, blockSize: 16), try s.encryptCBC([UInt8](repeating: 0, count: 8), iv: [UInt8](repeating: 0, count: 16)))
        assertThrows(.invalidIVLength(expected: 16, actual: 0), try s.decryptCBC([UInt8](repeating: 0, count: 16), iv: []))
    }

    func testErrorMessagesDoNotContainKey() {
        do {
            _ = try BlockCipher(algorithm: .sm4, key: h("0123456789ABCDEF0123"))
            XCTFail("expected error")
        } catch {
            let msg = "\(error)"
            XCTAssertFalse(msg.contains("0123456789"))
            XCTAssertTrue(msg.contains("10"))
        }
    }

    func testConcurrentUseOfOneInstance() throws {
        let c = try BlockCipher(algorithm: .aes128, key: h("2B7E151628AED2A6ABF7158809CF4F3C"))
        let iv = h("000102030405060708090A0B0C0D0E0F")
        let pt = h("6BC1BEE22E409F96E93D7E117393172A")
        let expected = h("7649ABAC8119B246CEE98E9B12E9197D")
        let results = UnsafeMutableBufferPointer<Bool>.allocate(capacity: 8)
        results.initialize(repeating: false)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            var ok = true
            for _ in 0..<200 {
                if (try? c.encryptCBC(pt, iv: iv)) != expected { ok = false }
                if (try? c.decryptCBC(expected, iv: iv)) != pt { ok = false }
            }
            results[i] = ok
        }
        XCTAssertTrue(results.allSatisfy { $0 })
    }
}
