import XCTest
@testable import HostProtocol

/// `CW`, `CY`, `DG`, `DE`, `EA`, `JA` layouts: encode then decode gives the same value, the
/// wire text is the TASS layout of docs/wire.md, malformed fields throw the documented codes.
final class PINVerifyCommandsTests: XCTestCase {
    let cvk = KeyField.encrypted(scheme: .doubleVariant, material: [UInt8](repeating: 0xAB, count: 16))
    let single = KeyField.encrypted(scheme: .singleDES, material: [UInt8](repeating: 0x11, count: 8))
    let single2 = KeyField.encrypted(scheme: .singleDES, material: [UInt8](repeating: 0x22, count: 8))
    let pin = [UInt8](repeating: 0x5C, count: 8)
    let params = IBMOffsetParameters(checkLength: 5, account: "000001000376", decimalisationTable: "0123456789012345",
                                     validationData: "1234567890NF")

    func roundTrip<R: HostCommandRequest & Equatable>(_ r: R, _ wire: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        let p = try r.payload()
        if let w = wire { XCTAssertEqual(String(decoding: p, as: UTF8.self), w, file: file, line: line) }
        XCTAssertEqual(try R.decodeAll(p.dropFirst(2)), r, file: file, line: line)
    }

    func code<R: HostCommandRequest>(_ type: R.Type, _ text: String) -> HostErrorCode? {
        do {
            _ = try R.decodeAll(Array(text.utf8))
            return .ok
        } catch let e as FieldError {
            return e.hostError
        } catch {
            return nil
        }
    }

    let u = "U" + String(repeating: "AB", count: 16)

    func testCVVRequestsRoundTrip() throws {
        try roundTrip(GenerateCVVRequest(cvk: .key(cvk), pan: "4123456789012345", expiry: "8701", serviceCode: "101"),
                      "CW" + u + "4123456789012345;8701101")
        try roundTrip(GenerateCVVRequest(cvk: .key(.stored(index: 7)), pan: "12345678", expiry: "0000", serviceCode: "000"),
                      "CWK000712345678;0000000")
        try roundTrip(VerifyCVVRequest(cvk: .key(cvk), cvv: "561", pan: "4123456789012345678", expiry: "8701", serviceCode: "101"),
                      "CY" + u + "5614123456789012345678;8701101")
        // payShield's CVK A + CVK B: two bare 16H keys, told apart from one key by the PAN length.
        try roundTrip(GenerateCVVRequest(cvk: .pair(a: single, b: single2), pan: "123456789012", expiry: "1108", serviceCode: "000"),
                      "CW" + String(repeating: "11", count: 8) + String(repeating: "22", count: 8) + "123456789012;1108000")
        try roundTrip(VerifyCVVRequest(cvk: .pair(a: single, b: single2), cvv: "453", pan: "12345678", expiry: "1108", serviceCode: "000"))
        // One bare single-length key with the longest PAN stays one key.
        try roundTrip(GenerateCVVRequest(cvk: .key(single), pan: "1234567890123456789", expiry: "1108", serviceCode: "000"))
        try roundTrip(VerifyCVVRequest(cvk: .key(single), cvv: "000", pan: "1234567890123456789", expiry: "1108", serviceCode: "000"))
    }

    func testPVVAndOffsetRequestsRoundTrip() throws {
        try roundTrip(GeneratePVVRequest(pvk: cvk, pinUnderLMK: pin, account: "123456789012", pvki: 1),
                      "DG" + u + String(repeating: "5C", count: 8) + "1234567890121")
        try roundTrip(GeneratePVVRequest(pvk: .stored(index: 12), pinUnderLMK: pin, account: "123456789012", pvki: 15),
                      "DGK0012" + String(repeating: "5C", count: 8) + "123456789012F")
        try roundTrip(GenerateIBMOffsetRequest(pvk: cvk, pinUnderLMK: pin, parameters: params),
                      "DE" + u + String(repeating: "5C", count: 8) + "05000001000376" + "0123456789012345" + "1234567890NF")
        let ea = VerifyPINIBMOffsetRequest(zpk: .stored(index: 1), pvk: cvk, pinBlock: [UInt8](repeating: 0xF2, count: 8), format: 5,
                                           parameters: params, offset: "17702")
        try roundTrip(ea, "EAK0001" + u + "12" + String(repeating: "F2", count: 8) + "0505000001000376" + "0123456789012345"
                          + "1234567890NF" + "17702FFFFFFF")
        var wide = ea
        wide.pinBlock = [UInt8](repeating: 0x01, count: 16)
        wide.maxPINLength = 6
        try roundTrip(wide)
        try roundTrip(GenerateRandomPINRequest(account: "000001000376", pinLength: 6), "JA00000100037606")
    }

    func testResponsesRoundTrip() throws {
        XCTAssertEqual(try GenerateCVVResponse.decodeAll(Array("561".utf8)), GenerateCVVResponse(cvv: "561"))
        XCTAssertEqual(try GeneratePVVResponse.decodeAll(Array("1226".utf8)), GeneratePVVResponse(pvv: "1226"))
        XCTAssertEqual(try IBMOffsetResponse.decodeAll(Array("17702FFFFFFF".utf8)), IBMOffsetResponse(offset: "17702"))
        XCTAssertEqual(String(decoding: try IBMOffsetResponse(offset: "123456789012").fields(), as: UTF8.self), "123456789012")
        XCTAssertEqual(String(decoding: try IBMOffsetResponse(offset: "0042").fields(), as: UTF8.self), "0042FFFFFFFF")
        XCTAssertThrowsError(try GenerateCVVResponse.decodeAll(Array("56".utf8)))
        XCTAssertThrowsError(try GenerateCVVResponse.decodeAll(Array("5610".utf8)))
        XCTAssertThrowsError(try GeneratePVVResponse.decodeAll(Array("12A6".utf8)))
        XCTAssertThrowsError(try IBMOffsetResponse.decodeAll(Array("17F02FFFFFFF".utf8)))
        XCTAssertThrowsError(try IBMOffsetResponse.decodeAll(Array("FFFFFFFFFFFF".utf8)))
        XCTAssertThrowsError(try IBMOffsetResponse.decodeAll(Array("17702FFFFFF".utf8)))
        XCTAssertThrowsError(try IBMOffsetResponse(offset: "").fields())
        XCTAssertThrowsError(try IBMOffsetResponse(offset: "1234567890123").fields())
    }

    func testEncodeRefusesValuesThatDoNotFit() {
        XCTAssertThrowsError(try GenerateCVVRequest(cvk: .key(cvk), pan: "1234567", expiry: "8701", serviceCode: "101").payload())
        XCTAssertThrowsError(try GenerateCVVRequest(cvk: .key(cvk), pan: "12345678901234567890", expiry: "8701", serviceCode: "101").payload())
        XCTAssertThrowsError(try GenerateCVVRequest(cvk: .key(cvk), pan: "4123456789012345", expiry: "870", serviceCode: "101").payload())
        XCTAssertThrowsError(try VerifyCVVRequest(cvk: .key(cvk), cvv: "5A1", pan: "4123456789012345", expiry: "8701", serviceCode: "101").payload())
        XCTAssertThrowsError(try GeneratePVVRequest(pvk: cvk, pinUnderLMK: pin, account: "123456789012", pvki: 16).payload())
        var p = params
        p.validationData = "1234567890N"
        XCTAssertThrowsError(try GenerateIBMOffsetRequest(pvk: cvk, pinUnderLMK: pin, parameters: p).payload())
        p.validationData = "1234567890NG"
        XCTAssertThrowsError(try GenerateIBMOffsetRequest(pvk: cvk, pinUnderLMK: pin, parameters: p).payload())
        XCTAssertThrowsError(try GenerateRandomPINRequest(account: "1", pinLength: 4).payload())
    }

    func testMalformedRequestsThrowTheDocumentedCodes() {
        // CW: no `;`, a PAN that is not digits, too short or too long: 15; a short tail: 80.
        XCTAssertEqual(code(GenerateCVVRequest.self, u + "41234567890123458701101"), .invalidInput)
        XCTAssertEqual(code(GenerateCVVRequest.self, u + "41234567890X2345;8701101"), .invalidInput)
        XCTAssertEqual(code(GenerateCVVRequest.self, u + "1234567;8701101"), .invalidInput)
        XCTAssertEqual(code(GenerateCVVRequest.self, u + "12345678901234567890;8701101"), .invalidInput)
        XCTAssertEqual(code(GenerateCVVRequest.self, u + "4123456789012345;870110"), .lengthError)
        XCTAssertEqual(code(GenerateCVVRequest.self, u + "4123456789012345;87011011"), .lengthError)
        XCTAssertEqual(code(GenerateCVVRequest.self, u + "4123456789012345;87A1101"), .invalidInput)
        XCTAssertEqual(code(GenerateCVVRequest.self, "Q" + String(repeating: "AB", count: 16) + "4123456789012345;8701101"), .invalidKeyScheme)
        XCTAssertEqual(code(GenerateCVVRequest.self, "U" + String(repeating: "AG", count: 16) + "4123456789012345;8701101"), .invalidInput)
        // CY: CVV not digits.
        XCTAssertEqual(code(VerifyCVVRequest.self, u + "5X14123456789012345;8701101"), .invalidInput)
        // DG: PIN under LMK not hex, PVKI not hex, short, trailing.
        XCTAssertEqual(code(GeneratePVVRequest.self, u + "5C5C5C5C5C5C5CXX1234567890121"), .invalidInput)
        XCTAssertEqual(code(GeneratePVVRequest.self, u + String(repeating: "5C", count: 8) + "123456789012G"), .invalidInput)
        XCTAssertEqual(code(GeneratePVVRequest.self, u + String(repeating: "5C", count: 8) + "123456789012"), .lengthError)
        XCTAssertEqual(code(GeneratePVVRequest.self, u + String(repeating: "5C", count: 8) + "12345678901211"), .lengthError)
        // DE: decimalisation table not digits, validation data with a character other than hex / N.
        let de = u + String(repeating: "5C", count: 8) + "05000001000376"
        XCTAssertEqual(code(GenerateIBMOffsetRequest.self, de + "0123456789A12345" + "1234567890NF"), .invalidInput)
        XCTAssertEqual(code(GenerateIBMOffsetRequest.self, de + "0123456789012345" + "1234567890NZ"), .invalidInput)
        XCTAssertEqual(code(GenerateIBMOffsetRequest.self, de + "0123456789012345" + "1234567890N"), .lengthError)
        XCTAssertEqual(code(GenerateIBMOffsetRequest.self, de + "0123456789012345" + "1234567890NF"), .ok)
        // EA: PIN block of a size that is neither 16H nor 32H, offset not digits then F.
        let tail = "0505000001000376" + "0123456789012345" + "1234567890NF"
        XCTAssertEqual(code(VerifyPINIBMOffsetRequest.self, "K0001" + u + "12" + String(repeating: "F2", count: 8) + tail + "17702FFFFFFF"), .ok)
        XCTAssertEqual(code(VerifyPINIBMOffsetRequest.self, "K0001" + u + "12" + String(repeating: "F2", count: 9) + tail + "17702FFFFFFF"), .invalidInput)
        XCTAssertEqual(code(VerifyPINIBMOffsetRequest.self, "K0001" + u + "12" + String(repeating: "F2", count: 4) + tail + "17702FFFFFFF"), .lengthError)
        XCTAssertEqual(code(VerifyPINIBMOffsetRequest.self, "K0001" + u + "12" + String(repeating: "F2", count: 8) + tail + "177F2FFFFFFF"), .invalidInput)
        XCTAssertEqual(code(VerifyPINIBMOffsetRequest.self, "K0001" + u + "12" + String(repeating: "X2", count: 8) + tail + "17702FFFFFFF"), .invalidInput)
        // JA: not digits, short.
        XCTAssertEqual(code(GenerateRandomPINRequest.self, "00000100037A06"), .invalidInput)
        XCTAssertEqual(code(GenerateRandomPINRequest.self, "0000010003760"), .lengthError)
        XCTAssertEqual(code(GenerateRandomPINRequest.self, "00000100037606"), .ok)
    }
}
