import XCTest
@testable import CACipherCore
import HostProtocol
@testable import EVSMKit

/// `E0` (racalEncryptData / racalDecryptData), `UQ` (zpkMAC), `MS` (zakTakMAC) end to end
/// over loopback. Known answers: FIPS PUB 81 appendix B (DES ECB/CBC), ISO/IEC 9797-1 annex
/// B and the X9.9 example, the China UnionPay POS "ECB" MAC example of solo123/pgate
/// (test/integration/pos_mac_test.rb) with the parity-adjusted MAK; see
/// Tests/EVSMKitTests/RacalDataTests.swift.
final class TypedRacalDataTests: TypedTestCase {
    let nowAll = Array("Now is the time for all ".utf8)

    func testE0KnownAnswersPaddingAndParts() throws {
        let k = try underLMK("0123456789ABCDEF", .zek, .singleDES)
        let ecb = try client.racalEncryptData(key: k, mode: .ecb, data: nowAll, padded: false)
        XCTAssertEqual(Hex.string(ecb.data), "3FA40E8A984D48156A271787AB8883F9893D51EC4B563B53")
        XCTAssertNil(ecb.nextIV)
        let cbc = try client.racalEncryptData(key: k, mode: .cbc, iv: bytes("1234567890ABCDEF"), data: nowAll, padded: false)
        XCTAssertEqual(Hex.string(cbc.data), "E5C7CDDE872BF27C43E934008C389C0F683788499A7C05F6")
        XCTAssertEqual(try client.racalDecryptData(key: k, mode: .cbc, iv: bytes("1234567890ABCDEF"), data: cbc.data, padded: false).data, nowAll)
        // Padded (the vendor's 180000): any length back and forth.
        let msg = Array("Racal E0 with PBOC padding".utf8)
        let p = try client.racalEncryptData(key: k, mode: .cbc, iv: bytes("0000000000000000"), data: msg)
        XCTAssertEqual(p.data.count, 32)
        XCTAssertEqual(try client.racalDecryptData(key: k, mode: .cbc, iv: bytes("0000000000000000"), data: p.data).data, msg)
        // Parts chained through nextIV give the one-call result.
        let first = try client.racalEncryptData(key: k, mode: .cbc, iv: bytes("0000000000000000"), data: Array(msg[0..<16]), part: .first)
        let last = try client.racalEncryptData(key: k, mode: .cbc, iv: try XCTUnwrap(first.nextIV), data: Array(msg[16...]), part: .last)
        XCTAssertNil(last.nextIV)
        XCTAssertEqual(first.data + last.data, p.data)
        // An SM4 ZEK.
        let sm4 = try underLMK("0123456789ABCDEFFEDCBA9876543210", .zek, .sm4)
        let s = try client.racalEncryptData(key: sm4, mode: .ecb, data: bytes("0123456789ABCDEFFEDCBA9876543210"), padded: false)
        XCTAssertEqual(Hex.string(s.data), "681EDF34D206965E86B3E94F536E4246", "GB/T 32907 example 1")
    }

    func testUQUnionPayMAC() throws {
        let k = try underLMK("2323232323232323", .zpk, .singleDES)
        let mab = bytes("1234567890ABCDEFABCDEF1234567890")
        XCTAssertEqual(Hex.string(try client.zpkMAC(key: k, data: mab)), "E267B6E2")
        XCTAssertEqual(Hex.string(try client.zpkMAC(key: k, data: mab, macBytes: 8)), "E267B6E21913D339")
        let cv = try client.zpkMAC(key: k, data: Array(mab[0..<8]), part: .first)
        XCTAssertEqual(Hex.string(try client.zpkMAC(key: k, data: Array(mab[8...]), part: .last, iv: cv)), "E267B6E2")
    }

    func testMSKnownAnswersAndParts() throws {
        let k2 = try underLMK("0123456789ABCDEFFEDCBA9876543210", .tak, .doubleVariant)
        XCTAssertEqual(Hex.string(try client.zakTakMAC(key: k2, keyType: .tak, data: nowAll)), "A1C72E74EA3FA9B6")
        XCTAssertEqual(Hex.string(try client.zakTakMAC(key: k2, keyType: .tak, data: Array("Now is the time for it".utf8))), "2E2B1428CC78254F")
        let k1 = try underLMK("0123456789ABCDEF", .zak, .singleDES)
        XCTAssertEqual(Hex.string(try client.zakTakMAC(key: k1, data: Array("7654321 Now is the time for ".utf8))), "F1D30F6849312CA4")
        let c1 = try client.zakTakMAC(key: k2, keyType: .tak, data: Array(nowAll[0..<8]), part: .first)
        let c2 = try client.zakTakMAC(key: k2, keyType: .tak, data: Array(nowAll[8..<16]), part: .middle, iv: c1)
        XCTAssertEqual(Hex.string(try client.zakTakMAC(key: k2, keyType: .tak, data: Array(nowAll[16...]), part: .last, iv: c2)), "A1C72E74EA3FA9B6")
    }

    /// Stored keys: the caller gives the key length flag and the IV.
    func testStoredKeys() throws {
        let g = try client.generateKey(type: .zak, scheme: .doubleVariant, storeAt: StoreTarget(index: 31, label: "zak"))
        let z = [UInt8](repeating: 0, count: 8)
        let viaIndex = try client.zakTakMAC(key: .stored(index: 31), data: nowAll, iv: z, keyLengthFlag: 1)
        XCTAssertEqual(viaIndex, try client.zakTakMAC(key: g.keyUnderLMK, data: nowAll))
        assertInvalid("K index") { _ = try client.zakTakMAC(key: .stored(index: 31), data: nowAll) }
        assertCode(15) { _ = try client.zakTakMAC(key: .stored(index: 31), data: nowAll, iv: z, keyLengthFlag: 0) }
    }

    /// Wrong key types are refused by the HSM (10: the key does not decrypt as the type).
    func testWrongKeyTypesAreRefused() throws {
        let zpk = try underLMK("0123456789ABCDEFFEDCBA9876543210", .zpk, .doubleVariant)
        let zak = try underLMK("0123456789ABCDEFFEDCBA9876543210", .zak, .doubleVariant)
        assertCode(10, "Racal encrypt data (E0)") { _ = try client.racalEncryptData(key: zpk, mode: .ecb, data: nowAll) }
        assertCode(10, "ZPK MAC (UQ)") { _ = try client.zpkMAC(key: zak, data: nowAll) }
        assertCode(10, "ZAK/TAK MAC (MS)") { _ = try client.zakTakMAC(key: zpk, data: nowAll) }
        assertCode(10) { _ = try client.zakTakMAC(key: zak, keyType: .tak, data: nowAll) }
        // Data not padded correctly on decryption: 15.
        let zek = try underLMK("0123456789ABCDEF", .zek, .singleDES)
        assertCode(15) { _ = try client.racalDecryptData(key: zek, mode: .ecb, data: bytes("3FA40E8A984D4815")) }
    }

    /// Bad arguments are refused before anything is sent.
    func testArgumentsCheckedBeforeSending() throws {
        let zek = try underLMK("0123456789ABCDEF", .zek, .singleDES)
        let zak = try underLMK("0123456789ABCDEF", .zak, .singleDES)
        let shortKey = KeyField.encrypted(scheme: .doubleVariant, material: [1, 2, 3])
        let before = completed
        assertInvalid("ZEK") { _ = try client.racalEncryptData(key: shortKey, mode: .ecb, data: nowAll) }
        assertInvalid("CBC needs an IV") { _ = try client.racalEncryptData(key: zek, mode: .cbc, data: nowAll) }
        assertInvalid("ECB takes no IV") { _ = try client.racalEncryptData(key: zek, mode: .ecb, iv: [0, 0, 0, 0, 0, 0, 0, 0], data: nowAll) }
        assertInvalid("IV must be 8") { _ = try client.racalEncryptData(key: zek, mode: .cbc, iv: [0, 0], data: nowAll) }
        assertInvalid("whole 8-byte blocks") { _ = try client.racalEncryptData(key: zek, mode: .ecb, data: [1, 2, 3], padded: false) }
        assertInvalid("whole 8-byte blocks") { _ = try client.racalDecryptData(key: zek, mode: .ecb, data: [1, 2, 3]) }
        assertInvalid("whole 8-byte blocks") { _ = try client.racalEncryptData(key: zek, mode: .ecb, data: [1, 2, 3], part: .first) }
        assertInvalid("too long") { _ = try client.racalEncryptData(key: zek, mode: .ecb, data: [UInt8](repeating: 0, count: 4090)) }
        assertInvalid("empty") { _ = try client.racalEncryptData(key: zek, mode: .ecb, data: []) }
        assertInvalid("MAC length") { _ = try client.zpkMAC(key: zak, data: nowAll, macBytes: 9) }
        assertInvalid("required") { _ = try client.zpkMAC(key: zak, data: nowAll, part: .last) }
        assertInvalid("only used") { _ = try client.zpkMAC(key: zak, data: nowAll, iv: [UInt8](repeating: 0, count: 8)) }
        assertInvalid("longer than") { _ = try client.zpkMAC(key: zak, data: [UInt8](repeating: 0, count: 4096)) }
        assertInvalid("whole 8-byte blocks") { _ = try client.zpkMAC(key: zak, data: [1, 2, 3], part: .first) }
        assertInvalid("TAK (003) or ZAK (008)") { _ = try client.zakTakMAC(key: zak, keyType: .zpk, data: nowAll) }
        assertInvalid("does not match") { _ = try client.zakTakMAC(key: zak, data: nowAll, keyLengthFlag: 1) }
        assertInvalid("required") { _ = try client.zakTakMAC(key: zak, data: nowAll, part: .middle) }
        assertInvalid("longer than") { _ = try client.zakTakMAC(key: zak, data: [UInt8](repeating: 0, count: 4097)) }
        assertInvalid("empty") { _ = try client.zakTakMAC(key: zak, data: []) }
        XCTAssertEqual(completed, before, "nothing was sent")
    }
}
