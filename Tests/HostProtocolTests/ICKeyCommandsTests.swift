import XCTest
@testable import HostProtocol

/// The IC key layouts (`KG`, `KR`, `KD`, `SH`, `SI`, `AN`, `AM`): the wire text is the one
/// the TASS SJJ1310 client library sends (docs/wire.md, "IC key commands"), and decode
/// gives back the value that was encoded.
final class ICKeyCommandsTests: XCTestCase {
    let u = KeyField.encrypted(scheme: .doubleVariant, material: [UInt8](repeating: 0xAB, count: 16))
    let uHex = "U" + String(repeating: "AB", count: 16)
    let f8: [UInt8] = [0x19, 0x87, 0x65, 0x43, 0x21, 0x09, 0x87, 0x00]
    let f16 = [UInt8](repeating: 0x11, count: 16)

    func roundTrip<R: HostCommandRequest & Equatable>(_ r: R, _ wire: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let p = try r.payload()
        XCTAssertEqual(String(decoding: p, as: UTF8.self), wire, file: file, line: line)
        XCTAssertEqual(try R.decodeAll(p.dropFirst(2)), r, file: file, line: line)
    }

    func testKeyInfo() throws {
        try roundTrip(ICKeyInfoRequest(index: 12), "KG0012")
        XCTAssertThrowsError(try ICKeyInfoRequest.decodeAll(Array("0000".utf8)))
        XCTAssertThrowsError(try ICKeyInfoRequest.decodeAll(Array("00A1".utf8)))
        XCTAssertThrowsError(try ICKeyInfoRequest(index: 0).payload())
        let rsp = ICKeyInfoResponse(keyType: .zpk, scheme: .sm4, checkValue: [1, 2, 3, 4, 5, 6, 7, 8], label: "pin key", time: "20261202145000")
        let f = try rsp.fields()
        XCTAssertEqual(String(decoding: f, as: UTF8.self), "001R010203040506070807pin key1420261202145000")
        XCTAssertEqual(try ICKeyInfoResponse.decodeAll(f), rsp)
        XCTAssertThrowsError(try ICKeyInfoResponse.decodeAll(Array("001R010203040506070807pin key14202612021450".utf8)))
    }

    func testGenerate() throws {
        try roundTrip(ICGenerateKeyRequest(keyType: .zak, scheme: .doubleX917), "KR008X")
        try roundTrip(ICGenerateKeyRequest(keyType: .zak, scheme: .sm4, store: StoreTarget(index: 7, label: "mak")), "KR008RK000703mak")
        try roundTrip(ICGenerateKeyRequest(keyType: .zpk, scheme: .doubleVariant, store: StoreTarget(index: 9999, label: "")), "KR001UK999900")
    }

    func testDerive() throws {
        try roundTrip(ICDeriveKeyRequest(sourceType: .mkAC, source: u, destinationType: .mkAC, destinationScheme: .doubleVariant,
                                         mode: 0, derivation: ICKeyDerive(factors: [f8])),
                      "KD109" + uHex + "109U0011987654321098700")
        try roundTrip(ICDeriveKeyRequest(sourceType: .zmk, source: .stored(index: 3), destinationType: .zpk, destinationScheme: .sm4,
                                         mode: 1, derivation: ICKeyDerive(factors: [f16, f16]), store: StoreTarget(index: 4, label: "x")),
                      "KD000K0003001R102" + String(repeating: "11", count: 32) + "K000401x")
        // Factor length follows the mode: 16H in mode 0, 32H in mode 1.
        XCTAssertThrowsError(try ICDeriveKeyRequest(sourceType: .zmk, source: u, destinationType: .zpk, destinationScheme: .doubleX917,
                                                    mode: 0, derivation: ICKeyDerive(factors: [f16])).payload())
        XCTAssertThrowsError(try ICDeriveKeyRequest.decodeAll(Array(("000" + uHex + "001X2011987654321098700").utf8)))
        XCTAssertThrowsError(try ICDeriveKeyRequest.decodeAll(Array(("000" + uHex + "001X001198765432109870G").utf8))) { e in
            XCTAssertEqual((e as? FieldError)?.hostError, .invalidInput)
        }
        XCTAssertThrowsError(try ICDeriveKeyRequest.decodeAll(Array(("000" + uHex + "001X00119876543210987").utf8))) { e in
            XCTAssertEqual((e as? FieldError)?.hostError, .lengthError)
        }
    }

    func testExport() throws {
        // Tass_Disper_Zmk's SH: ECB, protection 000, no derivation, session 00, exported 000
        // derived by one 32H factor, header length 00.
        let r = ICExportKeyRequest(protection: ICProtectionKey(keyType: .zmk, key: .stored(index: 1)), keyType: .zmk, key: u,
                                   derivation: ICKeyDerive(factors: [f16]))
        try roundTrip(r, "SH00000K00010000000" + uHex + "01" + String(repeating: "11", count: 16) + "00")
        let p = ICProtectionKey(mode: 1, keyType: KeyType(variant: 3, pairCode: 9), key: u, derivation: ICKeyDerive(factors: [f16]),
                                session: ICKeySession(mode: 1, data: f8))
        try roundTrip(ICExportKeyRequest(protection: p, keyType: .zpk, key: .stored(index: 2), header: [0xA1, 0xB2]),
                      "SH01309" + uHex + "01" + String(repeating: "11", count: 16) + "011987654321098700" + "001K000200" + "02A1B2")
        XCTAssertThrowsError(try ICExportKeyRequest(protection: p, keyType: .zpk, key: u, header: [UInt8](repeating: 0, count: 33)).payload())
        XCTAssertThrowsError(try ICExportKeyRequest.decodeAll(Array("02000K00010000000K00010000".utf8)), "mode 02")
        XCTAssertThrowsError(try ICExportKeyRequest.decodeAll(Array("00000K00010006000K00010000".utf8)), "session mode 06")
        XCTAssertThrowsError(try ICExportKeyRequest.decodeAll(Array("00000K00010000000K00010033".utf8)), "header of 33 bytes")
        let rsp = ICExportKeyResponse(cryptogram: [UInt8](repeating: 0x5A, count: 16), checkValue: [UInt8](repeating: 1, count: 8))
        XCTAssertEqual(String(decoding: try rsp.fields(), as: UTF8.self), "0010" + String(repeating: "5A", count: 16) + String(repeating: "01", count: 8))
        XCTAssertEqual(try ICExportKeyResponse.decodeAll(try rsp.fields()), rsp)
    }

    func testImport() throws {
        let c = [UInt8](repeating: 0x22, count: 16)
        let p = ICProtectionKey(keyType: .zmk, key: .stored(index: 1))
        try roundTrip(ICImportKeyRequest(protection: p, keyType: .zpk, scheme: .doubleX917, cryptogram: c),
                      "SI00000K00010000001X0010" + String(repeating: "22", count: 16) + "00")
        try roundTrip(ICImportKeyRequest(protection: p, keyType: .zpk, scheme: .doubleX917, cryptogram: c, store: StoreTarget(index: 5, label: "z"),
                                         header: [0x01], extension: ICImportExtension(padding: 1, checkValue: [UInt8](repeating: 0xCC, count: 8))),
                      "SI00000K00010000001X0010" + String(repeating: "22", count: 16) + "K000501z" + "0101" + "P01" + String(repeating: "CC", count: 8))
        var cbc = p
        cbc.mode = 1
        for iv in [[UInt8](repeating: 0x33, count: 8), [UInt8](repeating: 0x33, count: 16)] {
            let r = ICImportKeyRequest(protection: cbc, keyType: .zpk, scheme: .sm4, cryptogram: c,
                                       extension: ICImportExtension(padding: 0, iv: iv, checkValue: [UInt8](repeating: 0xCC, count: 8)))
            XCTAssertEqual(try ICImportKeyRequest.decodeAll(try r.payload().dropFirst(2)), r)
        }
        // An IV only in CBC mode.
        XCTAssertThrowsError(try ICImportKeyRequest(protection: p, keyType: .zpk, scheme: .sm4, cryptogram: c,
                                                    extension: ICImportExtension(padding: 0, iv: [UInt8](repeating: 0, count: 8), checkValue: [UInt8](repeating: 0, count: 8))).payload())
    }

    func testConversion() throws {
        try roundTrip(KeyTypeConversionRequest(sourceType: .zak, source: u, destinationType: .tak, destinationScheme: .doubleX917),
                      "AN008" + uHex + "003X")
        try roundTrip(KeyTypeConversionRequest(sourceType: .zek, source: .stored(index: 9), destinationType: .tek, destinationScheme: .doubleVariant),
                      "AN00AK000900BU")
        let rsp = ICKeyResponse(key: u, checkValue: [UInt8](repeating: 9, count: 8))
        XCTAssertEqual(try ICKeyResponse.decodeAll(try rsp.fields()), rsp)
    }

    func testClearComponents() throws {
        let k = [UInt8](repeating: 0x12, count: 16), z = [UInt8](repeating: 0, count: 16)
        try roundTrip(ClearComponentsKeyRequest(keyType: .zmk, scheme: .doubleVariant, components: [k, z]),
                      "AM000U0002" + String(repeating: "12", count: 16) + String(repeating: "00", count: 16))
        try roundTrip(ClearComponentsKeyRequest(keyType: .zpk, scheme: .singleDES, components: [[1, 2, 3, 4, 5, 6, 7, 8]], store: StoreTarget(index: 9999, label: "")),
                      "AM001Z00010102030405060708K999900")
        XCTAssertThrowsError(try ClearComponentsKeyRequest(keyType: .zpk, scheme: .singleDES, components: [k]).payload(), "16 bytes for a Z key")
        XCTAssertThrowsError(try ClearComponentsKeyRequest.decodeAll(Array("001Z0001010203040506070G".utf8))) { e in
            XCTAssertEqual((e as? FieldError)?.hostError, .invalidInput)
        }
        XCTAssertThrowsError(try ClearComponentsKeyRequest.decodeAll(Array("001Z000201020304050607080102".utf8))) { e in
            XCTAssertEqual((e as? FieldError)?.hostError, .lengthError)
        }
    }
}
