@testable import HSMCrypto
import XCTest

final class AEADTests: XCTestCase {
    // McGrew & Viega, "The Galois/Counter Mode of Operation", test cases 13, 14, 16
    // (AES-256; also in NIST's GCM validation suite).
    func testGCMKnownAnswers() throws {
        let zero32 = [UInt8](repeating: 0, count: 32), zero12 = [UInt8](repeating: 0, count: 12)
        let tc13 = try AEAD.sealAES256GCM(key: zero32, nonce: zero12, plaintext: [], aad: [])
        XCTAssertEqual(tc13.ciphertext, [])
        XCTAssertEqual(tc13.tag, h("530F8AFBC74536B9A963B4F1C4CB738B"))
        let tc14 = try AEAD.sealAES256GCM(key: zero32, nonce: zero12, plaintext: [UInt8](repeating: 0, count: 16))
        XCTAssertEqual(tc14.ciphertext, h("CEA7403D4D606B6E074EC5D3BAF39D18"))
        XCTAssertEqual(tc14.tag, h("D0D1C8A799996BF0265B98B5D48AB919"))

        let key = h("FEFFE9928665731C6D6A8F9467308308FEFFE9928665731C6D6A8F9467308308")
        let iv = h("CAFEBABEFACEDBADDECAF888")
        let pt = h("D9313225F88406E5A55909C5AFF5269A86A7A9531534F7DA2E4C303D8A318A721C3C0C95956809532FCF0E2449A6B525B16AEDF5AA0DE657BA637B39")
        let aad = h("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")
        let tc16 = try AEAD.sealAES256GCM(key: key, nonce: iv, plaintext: pt, aad: aad)
        XCTAssertEqual(tc16.ciphertext, h("522DC1F099567D07F47F37A32A84427D643A8CDCBFE5C0C97598A2BD2555D1AA8CB08E48590DBB3DA7B08B1056828838C5F61E6393BA7A0ABCC9F662"))
        XCTAssertEqual(tc16.tag, h("76FC6ECE0F4E1768CDDF8853BB2D551B"))
        XCTAssertEqual(try AEAD.openAES256GCM(key: key, nonce: iv, ciphertext: tc16.ciphertext, tag: tc16.tag, aad: aad), pt)
        // Test case 17: 8-byte IV.
        let tc17 = try AEAD.sealAES256GCM(key: key, nonce: h("CAFEBABEFACEDBAD"), plaintext: pt, aad: aad)
        XCTAssertEqual(tc17.tag, h("3A337DBF46A792C45E454913FE2EA8F2"))
    }

    func testTamperDetected() throws {
        let key = try Random.bytes(32), nonce = try Random.bytes(12)
        let pt = a("component share 1 of 3"), aad = a("ukey v1")
        let s = try AEAD.sealAES256GCM(key: key, nonce: nonce, plaintext: pt, aad: aad)
        XCTAssertEqual(try AEAD.openAES256GCM(key: key, nonce: nonce, ciphertext: s.ciphertext, tag: s.tag, aad: aad), pt)
        var badCT = s.ciphertext; badCT[0] ^= 1
        assertThrows(.authenticationFailed, try AEAD.openAES256GCM(key: key, nonce: nonce, ciphertext: badCT, tag: s.tag, aad: aad))
        var badTag = s.tag; badTag[15] ^= 0x80
        assertThrows(.authenticationFailed, try AEAD.openAES256GCM(key: key, nonce: nonce, ciphertext: s.ciphertext, tag: badTag, aad: aad))
        assertThrows(.authenticationFailed, try AEAD.openAES256GCM(key: key, nonce: nonce, ciphertext: s.ciphertext, tag: s.tag, aad: a("ukey v2")))
        var badKey = key; badKey[31] ^= 1
        assertThrows(.authenticationFailed, try AEAD.openAES256GCM(key: badKey, nonce: nonce, ciphertext: s.ciphertext, tag: s.tag, aad: aad))
        assertThrows(.invalidArgument("GCM tag length"), try AEAD.openAES256GCM(key: key, nonce: nonce, ciphertext: s.ciphertext, tag: Array(s.tag[0..<8]), aad: aad))
        assertThrows(.invalidKeyLength(algorithm: "AES-256-GCM", length: 16), try AEAD.sealAES256GCM(key: Array(key[0..<16]), nonce: nonce, plaintext: pt))
        assertThrows(.invalidArgument("GCM nonce length"), try AEAD.sealAES256GCM(key: key, nonce: [], plaintext: pt))
    }
}
