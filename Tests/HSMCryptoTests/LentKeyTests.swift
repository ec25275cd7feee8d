@testable import HSMCrypto
import XCTest

/// The key-lent-as-bytes forms (`BlockCipher(algorithm:key:)`, `HMAC.compute`, `KDF.hkdfSHA256`
/// with an `UnsafeRawBufferPointer` key, as a `SecureBytes` lends it): the same published
/// answers as the array forms, the same key-length refusals.
final class LentKeyTests: XCTestCase {
    func testBlockCipherWithALentKeyGivesTheKnownAnswers() throws {
        // GB/T 32907-2016 example 1 (SM4) and the double-length DES = K1 K2 K1 rule.
        let sm4 = SecureBytes(h("0123456789ABCDEFFEDCBA9876543210"))
        let c = try sm4.withUnsafeBytes { try BlockCipher(algorithm: .sm4, key: $0) }
        XCTAssertEqual(try c.encryptECB(h("0123456789ABCDEFFEDCBA9876543210")), h("681EDF34D206965E86B3E94F536E4246"))
        let k1 = h("0123456789ABCDEF"), k2 = h("FEDCBA9876543210"), pt = h("00112233445566778899AABBCCDDEEFF")
        let lent = try SecureBytes(k1 + k2).withUnsafeBytes { try BlockCipher(algorithm: .des, key: $0) }
        XCTAssertEqual(try lent.encryptECB(pt), try BlockCipher(algorithm: .des, key: k1 + k2 + k1).encryptECB(pt))
        let single = try SecureBytes(k1).withUnsafeBytes { try BlockCipher(algorithm: .des, key: $0) }
        XCTAssertEqual(try single.encryptECB(pt), try BlockCipher(algorithm: .des, key: k1).encryptECB(pt))
        XCTAssertThrowsError(try SecureBytes(count: 15).withUnsafeBytes { try BlockCipher(algorithm: .aes128, key: $0) }) {
            XCTAssertEqual($0 as? CryptoError, .invalidKeyLength(algorithm: "aes128", length: 15))
        }
    }

    func testHMACWithALentKeyGivesTheKnownAnswers() throws {
        // RFC 4231 test cases 1 and 2 (HMAC-SHA256); an empty key is allowed as with an array.
        let key = SecureBytes([UInt8](repeating: 0x0B, count: 20))
        XCTAssertEqual(try key.withUnsafeBytes { try HMAC.compute(.sha256, key: $0, data: a("Hi There")) },
                       h("B0344C61D8DB38535CA8AFCEAF0BF12B881DC200C9833DA726E9376C2E32CFF7"))
        XCTAssertEqual(try SecureBytes(a("Jefe")).withUnsafeBytes { try HMAC.compute(.sha256, key: $0, data: a("what do ya want for nothing?")) },
                       h("5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843"))
        XCTAssertEqual(try SecureBytes().withUnsafeBytes { try HMAC.compute(.sha256, key: $0, data: a("m")) },
                       try HMAC.compute(.sha256, key: [], data: a("m")))
    }

    func testHKDFWithALentKeyGivesTheKnownAnswerAndRefusesAnEmptyKey() throws {
        // RFC 5869 appendix A.1.
        let ikm = SecureBytes([UInt8](repeating: 0x0B, count: 22))
        XCTAssertEqual(try ikm.withUnsafeBytes { try KDF.hkdfSHA256(key: $0, salt: h("000102030405060708090A0B0C"), info: h("F0F1F2F3F4F5F6F7F8F9"), length: 42) },
                       h("3CB25F25FAACD57A90434F64D0362F2A2D2D0A90CF1A5A4C5DB02D56ECC4C5BF34007208D5B887185865"))
        assertThrows(.invalidArgument("HKDF key"), try SecureBytes().withUnsafeBytes { try KDF.hkdfSHA256(key: $0, salt: [], info: [], length: 16) })
    }
}
