import XCTest
@testable import HostProtocol

/// `K6`, `K2`, `K4`, `KX` layouts: encode then decode gives the same value; the wire text is
/// the vendor's field order (vendor spec §14.7-§14.10, §14.16, §14.18, §14.19).
final class EMVCommandsTests: XCTestCase {
    let mdk = KeyField.encrypted(scheme: .doubleVariant, material: [UInt8](repeating: 0xAB, count: 16))
    let mdkHex = "U" + String(repeating: "AB", count: 16)
    let sm4 = KeyField.encrypted(scheme: .sm4, material: [UInt8](repeating: 0x01, count: 24))
    let pan = "1234567890123445"

    func roundTrip<R: HostCommandRequest & Equatable>(_ r: R, _ wire: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        let p = try r.payload()
        if let w = wire { XCTAssertEqual(String(decoding: p, as: UTF8.self), w, file: file, line: line) }
        XCTAssertEqual(try R.decodeAll(p.dropFirst(2)), r, file: file, line: line)
    }

    func decode<R: HostCommandRequest>(_ type: R.Type, _ text: String) -> FieldError? {
        do {
            _ = try R.decodeAll(Array(text.utf8))
            return nil
        } catch let e as FieldError {
            return e
        } catch {
            return .invalid("other")
        }
    }

    func testK6Modes() throws {
        let q: [UInt8] = [0x2C, 0x06, 0x47, 0x58, 0xBA, 0x22, 0x72, 0x76]
        try roundTrip(ARQCRequest(mode: .verify, mdk: mdk, pan: pan, atc: [0, 1], data: [0x01, 0x23], arqc: q),
                      "K60" + mdkHex + pan + "0001" + "02" + "0123" + ";" + "2C064758BA227276")
        try roundTrip(ARQCRequest(mode: .verifyAndGenerateARPC, mdk: .stored(index: 7), pan: pan, atc: [0xAB, 0xCD],
                                  data: [UInt8](repeating: 0x55, count: 255), arqc: q, arc: [0x30, 0x30]))
        try roundTrip(ARQCRequest(mode: .generateARPC, mdk: sm4, pan: pan, atc: [0, 1], arqc: q, arc: [0x30, 0x30]),
                      "K62R" + String(repeating: "01", count: 24) + pan + "0001" + "2C064758BA227276" + "3030")
        XCTAssertEqual(try ARQCResponse.decodeAll(try ARQCResponse(value: q).fields()), ARQCResponse(value: q))
        XCTAssertEqual(try ARQCResponse.decodeAll([UInt8]()), ARQCResponse(value: nil))
    }

    func testK6Refusals() throws {
        let body = mdkHex + pan + "0001"
        XCTAssertEqual(decode(ARQCRequest.self, "3" + body + "2C064758BA2272763030"), .invalid("mode"))
        XCTAssertEqual(decode(ARQCRequest.self, "0" + body + "020123" + "2C064758BA227276")?.hostError, .invalidInput)   // no ';'
        XCTAssertEqual(decode(ARQCRequest.self, "0" + body + "030123;2C064758BA227276")?.hostError, .invalidInput)        // length > data
        XCTAssertEqual(decode(ARQCRequest.self, "0" + body + "0201G3;2C064758BA227276")?.hostError, .invalidInput)        // not hex
        XCTAssertEqual(decode(ARQCRequest.self, "0" + mdkHex + "123456789012344A0001020123;2C064758BA227276")?.hostError, .invalidInput)
        XCTAssertEqual(decode(ARQCRequest.self, "0" + body + "020123;2C064758BA2272")?.hostError, .lengthError)
        XCTAssertEqual(decode(ARQCRequest.self, "2" + body + "2C064758BA22727630300")?.hostError, .lengthError)          // trailing
        XCTAssertThrowsError(try ARQCRequest(mode: .verify, mdk: mdk, pan: pan, atc: [0, 1], data: [UInt8](repeating: 0, count: 256), arqc: [UInt8](repeating: 0, count: 8)).payload())
        XCTAssertThrowsError(try ARQCRequest(mode: .verify, mdk: mdk, pan: "123", atc: [0, 1], data: [1], arqc: [UInt8](repeating: 0, count: 8)).payload())
    }

    func testK2K4() throws {
        let f = IssuerScriptFields(mdk: mdk, pan: pan, atc: [0, 1], data: [0x84, 0x24, 0x00, 0x00, 0x08])
        try roundTrip(EncryptScriptRequest(f), "K2" + mdkHex + pan + "0001" + "005" + "8424000008")
        try roundTrip(ScriptMACRequest(f), "K4" + mdkHex + pan + "0001" + "005" + "8424000008")
        try roundTrip(ScriptMACRequest(IssuerScriptFields(mdk: .stored(index: 1), pan: pan, atc: [0, 1], data: [UInt8](repeating: 1, count: 4095))))
        XCTAssertThrowsError(try ScriptMACRequest(IssuerScriptFields(mdk: mdk, pan: pan, atc: [0, 1], data: [UInt8](repeating: 1, count: 4096))).payload())
        XCTAssertEqual(try EncryptScriptResponse.decodeAll(Array("38C365A7800B00CF71ED9BF920DD17CA".utf8)).cryptogram.count, 16)
        XCTAssertThrowsError(try EncryptScriptResponse.decodeAll(Array("38C365A7800B00".utf8)))
        XCTAssertEqual(try ScriptMACResponse.decodeAll(Array("0C09BA4F207F23BC".utf8)).mac.count, 8)
    }

    func testKXForms() throws {
        try roundTrip(OfflinePINRequest(mdk: mdk, pan: pan, atc: [0, 1], format: 41, input: .clear(newPIN: "1234", oldPIN: nil), account: "000000000000"),
                      "KX9109" + mdkHex + pan + "0001" + "41" + "1" + "1234;" + "000000000000")
        try roundTrip(OfflinePINRequest(mdk: mdk, pan: pan, atc: [0, 1], format: 42, input: .clear(newPIN: "123456789012", oldPIN: "9876"),
                                        account: "987654321098"),
                      "KX9109" + mdkHex + pan + "0001" + "42" + "1" + "123456789012;9876;" + "987654321098")
        let zpk = KeyField.encrypted(scheme: .doubleVariant, material: [UInt8](repeating: 0xCD, count: 16))
        try roundTrip(OfflinePINRequest(mdk: mdk, pan: pan, atc: [0, 1], format: 41,
                                        input: .encrypted(mode: 2, sourceFormat: 1, newBlock: [UInt8](repeating: 0xC9, count: 8), oldBlock: nil, sourceKey: zpk),
                                        account: "987654321098"),
                      "KX9109" + mdkHex + pan + "0001" + "41" + "2" + "01" + String(repeating: "C9", count: 8) + "U" + String(repeating: "CD", count: 16) + "987654321098")
        try roundTrip(OfflinePINRequest(mdk: mdk, pan: pan, atc: [0, 1], format: 42,
                                        input: .encrypted(mode: 3, sourceFormat: 47, newBlock: [UInt8](repeating: 1, count: 16),
                                                          oldBlock: [UInt8](repeating: 2, count: 16), sourceKey: sm4),
                                        account: "987654321098"))
        try roundTrip(OfflinePINRequest(mdk: mdk, pan: pan, atc: [0, 1], format: 42,
                                        input: .encrypted(mode: 2, sourceFormat: 1, newBlock: [UInt8](repeating: 1, count: 8),
                                                          oldBlock: [UInt8](repeating: 2, count: 8), sourceKey: .stored(index: 3)),
                                        account: "987654321098"))
        XCTAssertEqual(try OfflinePINResponse.decodeAll(try OfflinePINResponse(cryptogram: [1, 2, 3]).fields()).cryptogram, [1, 2, 3])
        // refusals: input mode, PIN digits, missing delimiter
        let head = "9109" + mdkHex + pan + "0001" + "41"
        XCTAssertEqual(decode(OfflinePINRequest.self, head + "4" + "1234;000000000000"), .invalid("PIN input mode"))
        XCTAssertEqual(decode(OfflinePINRequest.self, head + "1" + "12A4;000000000000"), .invalid("PIN"))
        XCTAssertEqual(decode(OfflinePINRequest.self, head + "1" + "1234000000000000")?.hostError, .invalidInput)
        XCTAssertEqual(decode(OfflinePINRequest.self, head + "2" + "01" + "C9C9"), .invalid("PIN block or source key"))
    }
}
