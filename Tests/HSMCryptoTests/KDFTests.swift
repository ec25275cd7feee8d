@testable import HSMCrypto
import XCTest

final class KDFTests: XCTestCase {
    // RFC 5869 appendix A.1 (test case 1) and A.3 (test case 3: empty salt and info).
    func testHKDFKnownAnswers() throws {
        let ikm = [UInt8](repeating: 0x0B, count: 22)
        XCTAssertEqual(try KDF.hkdfSHA256(key: ikm, salt: h("000102030405060708090A0B0C"), info: h("F0F1F2F3F4F5F6F7F8F9"), length: 42),
                       h("3CB25F25FAACD57A90434F64D0362F2A2D2D0A90CF1A5A4C5DB02D56ECC4C5BF34007208D5B887185865"))
        XCTAssertEqual(try KDF.hkdfSHA256(key: ikm, salt: [], info: [], length: 42),
                       h("8DA4E775A563C18F715F802A063C5A31B8A11F5C5EE1879EC3454E5F3C738D2D9D201395FAA4B61A96C8"))
    }

    func testHKDFErrors() {
        assertThrows(.invalidArgument("HKDF output length"), try KDF.hkdfSHA256(key: [1], salt: [], info: [], length: 0))
        assertThrows(.invalidArgument("HKDF output length"), try KDF.hkdfSHA256(key: [1], salt: [], info: [], length: 8161))
        assertThrows(.invalidArgument("HKDF key"), try KDF.hkdfSHA256(key: [], salt: [], info: [], length: 16))
    }

    // RFC 7914 section 11 (PBKDF2-HMAC-SHA256).
    func testPBKDF2KnownAnswers() throws {
        XCTAssertEqual(try KDF.pbkdf2SHA256(password: a("passwd"), salt: a("salt"), iterations: 1, length: 64),
                       h("55AC046E56E3089FEC1691C22544B605F94185216DDE0465E68B9D57C20DACBC49CA9CCCF179B645991664B39D77EF317C71B845B1E30BD509112041D3A19783"))
        XCTAssertEqual(try KDF.pbkdf2SHA256(password: a("Password"), salt: a("NaCl"), iterations: 80000, length: 64),
                       h("4DDCD8F60B98BE21830CEE5EF22701F9641A4418D04C0414AEFF08876B34AB56A1D425A1225833549ADB841B51C9B3176A272BDEBBA1D078478F62B397F33C8D"))
    }

    func testPBKDF2Errors() {
        assertThrows(.invalidArgument("PBKDF2 iterations"), try KDF.pbkdf2SHA256(password: a("p"), salt: a("s"), iterations: 0, length: 32))
        assertThrows(.invalidArgument("PBKDF2 output length"), try KDF.pbkdf2SHA256(password: a("p"), salt: a("s"), iterations: 1, length: 0))
    }

    // RFC 7914 section 12, second vector (scrypt).
    func testScryptKnownAnswer() throws {
        XCTAssertEqual(try KDF.scrypt(password: a("password"), salt: a("NaCl"), n: 1024, r: 8, p: 16, length: 64),
                       h("FDBABE1C9D3472007856E7190D01E9FE7C6AD7CBC8237830E77376634B3731622EAF30D92E22A3886FF109279D9830DAC727AFB94A83EE6D8360CBDFA2CC0640"))
        assertThrows(.invalidArgument("scrypt parameters"), try KDF.scrypt(password: [], salt: [], n: 1000, r: 1, p: 1, length: 16))
    }
}
