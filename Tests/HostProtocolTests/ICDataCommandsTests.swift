import XCTest
@testable import HostProtocol

/// `S0`, `S3`, `S4`, `S5` layouts: encode then decode gives the same value; the wire text
/// is the TASS layout (docs/wire.md, "IC data and MAC commands").
final class ICDataCommandsTests: XCTestCase {
    let des = KeyField.encrypted(scheme: .doubleVariant, material: [UInt8](repeating: 0xAB, count: 16))
    let single = KeyField.encrypted(scheme: .singleDES, material: [UInt8](repeating: 0x11, count: 8))
    /// An SM4 key under the LMK: 16 bytes of key, 8 of authenticator.
    let sm4 = KeyField.encrypted(scheme: .sm4, material: [UInt8](repeating: 0x01, count: 24))
    let factor = [UInt8](repeating: 0x22, count: 16)

    func roundTrip<R: HostCommandRequest & Equatable>(_ r: R, _ wire: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        let p = try r.payload()
        if let w = wire { XCTAssertEqual(String(decoding: p, as: UTF8.self), w, file: file, line: line) }
        XCTAssertEqual(Array(p.prefix(2)), R.command.bytes, file: file, line: line)
        XCTAssertEqual(try R.decodeAll(p.dropFirst(2)), r, file: file, line: line)
    }

    func decodeError<R: HostCommandRequest>(_ type: R.Type, _ fields: String) -> FieldError? {
        do {
            _ = try R.decodeAll(Array(fields.utf8))
            return nil
        } catch let e as FieldError {
            return e
        } catch {
            return .invalid("other")
        }
    }

    /// The vendor `Tass_Gen_ANSI_Mac` request: `S0 03 08 008 KEY 00 00 02 LEN DATA IV`.
    func testS0WireIsTheVendorLayout() throws {
        let r = ICGenerateMACRequest(macMode: 3, macType: 8, key: ICKeySpec(keyType: .zak, key: des), padding: 2,
                                     data: Array("AB".utf8), iv: [UInt8](repeating: 0, count: 8))
        try roundTrip(r, "S00308008U" + String(repeating: "AB", count: 16) + "0000" + "02" + "0002AB" + "0000000000000000")
        // SM4 key, MAC type 10, one derivation level, session mode 1: 32H IV.
        let s = ICGenerateMACRequest(macMode: 1, macType: 10,
                                     key: ICKeySpec(keyType: .zak, key: sm4, derivation: [factor],
                                                    session: ICSessionKey(mode: 1, data: [1, 2, 3, 4, 5, 6, 7, 8])),
                                     padding: 1, data: [0, 0x30, 0xFF], iv: [UInt8](repeating: 9, count: 16))
        try roundTrip(s)
        let p = try s.payload()
        let head = "S00110008R" + String(repeating: "01", count: 24) + "01" + String(repeating: "22", count: 16) + "010102030405060708" + "01" + "0003"
        XCTAssertEqual(Array(p.prefix(head.utf8.count)), Array(head.utf8))
        XCTAssertEqual(Array(p.dropFirst(head.utf8.count)), [0, 0x30, 0xFF] + Array(String(repeating: "09", count: 16).utf8))
    }

    func testS0RoundTrips() throws {
        // A stored key: the IV is whatever ends the message (16H or 32H).
        for n in [8, 16] {
            try roundTrip(ICGenerateMACRequest(macMode: 1, macType: 4, key: ICKeySpec(keyType: .tak, key: .stored(index: 7)),
                                               padding: 5, data: [UInt8](repeating: 0x41, count: 16), iv: [UInt8](repeating: 3, count: n)))
        }
        try roundTrip(ICGenerateMACRequest(macMode: 3, macType: 8,
                                           key: ICKeySpec(keyType: .mkAC, key: single, derivation: [factor, factor, factor],
                                                          session: ICSessionKey(mode: 2, data: factor)),
                                           padding: 0, data: [1], iv: [UInt8](repeating: 0, count: 8)))
        for mode in [0, 3, 4] {
            try roundTrip(ICGenerateMACRequest(macMode: 1, macType: 8, key: ICKeySpec(keyType: .zak, key: des, session: ICSessionKey(mode: mode)),
                                               padding: 2, data: [1], iv: [UInt8](repeating: 0, count: 8)))
        }
        try roundTrip(ICGenerateMACRequest(macMode: 1, macType: 8, key: ICKeySpec(keyType: .zak, key: des, session: ICSessionKey(mode: 5, data: factor)),
                                           padding: 2, data: [1], iv: [UInt8](repeating: 0, count: 8)))
    }

    func testS0MACLengthByType() {
        XCTAssertEqual(ICGenerateMACRequest.macLength(type: 8, blockSize: 8), 8)
        XCTAssertEqual(ICGenerateMACRequest.macLength(type: 4, blockSize: 16), 4)
        XCTAssertEqual(ICGenerateMACRequest.macLength(type: 10, blockSize: 16), 16)
        XCTAssertEqual(ICGenerateMACRequest.macLength(type: 10, blockSize: 8), 8)
        XCTAssertEqual(ICGenerateMACRequest.macLength(type: 0, blockSize: 16), 16)
        XCTAssertEqual(ICGenerateMACRequest.macLength(type: 14, blockSize: 8), 4)
    }

    func testS0ResponseWithAndWithoutCryptogram() throws {
        var r = FieldReader(Array("0102030405060708".utf8))
        XCTAssertEqual(try ICGenerateMACResponse.decode(&r, macHexLength: 16), ICGenerateMACResponse(mac: [1, 2, 3, 4, 5, 6, 7, 8]))
        var c = FieldReader(Array("01020304AAAAAAAAAAAAAAAA".utf8))
        let rc = try ICGenerateMACResponse.decode(&c, macHexLength: 8)
        XCTAssertEqual(rc.mac, [1, 2, 3, 4])
        XCTAssertEqual(rc.macCryptogram, [UInt8](repeating: 0xAA, count: 8))
        XCTAssertEqual(try ICGenerateMACResponse.decodeAll(try ICGenerateMACResponse(mac: [9, 9]).fields()).mac, [9, 9])
        XCTAssertThrowsError(try ICGenerateMACResponse.decodeAll(Array("0".utf8)))
    }

    /// The vendor `Tass_EncryptData` request: `S3 mode 00A KEY DERIVE SESSION pad LEN DATA [IV]`.
    func testS3S4WireIsTheVendorLayout() throws {
        let ecb = ICCipherFields(mode: 0, key: ICKeySpec(keyType: .zek, key: single), padding: 5, data: Array("ABCDEFGH".utf8))
        try roundTrip(ICEncryptRequest(ecb), "S300" + "00A" + "1111111111111111" + "00" + "00" + "05" + "0008" + "ABCDEFGH")
        let cbc = ICCipherFields(mode: 1, key: ICKeySpec(keyType: .mkAC, key: des, derivation: [factor]), padding: 4,
                                 data: [0x31], iv: [UInt8](repeating: 0x0F, count: 8))
        try roundTrip(ICDecryptRequest(cbc), "S401" + "109" + "U" + String(repeating: "AB", count: 16) + "01" + String(repeating: "22", count: 16)
                      + "00" + "04" + "0001" + "1" + "0F0F0F0F0F0F0F0F")
    }

    func testS3S4RoundTrips() throws {
        for (k, n) in [(KeyField.stored(index: 12), 8), (.stored(index: 12), 16), (sm4, 16), (des, 8)] {
            let f = ICCipherFields(mode: 1, key: ICKeySpec(keyType: .zek, key: k, session: ICSessionKey(mode: 1, data: [UInt8](repeating: 7, count: 8))),
                                   padding: 0, data: [UInt8](repeating: 0x5A, count: 33), iv: [UInt8](repeating: 1, count: n))
            try roundTrip(ICEncryptRequest(f))
            try roundTrip(ICDecryptRequest(f))
        }
        // Modes 02/03 without an IV, as the vendor's C library sends them (the layout decodes, evsm refuses them).
        try roundTrip(ICEncryptRequest(ICCipherFields(mode: 2, key: ICKeySpec(keyType: .zek, key: des), padding: 5,
                                                      data: [UInt8](repeating: 1, count: 8))),
                      "S302" + "00A" + "U" + String(repeating: "AB", count: 16) + "0000" + "05" + "0008" + "\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}")
        // Modes 02/03 with an IV (CFB / OFB, as the vendor's Java SDK passes it): at the end, as for CBC; a key at a
        // K index takes the 16H or 32H that is left.
        try roundTrip(ICDecryptRequest(ICCipherFields(mode: 3, key: ICKeySpec(keyType: .zek, key: des), padding: 5,
                                                      data: [1, 2, 3], iv: [UInt8](repeating: 0xA5, count: 8))),
                      "S403" + "00A" + "U" + String(repeating: "AB", count: 16) + "0000" + "05" + "0003" + "\u{1}\u{2}\u{3}" + "A5A5A5A5A5A5A5A5")
        for n in [8, 16] {
            try roundTrip(ICEncryptRequest(ICCipherFields(mode: 2, key: ICKeySpec(keyType: .zek, key: .stored(index: 7)), padding: 4,
                                                          data: [9], iv: [UInt8](repeating: 1, count: n))))
        }
        XCTAssertThrowsError(try ICEncryptRequest(ICCipherFields(mode: 2, key: ICKeySpec(keyType: .zek, key: des), padding: 5, data: [1],
                                                                 iv: [1, 2, 3])).payload())
        XCTAssertEqual(try ICCipherResponse.decodeAll(try ICCipherResponse(data: [0, 1, 0xFF]).fields()), ICCipherResponse(data: [0, 1, 0xFF]))
        XCTAssertEqual(String(decoding: try ICCipherResponse(data: Array("xy".utf8)).fields(), as: UTF8.self), "0002xy")
    }

    /// The vendor `Tass_TransferCipher` request: source side, destination side, LEN, DATA.
    func testS5WireAndStoredKeyIVs() throws {
        let src = ICCipherSide(mode: 1, key: ICKeySpec(keyType: .zek, key: single), padding: 5, iv: [UInt8](repeating: 0, count: 8))
        let dst = ICCipherSide(mode: 0, key: ICKeySpec(keyType: .zek, key: .stored(index: 3)), padding: 4)
        try roundTrip(ICTranslateRequest(source: src, destination: dst, data: Array("12345678".utf8)),
                      "S501" + "00A" + "1111111111111111" + "0000" + "05" + "0000000000000000"
                      + "00" + "00A" + "K0003" + "0000" + "04" + "0008" + "12345678")
        // Stored keys on both sides with 16H and 32H IVs in the middle of the message.
        for a in [8, 16] {
            for b in [8, 16] {
                let s = ICCipherSide(mode: 1, key: ICKeySpec(keyType: .zek, key: .stored(index: 1), derivation: [factor]), padding: 1,
                                     iv: [UInt8](repeating: 0xA0, count: a))
                let d = ICCipherSide(mode: 1, key: ICKeySpec(keyType: .tek, key: .stored(index: 2), session: ICSessionKey(mode: 2, data: factor)),
                                     padding: 3, iv: [UInt8](repeating: 0x0B, count: b))
                try roundTrip(ICTranslateRequest(source: s, destination: d, data: [UInt8](repeating: 0x33, count: 16)))
            }
        }
    }

    func testMalformedRequestsAreFieldErrors() {
        let key = "U" + String(repeating: "AB", count: 16)
        // Non-hex derivation data, session data, IV: 15.
        XCTAssertEqual(decodeError(ICEncryptRequest.self, "00" + "00A" + key + "01" + String(repeating: "G", count: 32) + "00" + "05" + "0001X")?.hostError, .invalidInput)
        XCTAssertEqual(decodeError(ICEncryptRequest.self, "00" + "00A" + key + "00" + "01" + "ZZZZZZZZZZZZZZZZ" + "05" + "0001X")?.hostError, .invalidInput)
        XCTAssertEqual(decodeError(ICEncryptRequest.self, "01" + "00A" + key + "00" + "00" + "05" + "0001X" + "GGGGGGGGGGGGGGGG")?.hostError, .invalidInput)
        // Unknown session mode 06, cipher mode 04: 15.
        XCTAssertEqual(decodeError(ICEncryptRequest.self, "00" + "00A" + key + "00" + "06" + "05" + "0001X")?.hostError, .invalidInput)
        XCTAssertEqual(decodeError(ICEncryptRequest.self, "04" + "00A" + key + "00" + "00" + "05" + "0001X")?.hostError, .invalidInput)
        // Short derivation data, short data, missing IV, trailing bytes: 80.
        XCTAssertEqual(decodeError(ICEncryptRequest.self, "00" + "00A" + key + "01" + "2222")?.hostError, .lengthError)
        XCTAssertEqual(decodeError(ICEncryptRequest.self, "00" + "00A" + key + "00" + "00" + "05" + "0009X")?.hostError, .lengthError)
        XCTAssertEqual(decodeError(ICEncryptRequest.self, "01" + "00A" + key + "00" + "00" + "05" + "0001X")?.hostError, .lengthError)
        XCTAssertEqual(decodeError(ICEncryptRequest.self, "00" + "00A" + key + "00" + "00" + "05" + "0001XY")?.hostError, .lengthError)
        // S0: an IV of the wrong length for the key, or a stored key's IV that is neither 16H nor 32H.
        XCTAssertEqual(decodeError(ICGenerateMACRequest.self, "0108" + "008" + key + "00" + "00" + "02" + "0001X" + "0000")?.hostError, .lengthError)
        XCTAssertEqual(decodeError(ICGenerateMACRequest.self, "0108" + "008" + "K0001" + "00" + "00" + "02" + "0001X" + String(repeating: "0", count: 20))?.hostError, .lengthError)
        XCTAssertEqual(decodeError(ICGenerateMACRequest.self, "0108" + "008" + key + "00" + "00" + "02" + "0001X" + String(repeating: "0", count: 18))?.hostError, .lengthError)
        // Unknown scheme letter: 26. Non-decimal MAC type: 15.
        XCTAssertEqual(decodeError(ICGenerateMACRequest.self, "0108" + "008" + "Q" + String(repeating: "AB", count: 16) + "0000020001X0000000000000000")?.hostError, .invalidKeyScheme)
        XCTAssertEqual(decodeError(ICGenerateMACRequest.self, "01A8" + "008" + key + "0000020001X0000000000000000")?.hostError, .invalidInput)
        // S5 whose data length does not match: 80.
        XCTAssertNotNil(decodeError(ICTranslateRequest.self, "00" + "00A" + key + "0000" + "05" + "00" + "00A" + key + "0000" + "05" + "0009ABC"))
    }

    func testEncoderRefusesInconsistentFields() {
        let bad = ICKeySpec(keyType: .zek, key: des, derivation: [[1, 2, 3]])
        XCTAssertThrowsError(try ICEncryptRequest(ICCipherFields(mode: 0, key: bad, padding: 5, data: [1])).payload())
        let badSession = ICKeySpec(keyType: .zek, key: des, session: ICSessionKey(mode: 1, data: []))
        XCTAssertThrowsError(try ICEncryptRequest(ICCipherFields(mode: 0, key: badSession, padding: 5, data: [1])).payload())
        XCTAssertThrowsError(try ICEncryptRequest(ICCipherFields(mode: 1, key: ICKeySpec(keyType: .zek, key: des), padding: 5, data: [1])).payload())
        XCTAssertThrowsError(try ICGenerateMACRequest(macMode: 1, macType: 100, key: ICKeySpec(keyType: .zak, key: des), padding: 1, data: [1],
                                                      iv: [UInt8](repeating: 0, count: 8)).payload())
    }
}
