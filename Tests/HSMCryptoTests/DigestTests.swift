@testable import HSMCrypto
import XCTest

final class DigestTests: XCTestCase {
    // FIPS 180-2 appendix examples ("abc") and GB/T 32905-2016 examples 1 and 2 (SM3).
    func testKnownAnswers() throws {
        let abc = a("abc")
        XCTAssertEqual(try Digest.hash(.sha1, abc), h("A9993E364706816ABA3E25717850C26C9CD0D89D"))
        XCTAssertEqual(try Digest.hash(.sha224, abc), h("23097D223405D8228642A477BDA255B32AADBCE4BDA0B3F7E36C9DA7"))
        XCTAssertEqual(try Digest.hash(.sha256, abc), h("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"))
        XCTAssertEqual(try Digest.hash(.sha384, abc), h("CB00753F45A35E8BB5A03D699AC65007272C32AB0EDED1631A8B605A43FF5BED8086072BA1E7CC2358BAECA134C825A7"))
        XCTAssertEqual(try Digest.hash(.sha512, abc), h("DDAF35A193617ABACC417349AE20413112E6FA4E89A97EA20A9EEEE64B55D39A2192992A274FC1A836BA3C23A3FEEBBD454D4423643CE80E2A9AC94FA54CA49F"))
        XCTAssertEqual(try Digest.hash(.sm3, abc), h("66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0"))
        let abcd16 = a(String(repeating: "abcd", count: 16))
        XCTAssertEqual(try Digest.hash(.sm3, abcd16), h("DEBE9FF92275B8A138604889C18E5A4D6FDB70E5387E5765293DCBA39C0C5732"))
    }

    // FIPS 180-2: SHA-256 of the empty string.
    func testEmptyInput() throws {
        XCTAssertEqual(try Digest.hash(.sha256, []), h("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"))
        for alg in DigestAlgorithm.allCases {
            XCTAssertEqual(try Digest.hash(alg, []).count, alg.outputLength)
        }
    }

    // RFC 4231 test case 1 (SHA-224/256/384/512) and RFC 2202 test case 1 (SHA-1).
    func testHMACKnownAnswers() throws {
        let key = [UInt8](repeating: 0x0B, count: 20)
        let data = a("Hi There")
        XCTAssertEqual(try HMAC.compute(.sha1, key: key, data: data), h("B617318655057264E28BC0B6FB378C8EF146BE00"))
        XCTAssertEqual(try HMAC.compute(.sha224, key: key, data: data), h("896FB1128ABBDF196832107CD49DF33F47B4B1169912BA4F53684B22"))
        XCTAssertEqual(try HMAC.compute(.sha256, key: key, data: data), h("B0344C61D8DB38535CA8AFCEAF0BF12B881DC200C9833DA726E9376C2E32CFF7"))
        XCTAssertEqual(try HMAC.compute(.sha512, key: key, data: data), h("87AA7CDEA5EF619D4FF0B4241A1D6CB02379F4E2CE4EC2787AD0B30545E17CDEDAA833B7D6B8A702038B274EAEA3F4E4BE9D914EEB61F1702E696C203A126854"))
        // RFC 4231 test case 2: key "Jefe".
        XCTAssertEqual(try HMAC.compute(.sha256, key: a("Jefe"), data: a("what do ya want for nothing?")), h("5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843"))
    }

    func testHMACSM3AndEmptyKey() throws {
        let m1 = try HMAC.compute(.sm3, key: a("k1"), data: a("msg"))
        let m2 = try HMAC.compute(.sm3, key: a("k2"), data: a("msg"))
        XCTAssertEqual(m1.count, 32)
        XCTAssertNotEqual(m1, m2)
        XCTAssertNotEqual(m1, try Digest.hash(.sm3, a("msg")))
        // RFC 2104 with empty key and empty message, HMAC-SHA256 (widely published value).
        XCTAssertEqual(try HMAC.compute(.sha256, key: [], data: []), h("B613679A0814D9EC772F95D778C35FC5FF1697C493715653C6C712144292C5AD"))
    }
}
