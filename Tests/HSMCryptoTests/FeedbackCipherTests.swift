@testable import HSMCrypto
import XCTest

final class FeedbackCipherTests: XCTestCase {
    // NIST SP 800-38A appendix F.3.13 (CFB128-AES128.Encrypt) and F.4.1 (OFB-AES128.Encrypt).
    let aesKey = h("2b7e151628aed2a6abf7158809cf4f3c")
    let aesIV = h("000102030405060708090a0b0c0d0e0f")
    let aesPlain = h("6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51 30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710")

    func testAESCFB128KnownAnswer() throws {
        let want = h("3b3fd92eb72dad20333449f8e83cfb4a c8a64537a0b3a93fcde3cdad9f1ce58b 26751f67a3cbb140b1808cf187a4f4df c04b05357c5d1c0eeac4c66f9ff7f2e6")
        XCTAssertEqual(try FeedbackCipher.encrypt(.aes128, .cfb, key: aesKey, iv: aesIV, aesPlain), want)
        XCTAssertEqual(try FeedbackCipher.decrypt(.aes128, .cfb, key: aesKey, iv: aesIV, want), aesPlain)
    }

    func testAESOFBKnownAnswer() throws {
        let want = h("3b3fd92eb72dad20333449f8e83cfb4a 7789508d16918f03f53c52dac54ed825 9740051e9c5fecf64344f7a82260edcc 304c6528f659c77866a510d9c1d6ae5e")
        XCTAssertEqual(try FeedbackCipher.encrypt(.aes128, .ofb, key: aesKey, iv: aesIV, aesPlain), want)
        XCTAssertEqual(try FeedbackCipher.decrypt(.aes128, .ofb, key: aesKey, iv: aesIV, want), aesPlain)
        // a stream mode: a part of the data gives the same prefix (any length, no padding)
        XCTAssertEqual(try FeedbackCipher.encrypt(.aes128, .ofb, key: aesKey, iv: aesIV, Array(aesPlain.prefix(21))), Array(want.prefix(21)))
    }

    // draft-ribose-cfrg-sm4-10 appendix A.2.4 (SM4-CFB) and A.2.5 (SM4-OFB), both keys.
    func testSM4CFBAndOFBKnownAnswers() throws {
        let iv = h("000102030405060708090A0B0C0D0E0F")
        let pt = h("AAAAAAAABBBBBBBBCCCCCCCCDDDDDDDDEEEEEEEEFFFFFFFFAAAAAAAABBBBBBBB")
        let k1 = h("0123456789ABCDEFFEDCBA9876543210"), k2 = h("FEDCBA98765432100123456789ABCDEF")
        XCTAssertEqual(try FeedbackCipher.encrypt(.sm4, .cfb, key: k1, iv: iv, pt), h("AC3236CB861DD316E6413B4E3C7524B769D4C54ED433B9A0346009BEB37B2B3F"))
        XCTAssertEqual(try FeedbackCipher.encrypt(.sm4, .cfb, key: k2, iv: iv, pt), h("5DCCCD25A84BA16560D7F26588706849 0D9B86FF20C3BFE115FFA02CA6192CC5"))
        XCTAssertEqual(try FeedbackCipher.encrypt(.sm4, .ofb, key: k1, iv: iv, pt), h("AC3236CB861DD316E6413B4E3C7524B71D01ACA2487CA582CBF5463E6698539B"))
        let c = try FeedbackCipher.encrypt(.sm4, .ofb, key: k2, iv: iv, pt)
        XCTAssertEqual(c, h("5DCCCD25A84BA16560D7F2658870684933FA16BD5CD9C856CACAA1E101897A97"))
        XCTAssertEqual(try FeedbackCipher.decrypt(.sm4, .ofb, key: k2, iv: iv, c), pt)
    }

    // Double-length 3DES (K1|K2|K1), CFB64 and OFB, 22 bytes (not whole blocks): values of
    // `openssl enc -des-ede-cfb` / `-des-ede-ofb -nopad -K 0123456789ABCDEFFEDCBA9876543210
    // -iv 0102030405060708` (OpenSSL 3.0 command line). The first 8 bytes are equal in both
    // modes (P1 XOR E(IV)), checked against ECB here too.
    func testTDEACFB64AndOFBKnownAnswers() throws {
        let key = h("0123456789ABCDEFFEDCBA9876543210"), iv = h("0102030405060708")
        let pt = a("Now is the time for it")
        let cfb = try FeedbackCipher.encrypt(.des, .cfb, key: key, iv: iv, pt)
        let ofb = try FeedbackCipher.encrypt(.des, .ofb, key: key, iv: iv, pt)
        XCTAssertEqual(cfb, h("e6339cacb3acd87cb664e4247ee9792d8836d125682c"))
        XCTAssertEqual(ofb, h("e6339cacb3acd87c8912e7c1c8c0f3580de7b4a604ad"))
        let e = try BlockCipher.encryptECB(.des, key: key, iv)
        XCTAssertEqual(Array(cfb.prefix(8)), zip(pt.prefix(8), e).map { $0 ^ $1 })
        XCTAssertEqual(try FeedbackCipher.decrypt(.des, .cfb, key: key, iv: iv, cfb), pt)
        XCTAssertEqual(try FeedbackCipher.decrypt(.des, .ofb, key: key, iv: iv, ofb), pt)
    }

    func testBadArguments() throws {
        assertThrows(.invalidIVLength(expected: 8, actual: 16), try FeedbackCipher.encrypt(.des, .cfb, key: h("0123456789ABCDEF"), iv: aesIV, [1]))
        assertThrows(.invalidKeyLength(algorithm: "sm4", length: 8), try FeedbackCipher.encrypt(.sm4, .ofb, key: h("0123456789ABCDEF"), iv: aesIV, [1]))
        XCTAssertEqual(try FeedbackCipher.encrypt(.aes128, .cfb, key: aesKey, iv: aesIV, []), [])
    }
}
