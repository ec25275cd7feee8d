import XCTest
@testable import CACipherCore
import HostProtocol
@testable import EVSMKit

/// KW ARPC method 2 through the typed API over loopback. Known answers: knovichikhin/pyemv
/// (MIT) tests/test_ac_hsm.py (issuer MK 0123456789ABCDEFFEDCBA9876543210, PAN 9901234567890123
/// PSN 45, R 1234567890123456, ARQC 4B46013359B7A58B, ARPC method 2 4962B76C / 7DFB1188);
/// scheme 1 and the session key check value from scripts/emv-csk-known-answers.py (openssl).
/// SM4 MK-AC (the same clear MDK as an `R` key): the SM4 part of that script (`openssl enc
/// -sm4-ecb` / `-sm4-cbc`; EMV 4.3 Book 2 A1.3.1 k = n session key E(MK)[R || 00 x 8], docs/wire.md
/// "KW"): R 1234567890123456 ARQC 287D7DAF8DD1DCE8, KCV DACE0D1DD32D906A, method 2 F6BDB700 with
/// PAD 1234567890ABCDEF, C31E4B2A without; scheme 1 (ATC 0001, UN 11223344) ARQC 774024EE1FFE44E2,
/// method 2 with PAD E6796959; scheme 0 (ATC 0001) ARQC 2CFF0D7C79D5F5B1, method 2 1ACD37B5.
final class TypedEMV4Tests: TypedTestCase {
    let pan = "0123456789012345"
    var data: [UInt8] { bytes("0123456789ABCDEF0123456789ABCDEF") }
    var arqc: [UInt8] { bytes("4B46013359B7A58B") }
    var r: EMVSessionKeyDerivation { .r(bytes("1234567890123456")) }
    let csu: [UInt8] = [0, 0, 0, 0]

    func mdk() throws -> KeyField { try underLMK("0123456789ABCDEFFEDCBA9876543210", .mkAC, .doubleVariant) }

    func testARPCMethod2() throws {
        let k = try mdk()
        XCTAssertEqual(try client.verifyARQCAndGenerateARPCMethod2(mdk: k, pan: pan, session: r, data: data, arqc: arqc, csu: csu,
                                                                   proprietaryData: bytes("1234567890ABCDEF")),
                       .verified(arpc: bytes("4962B76C")))
        XCTAssertEqual(try client.generateARPCMethod2(mdk: k, pan: pan, session: r, arqc: arqc, csu: csu), bytes("7DFB1188"))
        XCTAssertEqual(try client.generateARPCMethod2(mdk: k, pan: pan, session: .atcAndUN(atc: [0, 1], un: bytes("11223344")),
                                                      arqc: bytes("A0244EAA67EC87C8"), csu: csu, proprietaryData: bytes("1234567890ABCDEF")),
                       bytes("4B5B765B"))
        XCTAssertEqual(try client.generateARPCMethod2(mdk: k, pan: pan, session: .atc([0, 1]), arqc: bytes("8C6A1F9CF11BE1A9"), csu: csu),
                       bytes("B68E3D93"))
        var bad = arqc
        bad[7] ^= 1
        XCTAssertEqual(try client.verifyARQCAndGenerateARPCMethod2(mdk: k, pan: pan, session: r, data: data, arqc: bad, csu: csu),
                       .mismatch(diagnostic: bytes("099592B326448AF5")))
        // a ZPK as MK-AC: the HSM's 10; an AES MK-AC: 26
        let zpk = try underLMK("0123456789ABCDEFFEDCBA9876543210", .zpk, .doubleVariant)
        assertCode(10, "generate ARPC method 2 (KW)") { _ = try client.generateARPCMethod2(mdk: zpk, pan: pan, session: r, arqc: arqc, csu: csu) }
        let aes = try underLMK("0123456789ABCDEFFEDCBA9876543210", .mkAC, .aes128)
        assertCode(26, "generate ARPC method 2 (KW)") { _ = try client.generateARPCMethod2(mdk: aes, pan: pan, session: r, arqc: arqc, csu: csu) }
    }

    /// The same calls with an SM4 MK-AC (the key field as for 3DES).
    func testARPCMethod2WithSM4MKAC() throws {
        let k = try underLMK("0123456789ABCDEFFEDCBA9876543210", .mkAC, .sm4)
        let sarqc = bytes("287D7DAF8DD1DCE8")
        XCTAssertEqual(try client.verifyARQCAndGenerateARPCMethod2(mdk: k, pan: pan, session: r, data: data, arqc: sarqc, csu: csu,
                                                                   proprietaryData: bytes("1234567890ABCDEF")),
                       .verified(arpc: bytes("F6BDB700")))
        XCTAssertEqual(try client.verifyARQCAndGenerateARPCMethod2(mdk: k, pan: pan, session: r, data: data, arqc: sarqc, csu: csu),
                       .verified(arpc: bytes("C31E4B2A")))
        XCTAssertEqual(try client.generateARPCMethod2(mdk: k, pan: pan, session: r, arqc: sarqc, csu: csu), bytes("C31E4B2A"))
        XCTAssertEqual(try client.generateARPCMethod2(mdk: k, pan: pan, session: .atcAndUN(atc: [0, 1], un: bytes("11223344")),
                                                      arqc: bytes("774024EE1FFE44E2"), csu: csu, proprietaryData: bytes("1234567890ABCDEF")),
                       bytes("E6796959"))
        XCTAssertEqual(try client.generateARPCMethod2(mdk: k, pan: pan, session: .atc([0, 1]), arqc: bytes("2CFF0D7C79D5F5B1"), csu: csu),
                       bytes("1ACD37B5"))
        // the 3DES ARQC under the SM4 key: mismatch with the SM4 session key's check value
        XCTAssertEqual(try client.verifyARQCAndGenerateARPCMethod2(mdk: k, pan: pan, session: r, data: data, arqc: arqc, csu: csu),
                       .mismatch(diagnostic: bytes("DACE0D1DD32D906A")))
        // an SM4 ZPK as MK-AC: 10, as for 3DES
        let zpk = try underLMK("0123456789ABCDEFFEDCBA9876543210", .zpk, .sm4)
        assertCode(10, "generate ARPC method 2 (KW)") { _ = try client.generateARPCMethod2(mdk: zpk, pan: pan, session: r, arqc: sarqc, csu: csu) }
    }

    /// Checks before sending: nothing reaches the HSM.
    func testArgumentChecksSendNothing() throws {
        let k = try mdk()
        let before = completed
        assertInvalid("CSU") { _ = try client.generateARPCMethod2(mdk: k, pan: pan, session: r, arqc: arqc, csu: [0, 0, 0]) }
        assertInvalid("proprietary authentication data") {
            _ = try client.generateARPCMethod2(mdk: k, pan: pan, session: r, arqc: arqc, csu: csu, proprietaryData: [UInt8](repeating: 0, count: 9))
        }
        assertInvalid("ARQC") { _ = try client.generateARPCMethod2(mdk: k, pan: pan, session: r, arqc: [1], csu: csu) }
        assertInvalid("R") { _ = try client.generateARPCMethod2(mdk: k, pan: pan, session: .r([1]), arqc: arqc, csu: csu) }
        assertInvalid("UN") { _ = try client.generateARPCMethod2(mdk: k, pan: pan, session: .atcAndUN(atc: [0, 1], un: [1]), arqc: arqc, csu: csu) }
        assertInvalid("ATC") { _ = try client.generateARPCMethod2(mdk: k, pan: pan, session: .atc([1]), arqc: arqc, csu: csu) }
        assertInvalid("PAN") { _ = try client.generateARPCMethod2(mdk: k, pan: "12345", session: r, arqc: arqc, csu: csu) }
        assertInvalid("transaction data") {
            _ = try client.verifyARQCAndGenerateARPCMethod2(mdk: k, pan: pan, session: r, data: [], arqc: arqc, csu: csu)
        }
        XCTAssertEqual(completed, before)
    }
}
