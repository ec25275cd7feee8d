import XCTest
@testable import CACipherCore
import HostProtocol
@testable import EVSMKit

/// M6, M8 (one-shot and in parts), M0, M2 (ECB, CBC) through the typed API.
final class TypedMACDataTests: TypedTestCase {
    let data16 = Array("1234567887654321".utf8)

    /// [LB] X9.19 retail MACs with a TAK and a ZAK under the test LMK.
    func testPublishedRetailMACsAndVerify() throws {
        let tak = KeyField(text: "U90A17A99E4BA32475E692D7AAE177BBD")!
        let zak = KeyField(text: "U2549A1834EFDDC9629CBD8DC5C982D75")!
        let m = try client.generateMAC(key: tak, keyType: .tak, algorithm: .alg3, padding: .none, data: data16)
        XCTAssertEqual(Hex.string(m), "934F05263310B6D3")
        XCTAssertEqual(Hex.string(try client.generateMAC(key: zak, keyType: .zak, algorithm: .alg3, padding: .none, data: data16)), "A1C911EBA50563C9")
        XCTAssertEqual(Hex.string(try client.generateMAC(key: tak, algorithm: .alg3, padding: .none, size: .bytes4, data: data16)), "934F0526")
        XCTAssertTrue(try client.verifyMAC(key: tak, algorithm: .alg3, padding: .none, data: data16, mac: m))
        var bad = m
        bad[7] ^= 1
        XCTAssertFalse(try client.verifyMAC(key: tak, algorithm: .alg3, padding: .none, data: data16, mac: bad))
        XCTAssertTrue(try client.verifyMAC(key: tak, algorithm: .alg3, padding: .none, size: .bytes4, data: data16, mac: Array(m.prefix(4))))
        // A ZPK is not a MAC key type: 27; a TAK presented as a ZAK: 10; padding none on a partial block: 80.
        assertCode(27, "generate MAC (M6)") { _ = try client.generateMAC(key: tak, keyType: .zpk, algorithm: .alg3, padding: .none, data: data16) }
        assertCode(10) { _ = try client.generateMAC(key: tak, keyType: .zak, algorithm: .alg3, padding: .none, data: data16) }
        assertCode(80) { _ = try client.generateMAC(key: tak, algorithm: .alg3, padding: .none, data: [1, 2, 3]) }
        assertCode(27, "verify MAC (M8)") { _ = try client.verifyMAC(key: tak, keyType: .zpk, algorithm: .alg3, padding: .none, data: data16, mac: m) }
    }

    /// [KAT] ISO/IEC 9797-1 annex B: alg 3 with padding 1, and X9.9 (alg 1, single DES).
    func testISO9797KnownAnswers() throws {
        let k2 = try underLMK("0123456789ABCDEFFEDCBA9876543210", .tak, .doubleVariant)
        XCTAssertEqual(Hex.string(try client.generateMAC(key: k2, algorithm: .alg3, padding: .zeros, data: Array("Now is the time for all ".utf8))), "A1C72E74EA3FA9B6")
        XCTAssertEqual(Hex.string(try client.generateMAC(key: k2, algorithm: .alg3, padding: .zeros, data: Array("Now is the time for it".utf8))), "2E2B1428CC78254F")
        let k1 = try underLMK("0123456789ABCDEF", .tak, .singleDES)
        XCTAssertEqual(Hex.string(try client.generateMAC(key: k1, algorithm: .alg1, padding: .zeros, data: Array("7654321 Now is the time for ".utf8))), "F1D30F6849312CA4")
    }

    /// Parts chained through the IV give the one-shot MAC (DES alg 3, SM4 alg 1).
    func testMultiPartMACEqualsOneShot() throws {
        let tak = try client.generateKey(type: .tak, scheme: .doubleVariant).keyUnderLMK
        let whole = Array("ABCDEFGHIJKLMNOPQRSTUVWX0123456789".utf8)
        let one = try client.generateMAC(key: tak, algorithm: .alg3, padding: .method2, data: whole)
        let c1 = try client.generateMAC(key: tak, algorithm: .alg3, padding: .method2, data: Array(whole[0..<8]), part: .first)
        XCTAssertEqual(c1.count, 8)
        let c2 = try client.generateMAC(key: tak, algorithm: .alg3, padding: .method2, data: Array(whole[8..<24]), part: .middle, iv: c1)
        let last = try client.generateMAC(key: tak, algorithm: .alg3, padding: .method2, data: Array(whole[24...]), part: .last, iv: c2)
        XCTAssertEqual(last, one)
        XCTAssertTrue(try client.verifyMAC(key: tak, algorithm: .alg3, padding: .method2, data: Array(whole[24...]), mac: one, part: .last, iv: c2))
        // SM4 ZAK, algorithm 1: 16-byte chaining values.
        let sm4 = try client.generateKey(type: .zak, scheme: .sm4).keyUnderLMK
        let s1 = try client.generateMAC(key: sm4, keyType: .zak, algorithm: .alg1, padding: .method2, data: Array(whole[0..<16]), part: .first)
        XCTAssertEqual(s1.count, 16)
        let sl = try client.generateMAC(key: sm4, keyType: .zak, algorithm: .alg1, padding: .method2, data: Array(whole[16...]), part: .last, iv: s1)
        XCTAssertEqual(sl, try client.generateMAC(key: sm4, keyType: .zak, algorithm: .alg1, padding: .method2, data: whole))
        // Algorithm 3 needs a DES key: 15.
        assertCode(15) { _ = try client.generateMAC(key: sm4, keyType: .zak, algorithm: .alg3, padding: .method2, data: whole) }
    }

    /// [KAT] DES 0123456789ABCDEF encrypts the zero block to D5D44FF720683D0D; SM4 GB/T 32907 example 1.
    func testDataKnownAnswers() throws {
        let des = try underLMK("0123456789ABCDEF", .dek, .singleDES)
        let e = try client.encryptData(key: des, mode: .ecb, data: [UInt8](repeating: 0, count: 8))
        XCTAssertEqual(Hex.string(e.data), "D5D44FF720683D0D")
        XCTAssertNil(e.nextIV)
        XCTAssertEqual(try client.decryptData(key: des, mode: .ecb, data: e.data).data, [UInt8](repeating: 0, count: 8))
        let sm4 = try underLMK("0123456789ABCDEFFEDCBA9876543210", .zek, .sm4)
        let s = try client.encryptData(key: sm4, mode: .ecb, data: bytes("0123456789ABCDEFFEDCBA9876543210"))
        XCTAssertEqual(Hex.string(s.data), "681EDF34D206965E86B3E94F536E4246")
    }

    func testCBCRoundTripsAndChaining() throws {
        for s in [KeyScheme.doubleVariant, .tripleVariant, .sm4, .aes128] {
            let k = try client.generateKey(type: .zek, scheme: s).keyUnderLMK
            let bs = s.algorithm.blockSize
            let plain = (0..<(bs * 4)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
            let iv = [UInt8](repeating: 0x5A, count: bs)
            let whole = try client.encryptData(key: k, mode: .cbc, iv: iv, data: plain)
            XCTAssertEqual(whole.nextIV, Array(whole.data.suffix(bs)))
            // Two parts chained through nextIV give the same ciphertext.
            let p1 = try client.encryptData(key: k, mode: .cbc, iv: iv, data: Array(plain[0..<(bs * 2)]))
            let p2 = try client.encryptData(key: k, mode: .cbc, iv: try XCTUnwrap(p1.nextIV), data: Array(plain[(bs * 2)...]))
            XCTAssertEqual(p1.data + p2.data, whole.data, "scheme \(s)")
            XCTAssertEqual(try client.decryptData(key: k, mode: .cbc, iv: iv, data: whole.data).data, plain)
            XCTAssertEqual(try client.decryptData(key: k, mode: .ecb, data: try client.encryptData(key: k, mode: .ecb, data: plain).data).data, plain)
        }
        // TEK works, a ZPK type does not (27).
        let tek = try client.generateKey(type: .tek, scheme: .doubleVariant).keyUnderLMK
        XCTAssertEqual(try client.encryptData(key: tek, keyType: .tek, mode: .ecb, data: [UInt8](repeating: 1, count: 8)).data.count, 8)
        assertCode(27, "encrypt data (M0)") { _ = try client.encryptData(key: tek, keyType: .zpk, mode: .ecb, data: [UInt8](repeating: 1, count: 8)) }
    }
}
