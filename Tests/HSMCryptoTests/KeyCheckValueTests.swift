@testable import HSMCrypto
import XCTest

final class KeyCheckValueTests: XCTestCase {
    // Project public-kat.json "des_kcv": encrypt 8 zero bytes under 0123456789ABCDEF.
    func testDESKCV() throws {
        XCTAssertEqual(try KeyCheckValue.compute(key: h("0123456789ABCDEF"), algorithm: .des), h("D5D44FF720683D0D"))
    }

    // Double-length key with K1 == K2 behaves as single DES, so the KCV matches.
    func testDoubleLengthKCVWithEqualHalves() throws {
        XCTAssertEqual(try KeyCheckValue.compute(key: h("0123456789ABCDEF0123456789ABCDEF"), algorithm: .des), h("D5D44FF720683D0D"))
    }

    // SM4 KCV is a 16-byte zero block encrypted; cross-checked against ECB of zeros.
    func testSM4AndAESKCVAreFullBlock() throws {
        let key = h("0123456789ABCDEFFEDCBA9876543210")
        let kcv = try KeyCheckValue.compute(key: key, algorithm: .sm4)
        XCTAssertEqual(kcv.count, 16)
        XCTAssertEqual(kcv, try BlockCipher(algorithm: .sm4, key: key).encryptECB([UInt8](repeating: 0, count: 16)))
        // FIPS 197-style: AES-128 of zero block under zero key = 66E94BD4EF8A2C3B884CFA59CA342B2E
        // (NIST AESAVS GFSbox/KeySbox zero-key value).
        XCTAssertEqual(try KeyCheckValue.compute(key: [UInt8](repeating: 0, count: 16), algorithm: .aes128), h("66E94BD4EF8A2C3B884CFA59CA342B2E"))
    }

    func testKCVRejectsBadKey() {
        assertThrows(.invalidKeyLength(algorithm: "des", length: 5), try KeyCheckValue.compute(key: [1, 2, 3, 4, 5], algorithm: .des))
    }
}
