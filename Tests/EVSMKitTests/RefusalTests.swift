import XCTest
import HostProtocol
@testable import EVSMKit

/// Key usage enforcement, malformed fields, factory-fresh devices.
final class RefusalTests: XCTestCase {
    func testZAKOfferedToCCIsRefused() throws {
        let d = testDevice()
        let k = "0123456789ABCDEFFEDCBA9876543210"
        let zak = try underLMK(d, clear: k, type: .zak, scheme: .doubleVariant)
        let zpk = try underLMK(d, clear: k, type: .zpk, scheme: .doubleVariant)
        let block = try Prim.crypt(.des, key: hex(k), data: try PINBlock.make(pin: [1, 2, 3, 4], format: 1, account: "000000000001", blockSize: 8), encrypt: true)
        let r = send(d, try TranslatePINRequest(PINTranslation(sourceKey: zak, destinationKey: zpk, maxPINLength: 12, pinBlock: block,
                                                              sourceFormat: 1, destinationFormat: 1, account: "000000000001")).payload())
        XCTAssertEqual(r.code, "CD")
        XCTAssertEqual(r.error, "10", "a ZAK decrypts to garbage under the ZPK LMK: source parity error")
        XCTAssertTrue(r.fields.isEmpty)
    }

    func testZPKOfferedToM6IsRefused() throws {
        let d = testDevice()
        let zpk = try underLMK(d, clear: "0123456789ABCDEFFEDCBA9876543210", type: .zpk, scheme: .doubleVariant)
        // Declared as a ZPK: type not permitted.
        var f = MACFields(inputFormat: 0, macSize: 0, algorithm: 3, padding: 1, keyType: .zpk, key: zpk, data: [1, 2, 3])
        XCTAssertEqual(send(d, try GenerateMACRequest(f).payload()).error, "27")
        // Declared as a ZAK: decrypted under the ZAK LMK, so garbage: parity error.
        f.keyType = .zak
        XCTAssertEqual(send(d, try GenerateMACRequest(f).payload()).error, "10")
        // M0 only takes 00A/00B.
        XCTAssertEqual(send(d, try EncryptDataRequest(DataCipherFields(mode: 0, inputFormat: 0, outputFormat: 0, keyType: .zpk, key: zpk, data: [UInt8](repeating: 0, count: 8))).payload()).error, "27")
    }

    func testSM1AndUnknownSchemes() throws {
        let d = testDevice()
        XCTAssertEqual(send(d, "A00001P").error, "26")
        XCTAssertEqual(send(d, "BU011P0123456789ABCDEF0123456789ABCDEF").error, "26")
        XCTAssertEqual(send(d, "A00001Q").error, "26")
        XCTAssertEqual(send(d, "A000FFU").error, "27")
    }

    func testUnknownCommandIs68() {
        let d = testDevice()
        let r = send(d, "ZQ1234")
        XCTAssertEqual(r.code, "ZR")
        XCTAssertEqual(r.error, "68")
    }

    /// Truncated, non-hex and bad-scheme forms of every command: an error code, never a crash.
    func testMalformedFieldsForEveryCommand() throws {
        let d = testDevice()
        let zpk = "U" + String(repeating: "0", count: 32)
        let samples: [(String, [String])] = [
            ("B2", ["", "00", "0010abc", "ZZZZ"]),
            ("CR", ["", "0000", "2049", "12x4"]),
            ("3C", ["", "06", "060010abc", "06000abc;", "200003abc;0001"]),
            ("A0", ["", "0", "0001", "0001Q", "9001U", "1001UUZZ", "0001UK12", "0001UK0001", "0001UK000105ab"]),
            ("A6", ["", "001", "001U12", "001UGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGG", "001\(zpk)\(zpk)"]),
            ("A8", ["", "001\(zpk)", "001\(zpk)\(zpk)", "001\(zpk)\(zpk)Q"]),
            ("A4", ["", "2", "2001U", "2001U\(zpk)", "9001U\(zpk)\(zpk)"]),
            ("BU", ["", "01", "011", "015\(zpk)", "FF1\(zpk)", "FF1\(zpk);", "0Z1\(zpk)"]),
            ("CA", ["", zpk, zpk + zpk + "12", zpk + zpk + "12" + String(repeating: "G", count: 16) + "0101000000000001"]),
            ("CC", ["", zpk + zpk + "121234567890ABCDEF9901000000000001", zpk + zpk + "121234567890ABCDEF01010000000000x1"]),
            ("TI", ["", "1" + zpk + "2" + zpk + "12" + String(repeating: "0", count: 16) + "01000000000001", "9" + zpk]),
            ("JE", ["", zpk, zpk + "1234567890ABCDEF01", zpk + "1234567890ABCDEF99000000000001"]),
            ("JG", ["", zpk + "01", zpk + "01000000000001", zpk + "01000000000001XYZ"]),
            ("BA", ["", "1234", "1234F12345678901A", "12345678901234567000000000001"]),
            ("NG", ["", "000000000001", "0000000000011234"]),
            ("M6", ["", "0", "00000003", "00130003" + zpk + "0004ab", "00130003" + zpk + "000G", "90130003" + zpk + "0000"]),
            ("M8", ["", "00130003" + zpk + "0000", "00130003" + zpk + "0000ZZZZZZZZZZZZZZZZ"]),
            ("M0", ["", "00", "0000" + "00A" + zpk + "0001x", "0211" + "00A" + zpk + "0000", "0100" + "00A" + zpk]),
            ("M2", ["", "0010" + "00A" + zpk + "0003GGG"]),
            ("E1", ["K", "K00", "K000102", "X"]),
            ("E2", ["", String(repeating: "0", count: 64), String(repeating: "0", count: 64) + "K0001"]),
            ("E3", ["", "K", "K0000", String(repeating: "G", count: 64)]),
            ("E4", ["", String(repeating: "0", count: 128) + "0001A", "K0009"]),
            ("E5", ["", "K00010001", String(repeating: "1", count: 64) + "0004abcd"]),
            ("E6", ["", String(repeating: "1", count: 64), String(repeating: "1", count: 64) + "0000000"]),
            ("E7", ["", String(repeating: "0", count: 128) + "00000000" + String(repeating: "0", count: 128)]),
        ]
        for (cmd, bodies) in samples {
            for b in bodies {
                let r = send(d, cmd + b)
                XCTAssertNotEqual(r.error, "00", "\(cmd)\(b) should fail")
                XCTAssertNotEqual(r.error, "99", "\(cmd)\(b) hit an internal error")
                let code = Array(cmd.utf8)
                XCTAssertEqual(r.code, String(decoding: [code[0], code[1] + 1], as: UTF8.self))
            }
        }
    }

    func testFactoryFreshAnswers13ExceptNCAndB2() throws {
        let d = try Device(stateDirectory: nil, mode: .normal)
        XCTAssertFalse(d.isInitialised)
        XCTAssertNil(d.dmkCheckValue)
        let nc = send(d, "NC")
        XCTAssertEqual(nc.error, "00")
        XCTAssertFalse(try DeviceInfoResponse.decodeAll(nc.fields).hasDMK)
        XCTAssertTrue(try call(testDevice(), DeviceInfoRequest(), DeviceInfoResponse.self).hasDMK)
        XCTAssertEqual(send(d, "B20002hi").text, "hi")
        for cmd in ["CR0008", "A00001U", "BU001U" + String(repeating: "0", count: 32), "M0", "E1", "3C060000"] {
            XCTAssertEqual(send(d, cmd).error, "13", cmd)
        }
        XCTAssertEqual(send(d, "ZZ").error, "68")
    }
}
