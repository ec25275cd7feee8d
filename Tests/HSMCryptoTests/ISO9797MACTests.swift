@testable import HSMCrypto
import XCTest

final class ISO9797MACTests: XCTestCase {
    let k = h("0123456789ABCDEFFEDCBA9876543210")

    // ISO/IEC 9797-1:2011 annex B (project public-kat.json), algorithm 3, padding method 1.
    func testAlgorithm3KnownAnswers() throws {
        let mac = try ISO9797MAC(algorithm: .alg3, cipher: .des, key: k)
        XCTAssertEqual(try mac.compute(a("Now is the time for all "), padding: .method1), h("A1C72E74EA3FA9B6"))
        XCTAssertEqual(try mac.compute(a("Now is the time for it"), padding: .method1), h("2E2B1428CC78254F"))
    }

    // ANSI X9.9 / FIPS 113 style example (public-kat.json): single-DES CBC-MAC, zero padding.
    func testX99CBCMACKnownAnswer() throws {
        let mac = try ISO9797MAC(algorithm: .alg1, cipher: .des, key: h("0123456789ABCDEF"))
        XCTAssertEqual(try mac.compute(a("7654321 Now is the time for "), padding: .method1), h("F1D30F6849312CA4"))
    }

    // NIST SP 800-38A F.2.1: CBC-MAC with the vector's IV as input chaining value equals the
    // last CBC ciphertext block.
    func testAESCBCMACWithChainingInput() throws {
        let mac = try ISO9797MAC(algorithm: .alg1, cipher: .aes128, key: h("2B7E151628AED2A6ABF7158809CF4F3C"))
        let data = h("6BC1BEE22E409F96E93D7E117393172A AE2D8A571E03AC9C9EB76FAC45AF8E51")
        XCTAssertEqual(try mac.finish(data, padding: .none, chaining: h("000102030405060708090A0B0C0D0E0F")),
                       h("5086CB9B507219EE95DB113A917678B2"))
        // as two parts
        let cv = try mac.update(Array(data[0..<16]), chaining: h("000102030405060708090A0B0C0D0E0F"))
        XCTAssertEqual(cv, h("7649ABAC8119B246CEE98E9B12E9197D"))
        XCTAssertEqual(try mac.finish(Array(data[16...]), padding: .none, chaining: cv), h("5086CB9B507219EE95DB113A917678B2"))
    }

    // Multi-part (M6 modes first/middle/last) equals the one-shot MAC, all algorithms/paddings.
    func testMultiPartEqualsOneShot() throws {
        let msg = a("Now is the time for all good men to come to the aid of the party!!")
        let cases: [(MACAlgorithm, BlockCipherAlgorithm, [UInt8])] = [
            (.alg3, .des, k), (.alg1, .des, k), (.alg1, .des, h("0123456789ABCDEF")),
            (.alg1, .sm4, k), (.alg1, .aes128, k),
        ]
        for (alg, cipher, key) in cases {
            let mac = try ISO9797MAC(algorithm: alg, cipher: cipher, key: key)
            let bs = cipher.blockSize
            for padding in [MACPadding.method1, .method2] {
                let whole = try mac.compute(msg, padding: padding)
                XCTAssertEqual(whole.count, bs)
                let p1 = Array(msg[0..<(2 * bs)]), p2 = Array(msg[(2 * bs)..<(3 * bs)]), p3 = Array(msg[(3 * bs)...])
                var cv = try mac.update(p1)
                cv = try mac.update(p2, chaining: cv)
                XCTAssertEqual(try mac.finish(p3, padding: padding, chaining: cv), whole)
            }
            // Aligned message, last part empty, no padding: chaining carries everything.
            let aligned = Array(msg[0..<(4 * bs)])
            let whole = try mac.compute(aligned, padding: .none)
            let cv = try mac.update(aligned)
            XCTAssertEqual(try mac.finish([], padding: .none, chaining: cv), whole)
            XCTAssertEqual(try mac.finish([], padding: .method1, chaining: cv), whole)
            // Method 1 on aligned data adds nothing.
            XCTAssertEqual(try mac.compute(aligned, padding: .method1), whole)
            // Method 2 always adds a block on aligned data.
            XCTAssertNotEqual(try mac.compute(aligned, padding: .method2), whole)
        }
    }

    // Algorithm 3 = CBC-DES(K1) then D(K2), E(K1) — cross-check against 3DES on the last block.
    func testAlgorithm3StructureMatchesTripleDESFinalBlock() throws {
        let msg = a("Now is the time for it") + [0, 0]
        let k1 = Array(k[0..<8])
        let cbc = try BlockCipher(algorithm: .des, key: k1).encryptCBC(Array(msg[0..<16]), iv: [UInt8](repeating: 0, count: 8))
        var last = Array(msg[16..<24])
        for i in 0..<8 { last[i] ^= cbc[8 + i] }
        let expected = try BlockCipher(algorithm: .des, key: k).encryptECB(last)
        XCTAssertEqual(try ISO9797MAC(algorithm: .alg3, cipher: .des, key: k).compute(msg, padding: .none), expected)
    }

    // Padding method 1 with empty data = MAC of one zero block; method 2 = MAC of 80 00..
    func testEmptyMessagePadding() throws {
        let mac = try ISO9797MAC(algorithm: .alg1, cipher: .des, key: h("0123456789ABCDEF"))
        XCTAssertEqual(try mac.compute([], padding: .method1), h("D5D44FF720683D0D")) // = DES KCV
        XCTAssertEqual(try mac.compute([], padding: .method2), try mac.compute(h("8000000000000000"), padding: .none))
        assertThrows(.invalidArgument("empty message without padding"), try mac.compute([], padding: .none))
    }

    func testErrors() throws {
        assertThrows(.unsupported("ISO 9797-1 algorithm 3 needs DES"), try ISO9797MAC(algorithm: .alg3, cipher: .sm4, key: k))
        assertThrows(.invalidKeyLength(algorithm: "ISO 9797-1 alg 3", length: 8), try ISO9797MAC(algorithm: .alg3, cipher: .des, key: h("0123456789ABCDEF")))
        assertThrows(.invalidKeyLength(algorithm: "sm4", length: 8), try ISO9797MAC(algorithm: .alg1, cipher: .sm4, key: h("0123456789ABCDEF")))
        let mac = try ISO9797MAC(algorithm: .alg3, cipher: .des, key: k)
        assertThrows(.unalignedData(length: 7, blockSize: 8), try mac.compute([1, 2, 3, 4, 5, 6, 7], padding: .none))
        assertThrows(.unalignedData(length: 5, blockSize: 8), try mac.update([1, 2, 3, 4, 5]))
        assertThrows(.invalidIVLength(expected: 8, actual: 16), try mac.update([UInt8](repeating: 0, count: 8), chaining: [UInt8](repeating: 0, count: 16)))
        assertThrows(.invalidIVLength(expected: 8, actual: 3), try mac.finish([1], padding: .method2, chaining: [1, 2, 3]))
    }

    // Long messages (several internal 512-byte chunks) equal the last block of full CBC.
    func testLongMessageMatchesCBCLastBlock() throws {
        for (cipher, key) in [(BlockCipherAlgorithm.sm4, k), (.des, k)] {
            let bs = cipher.blockSize
            let msg = try Random.bytes(2000 + 3)
            var padded = msg + [0x80]
            while padded.count % bs != 0 { padded.append(0) }
            let ct = try BlockCipher(algorithm: cipher, key: key).encryptCBC(padded, iv: [UInt8](repeating: 0, count: bs))
            let mac = try ISO9797MAC(algorithm: .alg1, cipher: cipher, key: key)
            XCTAssertEqual(try mac.compute(msg, padding: .method2), Array(ct[(ct.count - bs)...]))
        }
    }
}
