import XCTest
@testable import HostProtocol

final class FrameCodecTests: XCTestCase {
    func testEncodeAddsLengthAndHeader() throws {
        let frame = try FrameCodec.encode(headerLength: 4, payload: Array("NC".utf8))
        XCTAssertEqual(frame, [0x00, 0x06] + Array("0000NC".utf8))
    }

    func testEncodeRejectsOversize() {
        var out: [UInt8] = []
        XCTAssertThrowsError(try FrameCodec.encode(header: [], payload: [UInt8](repeating: 0, count: 65_536), into: &out)) {
            XCTAssertEqual($0 as? FrameError, .oversize(length: 65_536, limit: 65_535))
        }
        XCTAssertTrue(out.isEmpty, "no partial write")
    }

    func testSplitNeedsMoreBytes() throws {
        XCTAssertNil(try FrameCodec.split([UInt8]()))
        XCTAssertNil(try FrameCodec.split([0x00]))
        XCTAssertNil(try FrameCodec.split([0x00, 0x03, 0x41]))
    }

    func testSplitFindsFrameAndLeavesRest() throws {
        let buf: [UInt8] = [0x00, 0x02, 0x42, 0x32, 0x00, 0x01]
        let r = try XCTUnwrap(FrameCodec.split(buf))
        XCTAssertEqual(Array(buf[r.body]), Array("B2".utf8))
        XCTAssertEqual(r.consumed, 4)
    }

    func testSplitRejectsEmptyAndOverLimit() {
        XCTAssertThrowsError(try FrameCodec.split([0x00, 0x00])) { XCTAssertEqual($0 as? FrameError, .empty) }
        XCTAssertThrowsError(try FrameCodec.split([0x10, 0x00], limit: 100)) {
            XCTAssertEqual($0 as? FrameError, .oversize(length: 4096, limit: 100))
        }
    }

    func testResponseCodeIncrementsSecondCharacter() {
        XCTAssertEqual(CommandCode("A0").responseCode, CommandCode("A1"))
        XCTAssertEqual(CommandCode("NC").responseCode, CommandCode("ND"))
        XCTAssertEqual(CommandCode("JE").responseCode, CommandCode("JF"))
    }

    func testResponseParsesAndChecks() throws {
        let body = Array("0000ND00ABCD".utf8)
        let r = try HostResponse(body: body, header: Array("0000".utf8), answering: CommandCode("NC"))
        XCTAssertEqual(r.error, .ok)
        XCTAssertEqual(Array(r.fields), Array("ABCD".utf8))
        XCTAssertThrowsError(try HostResponse(body: body, header: Array("0001".utf8), answering: CommandCode("NC"))) {
            XCTAssertEqual($0 as? FrameError, .headerMismatch)
        }
        XCTAssertThrowsError(try HostResponse(body: body, header: Array("0000".utf8), answering: CommandCode("A0"))) {
            XCTAssertEqual($0 as? FrameError, .unexpectedResponseCode(expected: "A1", got: "ND"))
        }
        XCTAssertThrowsError(try HostResponse(body: Array("ND0X".utf8), header: [], answering: CommandCode("NC"))) {
            XCTAssertEqual($0 as? FrameError, .badErrorCode)
        }
        XCTAssertThrowsError(try HostResponse(body: Array("ND".utf8), header: [], answering: CommandCode("NC")))
    }

    func testRequestParse() throws {
        let r = try HostRequest(body: Array("00B2000441424344".utf8), headerLength: 2)
        XCTAssertEqual(r.command, CommandCode("B2"))
        XCTAssertEqual(Array(r.header), Array("00".utf8))
        XCTAssertEqual(Array(r.fields), Array("000441424344".utf8))
        XCTAssertThrowsError(try HostRequest(body: [0x00, 0x01], headerLength: 2))
        XCTAssertThrowsError(try HostRequest(body: Array("B\u{01}".utf8), headerLength: 0)) {
            XCTAssertEqual($0 as? FrameError, .badCommandCode)
        }
    }
}

final class FieldTests: XCTestCase {
    func testKeyFieldsOfEveryScheme() throws {
        let cases: [(String, KeyField)] = [
            ("0123456789ABCDEF", .encrypted(scheme: .singleDES, material: Hex.decode("0123456789ABCDEF")!)),
            ("U" + String(repeating: "1", count: 32), .encrypted(scheme: .doubleVariant, material: [UInt8](repeating: 0x11, count: 16))),
            ("X" + String(repeating: "2", count: 32), .encrypted(scheme: .doubleX917, material: [UInt8](repeating: 0x22, count: 16))),
            ("T" + String(repeating: "3", count: 48), .encrypted(scheme: .tripleVariant, material: [UInt8](repeating: 0x33, count: 24))),
            ("R" + String(repeating: "A", count: 48), .encrypted(scheme: .sm4, material: [UInt8](repeating: 0xAA, count: 24))),
            ("L" + String(repeating: "B", count: 48), .encrypted(scheme: .aes128, material: [UInt8](repeating: 0xBB, count: 24))),
            ("K0042", .stored(index: 42)),
        ]
        for (text, expected) in cases {
            var r = FieldReader(Array(text.utf8))
            XCTAssertEqual(try r.keyField(), expected, text)
            XCTAssertTrue(r.isAtEnd, text)
            XCTAssertEqual(String(decoding: expected.wire, as: UTF8.self), text.hasPrefix("Z") ? String(text.dropFirst()) : text)
        }
    }

    /// SM4/AES keys under the LMK carry a 16H authenticator (48H); under a ZMK they are 32H.
    /// 3DES keys have one length in both forms.
    func testKeyFieldFormsOfSM4AndAES() throws {
        for tag in ["R", "L"] {
            let short = tag + String(repeating: "C", count: 32)
            let long = tag + String(repeating: "C", count: 48)
            var r = FieldReader(Array(short.utf8))
            guard case let .encrypted(_, m) = try r.keyField(form: .underZMK) else { return XCTFail(short) }
            XCTAssertEqual(m.count, 16)
            XCTAssertTrue(r.isAtEnd)
            XCTAssertNil(KeyField(text: short), "\(short) is too short for a key under the LMK")
            XCTAssertNil(KeyField(text: long, form: .underZMK), "\(long) is too long for a key under a ZMK")
            XCTAssertNotNil(KeyField(text: long))
        }
        let u = "U" + String(repeating: "1", count: 32)
        XCTAssertEqual(KeyField(text: u), KeyField(text: u, form: .underZMK))
        XCTAssertEqual(KeyScheme.sm4.hexLength(.underLMK), 48)
        XCTAssertEqual(KeyScheme.sm4.hexLength(.underZMK), 32)
        XCTAssertEqual(KeyScheme.tripleVariant.hexLength(.underLMK), 48)
        XCTAssertEqual(KeyScheme.singleDES.hexLength(.underZMK), 16)
    }

    func testKeyFieldErrors() {
        for bad in ["", "U1234", "Q" + String(repeating: "0", count: 32), "K12", "K0000", "U" + String(repeating: "G", count: 32)] {
            var r = FieldReader(Array(bad.utf8))
            XCTAssertThrowsError(try r.keyField(), bad)
        }
    }

    func testNumbers() throws {
        var r = FieldReader(Array("0042001Fzz".utf8))
        XCTAssertEqual(try r.decimal(4), 42)
        XCTAssertEqual(try r.hexNumber(4), 31)
        XCTAssertThrowsError(try r.decimal(2))
        var w = FieldWriter()
        try w.append(decimal: 7, width: 2)
        try w.append(hexNumber: 255, width: 4)
        XCTAssertThrowsError(try w.append(decimal: 100, width: 2))
        XCTAssertThrowsError(try w.append(hexNumber: 0x10000, width: 4))
        XCTAssertEqual(String(decoding: w.bytes, as: UTF8.self), "0700FF")
    }

    func testKeyTypes() {
        XCTAssertEqual(KeyType("001"), .zpk)
        XCTAssertEqual(KeyType("00A"), .zek)
        XCTAssertEqual(KeyType("402"), .cvk)
        XCTAssertNil(KeyType("A01"))
        XCTAssertNil(KeyType("01"))
        XCTAssertEqual(KeyType.zak.lmkPairIndex, 26)
        XCTAssertEqual(KeyType.zpk.description, "001")
    }

    func testHex() {
        XCTAssertEqual(Hex.decode("0aFf"), [0x0A, 0xFF])
        XCTAssertNil(Hex.decode("0"))
        XCTAssertNil(Hex.decode("0g"))
        XCTAssertEqual(Hex.string([0xDE, 0xAD]), "DEAD")
    }

    func testErrorTableIsComplete() {
        for code in HostErrorCode.all {
            XCTAssertFalse(code.message.hasPrefix("HSM error"), "\(code.rawValue) needs a message")
        }
    }
}
