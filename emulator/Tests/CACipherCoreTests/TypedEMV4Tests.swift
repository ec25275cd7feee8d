import XCTest
@testable import CACipherCore
import HostProtocol
@testable import EVSMKit

/// KW ARPC method 2 through the typed API over loopback. Known answers: knovichikhin/pyemv
/// (MIT) tests/test_ac_hsm.py (issuer MK 0123456789ABCDEFFEDCBA9876543210, PAN 9901234567890123
/// PSN 45, R 1234567890123456, ARQC 4B46013359B7A58B, ARPC method 2 4962B76C / 7DFB1188);
/// scheme 1 and the session key check value from scripts/emv-csk-known-answers.py (openssl).
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
        // a ZPK as MK-AC: the HSM's 10; an SM4 MK-AC: 26
        let zpk = try underLMK("0123456789ABCDEFFEDCBA9876543210", .zpk, .doubleVariant)
        assertCode(10, "generate ARPC method 2 (KW)") { _ = try client.generateARPCMethod2(mdk: zpk, pan: pan, session: r, arqc: arqc, csu: csu) }
        let sm4 = try underLMK("0123456789ABCDEFFEDCBA9876543210", .mkAC, .sm4)
        assertCode(26, "generate ARPC method 2 (KW)") { _ = try client.generateARPCMethod2(mdk: sm4, pan: pan, session: r, arqc: arqc, csu: csu) }
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
