import XCTest
@testable import CACipherCore
import HostProtocol
@testable import EVSMKit

/// CW, CY, DG, DE, EA, JA through the typed API over loopback, with the published values of
/// Tests/EVSMKitTests/PINVerifyTests.swift ([VISA] CVV 561, [JPOS] CVV 204 / 453 and PVV
/// 1226, [LB] IBM offset 17702; sources named there).
final class TypedPINVerifyTests: TypedTestCase {
    let jposCVK = KeyField(text: "U479D751977AA598CB481F548226DBF2B")!
    let jposPVK = KeyField(text: "UE9F05D2F2DB8A8579CA3E806B35E336F")!
    let lbPVK = KeyField(text: "TAF9958474101D950930D1FC86F99447E10B3BADFAA10458E")!
    let lbZPK = KeyField(text: "T971803BA969012152827CC97A98D18D50BE6559CDFF6F7E1")!
    let lbAccount = "000001000376"

    func testCVV() throws {
        let cvk = try underLMK("0123456789ABCDEFFEDCBA9876543210", .cvk, .doubleVariant)
        XCTAssertEqual(try client.generateCVV(cvk: cvk, pan: "4123456789012345", expiry: "8701", serviceCode: "101"), "561")
        XCTAssertTrue(try client.verifyCVV(cvk: cvk, cvv: "561", pan: "4123456789012345", expiry: "8701", serviceCode: "101"))
        XCTAssertFalse(try client.verifyCVV(cvk: cvk, cvv: "165", pan: "4123456789012345", expiry: "8701", serviceCode: "101"))
        XCTAssertEqual(try client.generateCVV(cvk: jposCVK, pan: "123456789012", expiry: "1108", serviceCode: "000"), "204")
        let pair = CVKField.pair(a: KeyField(text: "56FBB74CDEAD6949")!, b: KeyField(text: "69E636CF27A47EEE")!)
        XCTAssertEqual(try client.generateCVV(cvk: pair, pan: "123456789012", expiry: "1108", serviceCode: "000"), "453")
        XCTAssertTrue(try client.verifyCVV(cvk: pair, cvv: "453", pan: "123456789012", expiry: "1108", serviceCode: "000"))
        // A ZPK as the CVK: the HSM's 10 comes back as the error code.
        let zpk = try underLMK("0123456789ABCDEFFEDCBA9876543210", .zpk, .doubleVariant)
        assertCode(10, "generate CVV (CW)") { _ = try client.generateCVV(cvk: zpk, pan: "4123456789012345", expiry: "8701", serviceCode: "101") }
        assertCode(10, "verify CVV (CY)") { _ = try client.verifyCVV(cvk: zpk, cvv: "561", pan: "4123456789012345", expiry: "8701", serviceCode: "101") }
        let single = try underLMK("0123456789ABCDEF", .cvk, .singleDES)
        assertCode(27) { _ = try client.generateCVV(cvk: single, pan: "4123456789012345", expiry: "8701", serviceCode: "101") }
    }

    func testPVV() throws {
        let p = try client.encryptPIN("1234", account: "123456789012")
        XCTAssertEqual(try client.generatePVV(pvk: jposPVK, pinUnderLMK: p, account: "123456789012", pvki: 0), "1226")
        XCTAssertEqual(try client.generatePVV(pvk: jposPVK, pinUnderLMK: p, account: "123456789012", pvki: 15).count, 4)
        assertCode(10, "generate PVV (DG)") { _ = try client.generatePVV(pvk: jposCVK, pinUnderLMK: p, account: "123456789012", pvki: 0) }
        assertCode(20) { _ = try client.generatePVV(pvk: jposPVK, pinUnderLMK: p, account: "123456789013", pvki: 0) }
    }

    func testIBMOffset() throws {
        let p = try client.encryptPIN("14789", account: lbAccount)
        let off = try client.generateIBMPINOffset(pvk: lbPVK, pinUnderLMK: p, checkLength: 5, account: lbAccount,
                                                  decimalisationTable: "0123456789012345", validationData: "1234567890NF")
        XCTAssertEqual(off, "17702")
        func verify(_ offset: String, checkLength: Int = 5, maxPINLength: Int = 12) throws -> Bool {
            try client.verifyPINByIBMOffset(zpk: lbZPK, pvk: lbPVK, pinBlock: bytes("F2B66A1070EADC47"), format: .iso1, checkLength: checkLength,
                                            account: lbAccount, decimalisationTable: "0123456789012345", validationData: "1234567890NF",
                                            offset: offset, maxPINLength: maxPINLength)
        }
        XCTAssertTrue(try verify("17702"))
        XCTAssertFalse(try verify("17703"))
        XCTAssertTrue(try verify("1770", checkLength: 4))
        assertCode(24, "verify PIN by IBM offset (EA)") { _ = try verify("17702", maxPINLength: 4) }
        // ZPK and PVK swapped: the ZPK check fails first (10).
        assertCode(10) {
            _ = try client.verifyPINByIBMOffset(zpk: lbPVK, pvk: lbZPK, pinBlock: bytes("F2B66A1070EADC47"), format: .iso1, checkLength: 5,
                                                account: lbAccount, decimalisationTable: "0123456789012345", validationData: "1234567890NF",
                                                offset: "17702")
        }
        // A PIN shorter than the check length cannot get an offset (24).
        assertCode(24) {
            _ = try client.generateIBMPINOffset(pvk: lbPVK, pinUnderLMK: p, checkLength: 6, account: lbAccount,
                                                decimalisationTable: "0123456789012345", validationData: "1234567890NF")
        }
    }

    func testRandomPIN() throws {
        let p = try client.generateRandomPIN(account: "123456789012", length: 6)
        XCTAssertEqual(p.count, 8)
        let pin = try client.decryptPIN(p, account: "123456789012")
        XCTAssertEqual(pin.count, 6)
        XCTAssertTrue(pin.allSatisfy { $0.isNumber })
        // The random PIN works with the other PIN commands: PVV of it, via the LMK form.
        XCTAssertEqual(try client.generatePVV(pvk: jposPVK, pinUnderLMK: p, account: "123456789012", pvki: 1).count, 4)
    }

    func testArgumentsAreCheckedBeforeSending() throws {
        let p = [UInt8](repeating: 0, count: 8)
        let short = KeyField.encrypted(scheme: .doubleVariant, material: [1, 2, 3])
        assertInvalid("CVK") { _ = try client.generateCVV(cvk: short, pan: "4123456789012345", expiry: "8701", serviceCode: "101") }
        assertInvalid("CVK A") {
            _ = try client.generateCVV(cvk: .pair(a: jposCVK, b: jposCVK), pan: "4123456789012345", expiry: "8701", serviceCode: "101")
        }
        assertInvalid("PAN") { _ = try client.generateCVV(cvk: jposCVK, pan: "1234567", expiry: "8701", serviceCode: "101") }
        assertInvalid("PAN") { _ = try client.generateCVV(cvk: jposCVK, pan: "12345678901234567890", expiry: "8701", serviceCode: "101") }
        assertInvalid("PAN") { _ = try client.generateCVV(cvk: jposCVK, pan: "4123456789O12345", expiry: "8701", serviceCode: "101") }
        assertInvalid("expiry") { _ = try client.generateCVV(cvk: jposCVK, pan: "4123456789012345", expiry: "871", serviceCode: "101") }
        assertInvalid("service code") { _ = try client.generateCVV(cvk: jposCVK, pan: "4123456789012345", expiry: "8701", serviceCode: "1A1") }
        assertInvalid("CVV") { _ = try client.verifyCVV(cvk: jposCVK, cvv: "56", pan: "4123456789012345", expiry: "8701", serviceCode: "101") }
        assertInvalid("PVKI") { _ = try client.generatePVV(pvk: jposPVK, pinUnderLMK: p, account: "123456789012", pvki: 16) }
        assertInvalid("PIN under LMK") { _ = try client.generatePVV(pvk: jposPVK, pinUnderLMK: [1], account: "123456789012", pvki: 0) }
        assertInvalid("account") { _ = try client.generatePVV(pvk: jposPVK, pinUnderLMK: p, account: "12345678901", pvki: 0) }
        assertInvalid("PVK") { _ = try client.generatePVV(pvk: .stored(index: 0), pinUnderLMK: p, account: "123456789012", pvki: 0) }
        assertInvalid("check length 3") {
            _ = try client.generateIBMPINOffset(pvk: lbPVK, pinUnderLMK: p, checkLength: 3, account: lbAccount,
                                                decimalisationTable: "0123456789012345", validationData: "1234567890NF")
        }
        assertInvalid("decimalisation table") {
            _ = try client.generateIBMPINOffset(pvk: lbPVK, pinUnderLMK: p, checkLength: 5, account: lbAccount,
                                                decimalisationTable: "012345678901234A", validationData: "1234567890NF")
        }
        for bad in ["1234567890AF", "12345678NNAF", "1234567890N", "1234567890NG"] {
            assertInvalid("PIN validation data") {
                _ = try client.generateIBMPINOffset(pvk: lbPVK, pinUnderLMK: p, checkLength: 5, account: lbAccount,
                                                    decimalisationTable: "0123456789012345", validationData: bad)
            }
        }
        for bad in ["1770", "1770A", "1234567890123"] {
            assertInvalid("offset") {
                _ = try client.verifyPINByIBMOffset(zpk: lbZPK, pvk: lbPVK, pinBlock: p, format: .iso1, checkLength: 5, account: lbAccount,
                                                    decimalisationTable: "0123456789012345", validationData: "1234567890NF", offset: bad)
            }
        }
        assertInvalid("PIN block") {
            _ = try client.verifyPINByIBMOffset(zpk: lbZPK, pvk: lbPVK, pinBlock: [1, 2], format: .iso1, checkLength: 5, account: lbAccount,
                                                decimalisationTable: "0123456789012345", validationData: "1234567890NF", offset: "17702")
        }
        assertInvalid("PIN length 3") { _ = try client.generateRandomPIN(account: "123456789012", length: 3) }
        assertInvalid("PIN length 13") { _ = try client.generateRandomPIN(account: "123456789012", length: 13) }
        assertInvalid("account") { _ = try client.generateRandomPIN(account: "1234567890123", length: 4) }
        XCTAssertEqual(completed, 0)
    }

    /// None of these commands stores into the HSM: all may be re-sent.
    func testNoneIsTreatedAsStoring() throws {
        for r in [try GenerateCVVRequest(cvk: .key(.stored(index: 1)), pan: "12345678", expiry: "0000", serviceCode: "000").payload(),
                  try GenerateRandomPINRequest(account: "123456789012", pinLength: 4).payload(),
                  try GeneratePVVRequest(pvk: .stored(index: 1), pinUnderLMK: [UInt8](repeating: 0, count: 8), account: "123456789012", pvki: 0).payload()] {
            XCTAssertTrue(ResendSafety.isIdempotent(r))
        }
    }
}
