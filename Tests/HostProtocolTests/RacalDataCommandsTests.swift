import XCTest
@testable import HostProtocol

/// `E0`, `UQ`, `MS` layouts (the bytes the vendor C library sends, docs/wire.md "Racal data
/// and MAC commands"): encode then decode gives the same value; IV fields in hex and binary.
final class RacalDataCommandsTests: XCTestCase {
    let zek = KeyField.encrypted(scheme: .doubleVariant, material: [UInt8](repeating: 0xAB, count: 16))
    let single = KeyField.encrypted(scheme: .singleDES, material: [UInt8](repeating: 0x12, count: 8))
    let sm4 = KeyField.encrypted(scheme: .sm4, material: [UInt8](repeating: 0x01, count: 24))
    let hexIV = Array("0011223344556677".utf8)
    let binIV: [UInt8] = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77]

    func roundTrip<R: HostCommandRequest & Equatable>(_ r: R, _ wire: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        let p = try r.payload()
        if let w = wire { XCTAssertEqual(String(decoding: p, as: UTF8.self), w, file: file, line: line) }
        XCTAssertEqual(Array(p.prefix(2)), R.command.bytes, file: file, line: line)
        XCTAssertEqual(try R.decodeAll(p.dropFirst(2)), r, file: file, line: line)
    }

    var zekText: String { "U" + String(repeating: "AB", count: 16) }

    func testE0Layout() throws {
        // ECB: no IV; the padding field is the vendor's 180000; length 3H.
        try roundTrip(RacalDataRequest(direction: 0, algorithm: 0, key: zek, data: Array("abc".utf8)),
                      "E00000" + zekText + "00180000003abc")
        // CBC with a hex IV and a binary IV; decrypt, block flag 2.
        try roundTrip(RacalDataRequest(blockFlag: 2, direction: 1, algorithm: 1, key: zek, iv: hexIV, data: [UInt8](repeating: 0x30, count: 16)),
                      "E02110" + zekText + "00180000" + "0011223344556677" + "010" + String(repeating: "0", count: 16))
        try roundTrip(RacalDataRequest(blockFlag: 1, direction: 0, algorithm: 1, key: zek, iv: binIV, data: [0, 1, 2, 3, 4, 5, 6, 7]))
        // A K index key: the IV length comes from the message (16 hex / 8 binary / 32 hex).
        try roundTrip(RacalDataRequest(direction: 0, algorithm: 1, key: .stored(index: 7), iv: hexIV, data: [1]))
        try roundTrip(RacalDataRequest(direction: 0, algorithm: 1, key: .stored(index: 7), iv: binIV, data: [1, 2]))
        try roundTrip(RacalDataRequest(direction: 0, algorithm: 1, key: .stored(index: 7), iv: hexIV + hexIV, data: []))
        // SM4: 32H or 16 binary.
        try roundTrip(RacalDataRequest(direction: 1, algorithm: 1, key: sm4, inputFormat: 1, outputFormat: 1, padding: .none,
                                       iv: hexIV + hexIV, data: Array("00".utf8)))
        try roundTrip(RacalDataRequest(direction: 1, algorithm: 1, key: sm4, iv: binIV + binIV, data: [9]))
        // Any non-zero algorithm carries an IV (the vendor rule); the handler refuses values > 1.
        try roundTrip(RacalDataRequest(direction: 0, algorithm: 2, key: zek, iv: hexIV, data: [1]))
        XCTAssertThrowsError(try RacalDataRequest(direction: 0, algorithm: 1, key: zek, data: [1]).payload())
        XCTAssertEqual(RacalDataRequest.command.responseCode, CommandCode("E1"))
    }

    func testE0DecodeRefusals() {
        let body = "0000" + zekText + "00180000003abc"
        XCTAssertNoThrow(try RacalDataRequest.decodeAll(Array(body.utf8)))
        for (b, e) in [(body + "x", HostErrorCode.lengthError), (String(body.dropLast()), .lengthError),
                       ("4000" + zekText + "00180000003abc", .invalidInput), ("0200" + zekText + "00180000003abc", .invalidInput),
                       ("0000" + zekText + "20180000003abc", .invalidInput), ("0000" + zekText + "0018000000Gabc", .invalidInput),
                       ("0000" + zekText + "001G0000003abc", .invalidInput), ("0000Q" + String(repeating: "A", count: 32), .invalidKeyScheme),
                       ("00", .lengthError)] {
            XCTAssertThrowsError(try RacalDataRequest.decodeAll(Array(b.utf8)), b) { XCTAssertEqual(($0 as? FieldError)?.hostError, e, b) }
        }
    }

    func testE0Response() throws {
        for r in [RacalDataResponse(outputFormat: 0, data: [1, 2, 3]), RacalDataResponse(outputFormat: 0, data: [], iv: hexIV),
                  RacalDataResponse(outputFormat: 1, data: Array("AB".utf8), iv: binIV)] {
            XCTAssertEqual(try RacalDataResponse.decodeAll(try r.fields()), r)
        }
        XCTAssertEqual(String(decoding: try RacalDataResponse(outputFormat: 0, data: Array("xyz".utf8), iv: hexIV).fields(), as: UTF8.self),
                       "0003xyz0011223344556677")
        XCTAssertThrowsError(try RacalDataResponse.decodeAll(Array("0005abc".utf8)))
        XCTAssertThrowsError(try RacalDataResponse.decodeAll(Array("x003abc".utf8)))
    }

    func testUQLayout() throws {
        // Tass_GenZPKMac: block flag 0, no IV, MAC length 08.
        try roundTrip(ZPKMACRequest(key: single, data: [0x12, 0x34]), "UQ0" + String(repeating: "12", count: 8) + "002\u{12}\u{34}08")
        try roundTrip(ZPKMACRequest(blockFlag: 1, key: zek, data: [UInt8](repeating: 7, count: 8), macLength: 16))
        try roundTrip(ZPKMACRequest(blockFlag: 2, key: zek, iv: hexIV, data: [UInt8](repeating: 7, count: 8)))
        try roundTrip(ZPKMACRequest(blockFlag: 3, key: zek, iv: binIV, data: []))
        try roundTrip(ZPKMACRequest(blockFlag: 3, key: .stored(index: 12), iv: binIV, data: [1, 2, 3], macLength: 8))
        try roundTrip(ZPKMACRequest(blockFlag: 3, key: sm4, iv: hexIV + hexIV, data: [1]))
        XCTAssertThrowsError(try ZPKMACRequest(blockFlag: 2, key: zek, data: [1]).payload())
        for b in ["4" + zekText + "00108", "0" + zekText + "001", "0" + zekText + "002a08", "0" + zekText + "001a0G", "0" + zekText + "001a080"] {
            XCTAssertThrowsError(try ZPKMACRequest.decodeAll(Array(b.utf8)), b)
        }
        XCTAssertEqual(ZPKMACRequest.command.responseCode, CommandCode("UR"))
    }

    func testMSLayout() throws {
        try roundTrip(ZAKTAKMACRequest(keyKind: 0, keyLength: 0, key: single, iv: hexIV, data: Array("abc".utf8)),
                      "MS0000" + String(repeating: "12", count: 8) + "0011223344556677" + "0003abc")
        try roundTrip(ZAKTAKMACRequest(blockFlag: 2, keyKind: 1, keyLength: 1, dataType: 1, key: zek, iv: binIV, data: Array("0011".utf8)))
        try roundTrip(ZAKTAKMACRequest(blockFlag: 3, keyKind: 1, keyLength: 1, key: sm4, iv: binIV + binIV, data: []))
        try roundTrip(ZAKTAKMACRequest(keyKind: 1, keyLength: 2, key: .stored(index: 1), iv: hexIV, data: [0]))
        for b in ["4000" + zekText + "00112233445566770000", "0030" + zekText + "00112233445566770000", "0002" + zekText + "00112233445566770000",
                  "0010" + zekText + "001122334455667700", "0010" + zekText + "00112233445566770001", "0010" + zekText + "0011223344556677000Gx"] {
            XCTAssertThrowsError(try ZAKTAKMACRequest.decodeAll(Array(b.utf8)), b)
        }
        XCTAssertEqual(ZAKTAKMACRequest.command.responseCode, CommandCode("MT"))
    }

    func testMACResponse() throws {
        let r = RacalMACResponse(mac: [0xE2, 0x67, 0xB6, 0xE2])
        XCTAssertEqual(String(decoding: try r.fields(), as: UTF8.self), "E267B6E2")
        XCTAssertEqual(try RacalMACResponse.decodeAll(try r.fields()), r)
        for b in ["", "E26", "E267B6EG"] { XCTAssertThrowsError(try RacalMACResponse.decodeAll(Array(b.utf8)), b) }
    }

    func testIVLayoutChoosesTheConsistentLength() {
        XCTAssertEqual(RacalIVLayout.candidates(for: zek), [16, 8])
        XCTAssertEqual(RacalIVLayout.candidates(for: sm4), [32, 16])
        XCTAssertEqual(RacalIVLayout.candidates(for: .stored(index: 1)), [16, 8, 32])
        XCTAssertEqual(RacalIVLayout.value(hexIV, blockSize: 8), binIV)
        XCTAssertEqual(RacalIVLayout.value(binIV, blockSize: 8), binIV)
        XCTAssertNil(RacalIVLayout.value(Array("001122334455667G".utf8), blockSize: 8))
        XCTAssertNil(RacalIVLayout.value([1, 2, 3], blockSize: 8))
    }
}
