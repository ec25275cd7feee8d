import XCTest
@testable import CACipherCore
import HostProtocol
@testable import EVSMKit

/// K6, K2, K4, KX through the typed API over loopback (known answers of
/// Tests/EVSMKitTests/EMVHandlerTests.swift: pyemv option A card key, openssl-computed rest).
final class TypedEMVTests: TypedTestCase {
    let pan = "1234567890123445"
    let atc: [UInt8] = [0x00, 0x01]
    var data: [UInt8] { bytes("0123456789ABCDEF0123456789ABCDEF") }
    var arqc: [UInt8] { bytes("2C064758BA227276") }

    func mdk() throws -> KeyField { try underLMK("0123456789ABCDEFFEDCBA9876543210", .mkAC, .doubleVariant) }

    func testARQCAndARPC() throws {
        let k = try mdk()
        XCTAssertEqual(try client.verifyARQC(mdk: k, pan: pan, atc: atc, data: data, arqc: arqc), .verified(arpc: nil))
        XCTAssertEqual(try client.verifyARQCAndGenerateARPC(mdk: k, pan: pan, atc: atc, data: data, arqc: arqc, arc: [0x30, 0x30]),
                       .verified(arpc: bytes("DCEEDD0B828A19A2")))
        XCTAssertEqual(try client.generateARPC(mdk: k, pan: pan, atc: atc, arqc: arqc, arc: [0x30, 0x30]), bytes("DCEEDD0B828A19A2"))
        var bad = arqc
        bad[7] ^= 1
        XCTAssertEqual(try client.verifyARQC(mdk: k, pan: pan, atc: atc, data: data, arqc: bad), .mismatch(diagnostic: bytes("7E572103ED70B2EC")))
        XCTAssertEqual(try client.verifyARQCAndGenerateARPC(mdk: k, pan: pan, atc: atc, data: data, arqc: bad, arc: [0x30, 0x30]),
                       .mismatch(diagnostic: bytes("7E572103ED70B2EC")))
        // a ZPK as the MDK: the HSM's 10
        let zpk = try underLMK("0123456789ABCDEFFEDCBA9876543210", .zpk, .doubleVariant)
        assertCode(10, "verify ARQC (K6)") { _ = try client.verifyARQC(mdk: zpk, pan: pan, atc: atc, data: data, arqc: arqc) }
    }

    func testScripts() throws {
        let k = try mdk()
        let s = bytes("842400000811223344556677")
        XCTAssertEqual(try client.issuerScriptMAC(mdk: k, pan: pan, atc: atc, data: s), bytes("0C09BA4F207F23BC"))
        XCTAssertEqual(try client.encryptIssuerScript(mdk: k, pan: pan, atc: atc, data: s), bytes("38C365A7800B00CF71ED9BF920DD17CA"))
    }

    func testOfflinePIN() throws {
        let k = try mdk()
        XCTAssertEqual(try client.offlinePIN(mdk: k, pan: pan, atc: atc, newPIN: "1234"), bytes("7B53BA0118A692DDA3EA3A7C1C85E24A"))
        XCTAssertEqual(try client.offlinePIN(mdk: k, pan: pan, atc: atc, newPIN: "1234", oldPIN: "9876"), bytes("CFCA41E649D98BACA3EA3A7C1C85E24A"))
        let zpk = try underLMK("0123456789ABCDEFFEDCBA9876543210", .zpk, .doubleVariant)
        XCTAssertEqual(try client.offlinePIN(mdk: k, pan: pan, atc: atc, pinKey: zpk, pinKeyKind: .zpk, sourceFormat: .iso0,
                                             newPINBlock: bytes("C967C8198151A458"), account: "987654321098"),
                       bytes("7B53BA0118A692DDA3EA3A7C1C85E24A"))
    }

    /// Checks before sending: nothing reaches the HSM.
    func testArgumentChecksSendNothing() throws {
        let k = try mdk()
        let before = completed
        assertInvalid("PAN") { _ = try client.verifyARQC(mdk: k, pan: "123456789012344", atc: atc, data: data, arqc: arqc) }
        assertInvalid("PAN") { _ = try client.verifyARQC(mdk: k, pan: "123456789012344A", atc: atc, data: data, arqc: arqc) }
        assertInvalid("ATC") { _ = try client.verifyARQC(mdk: k, pan: pan, atc: [1], data: data, arqc: arqc) }
        assertInvalid("ARQC") { _ = try client.verifyARQC(mdk: k, pan: pan, atc: atc, data: data, arqc: [1, 2]) }
        assertInvalid("transaction data") { _ = try client.verifyARQC(mdk: k, pan: pan, atc: atc, data: [], arqc: arqc) }
        assertInvalid("transaction data") { _ = try client.verifyARQC(mdk: k, pan: pan, atc: atc, data: [UInt8](repeating: 0, count: 256), arqc: arqc) }
        assertInvalid("ARC") { _ = try client.generateARPC(mdk: k, pan: pan, atc: atc, arqc: arqc, arc: [1]) }
        assertInvalid("script data") { _ = try client.issuerScriptMAC(mdk: k, pan: pan, atc: atc, data: [UInt8](repeating: 0, count: 4096)) }
        assertInvalid("script data") { _ = try client.encryptIssuerScript(mdk: k, pan: pan, atc: atc, data: []) }
        assertInvalid("new PIN") { _ = try client.offlinePIN(mdk: k, pan: pan, atc: atc, newPIN: "123") }
        assertInvalid("old PIN") { _ = try client.offlinePIN(mdk: k, pan: pan, atc: atc, newPIN: "1234", oldPIN: "12a4") }
        assertInvalid("account") { _ = try client.offlinePIN(mdk: k, pan: pan, atc: atc, newPIN: "1234", account: "1") }
        assertInvalid("MDK") { _ = try client.issuerScriptMAC(mdk: .encrypted(scheme: .sm4, material: [1]), pan: pan, atc: atc, data: [1]) }
        XCTAssertEqual(completed, before)
    }
}
