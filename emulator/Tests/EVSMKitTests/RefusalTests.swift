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

    /// SM4 and AES keys have no parity: the authenticator of their LMK form refuses a key of
    /// another type. A control call with the right type succeeds with the same key bytes.
    func testSM4ZPKOfferedToM6IsRefused() throws {
        let d = testDevice()
        for s in [KeyScheme.sm4, .aes128] {
            let zpk = try call(d, GenerateKeyRequest(keyType: .zpk, lmkScheme: s), GenerateKeyResponse.self).keyUnderLMK
            let zak = try call(d, GenerateKeyRequest(keyType: .zak, lmkScheme: s), GenerateKeyResponse.self).keyUnderLMK
            var f = MACFields(inputFormat: 0, macSize: 1, algorithm: 1, padding: 1, keyType: .zak, key: zak, data: [1, 2, 3])
            XCTAssertEqual(send(d, try GenerateMACRequest(f).payload()).error, "00", "control: a \(s) ZAK makes a MAC")
            f.key = zpk
            let r = send(d, try GenerateMACRequest(f).payload())
            XCTAssertEqual(r.code, "M7")
            XCTAssertEqual(r.error, "10", "a \(s) ZPK offered as a ZAK fails its authenticator")
            XCTAssertTrue(r.fields.isEmpty)
            // The same bytes declared as a ZPK: M6 does not take ZPKs at all.
            f.keyType = .zpk
            XCTAssertEqual(send(d, try GenerateMACRequest(f).payload()).error, "27")
        }
    }

    func testSM4ZAKOfferedToCCIsRefused() throws {
        let d = testDevice()
        let zpk = try call(d, GenerateKeyRequest(keyType: .zpk, lmkScheme: .sm4), GenerateKeyResponse.self).keyUnderLMK
        let zak = try call(d, GenerateKeyRequest(keyType: .zak, lmkScheme: .sm4), GenerateKeyResponse.self).keyUnderLMK
        let pinLMK = try call(d, EncryptPINRequest(pin: "1234", account: "000000000001", paddedTo: 4), PINUnderLMKResponse.self)
        let block = try call(d, PINFromLMKRequest(zpk: zpk, format: 1, account: "000000000001", pinUnderLMK: pinLMK.pinUnderLMK),
                             PINBlockResponse.self).pinBlock
        func cc(_ src: KeyField, _ dst: KeyField) throws -> Reply {
            send(d, try TranslatePINRequest(PINTranslation(sourceKey: src, destinationKey: dst, maxPINLength: 12, pinBlock: block,
                                                          sourceFormat: 1, destinationFormat: 1, account: "000000000001")).payload())
        }
        XCTAssertEqual(try cc(zpk, zpk).error, "00", "control: SM4 ZPK to SM4 ZPK")
        XCTAssertEqual(try cc(zak, zpk).error, "10", "an SM4 ZAK as the source ZPK")
        XCTAssertEqual(try cc(zpk, zak).error, "11", "an SM4 ZAK as the destination ZPK")
        // Data keys: an AES ZPK offered to M0 as a ZEK.
        let aesZPK = try call(d, GenerateKeyRequest(keyType: .zpk, lmkScheme: .aes128), GenerateKeyResponse.self).keyUnderLMK
        let m0 = DataCipherFields(mode: 0, inputFormat: 0, outputFormat: 0, keyType: .zek, key: aesZPK, data: [UInt8](repeating: 0, count: 16))
        XCTAssertEqual(send(d, try EncryptDataRequest(m0).payload()).error, "10")
    }

    /// A changed bit anywhere in an SM4 key under the LMK (key or authenticator), and an SM4
    /// key from a device with another DMK, are refused; none yields a result.
    func testAlteredOrForeignSM4KeysAreRefused() throws {
        let d = testDevice()
        let g = try call(d, GenerateKeyRequest(keyType: .zak, lmkScheme: .sm4), GenerateKeyResponse.self)
        guard case let .encrypted(_, m) = g.keyUnderLMK else { return XCTFail("no key") }
        XCTAssertEqual(m.count, 24)
        XCTAssertEqual(try call(d, CheckValueRequest(keyType: .zak, key: g.keyUnderLMK), CheckValueResponse.self).checkValue, g.checkValue)
        for i in [0, 15, 16, 23] {
            var bad = m
            bad[i] ^= 0x01
            XCTAssertEqual(send(d, try CheckValueRequest(keyType: .zak, key: .encrypted(scheme: .sm4, material: bad)).payload()).error, "10", "byte \(i)")
        }
        // The same key under an L tag (the authenticator binds the scheme letter).
        XCTAssertEqual(send(d, try CheckValueRequest(keyType: .zak, key: .encrypted(scheme: .aes128, material: m)).payload()).error, "10")
        let other = try Device(stateDirectory: nil, mode: .normal)
        try other.install(dmk: [UInt8](repeating: 0x5B, count: 16),
                          authorisation: AuthorisationRecord(setID: "s", threshold: 2, shares: 3, verifier: [1], salt: [2]))
        XCTAssertEqual(send(other, try CheckValueRequest(keyType: .zak, key: g.keyUnderLMK).payload()).error, "10")
        // A 32H SM4 key (the ZMK form) is not a key under the LMK: a length error, 80.
        let short = "BUFF1R" + String(repeating: "0", count: 32) + ";008"
        XCTAssertEqual(send(d, short).error, "80")
    }

    /// A PIN block format code the device does not know is `23`, on either side of every PIN
    /// command (with valid keys, so nothing else fails first).
    func testUnknownPINBlockFormatIs23() throws {
        let d = testDevice()
        let zpk = "U34E2FC8EAD7CD07BFA2B7ED5FE4D8212", tpk = "UE9F05D2F2DB8A8579CA3E806B35E336F"
        let acct = "456789012345", block = "ABE38E29B58EA392"
        XCTAssertEqual(send(d, "CC" + zpk + zpk + "12" + block + "0101" + acct).error, "00", "control")
        let pinLMK = send(d, "BA1234F" + acct).text
        let cases: [(String, String)] = [
            ("CC source", "CC" + zpk + zpk + "12" + block + "9901" + acct),
            ("CC destination", "CC" + zpk + zpk + "12" + block + "0199" + acct),
            ("CA source", "CA" + tpk + zpk + "12" + block + "9901" + acct),
            ("CA destination", "CA" + tpk + zpk + "12" + block + "0102" + acct),
            ("TI source", "TI1" + tpk + "2" + zpk + "12" + block + "99" + acct + "01" + acct),
            ("TI destination", "TI1" + tpk + "2" + zpk + "12" + block + "01" + acct + "46" + acct),
            ("JE", "JE" + zpk + block + "99" + acct),
            ("JG", "JG" + zpk + "00" + acct + pinLMK),
        ]
        for (what, body) in cases {
            let r = send(d, body)
            XCTAssertEqual(r.error, "23", what)
            XCTAssertTrue(r.fields.isEmpty, what)
        }
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
            // SM2, vendor layouts (SM2VendorTests has the refusals of well-formed requests).
            ("E1", ["K", "07", "07" + "\u{30}\u{59}", "070040", "08"]),
            ("E2", ["", "K", "K0000", "K9999", "K99990040", "0001"]),
            ("E3", ["", "07", "070001A", "070001A;K0001", "070001A;K00011", "070001AK0001", "070001A;K9999Z"]),
            ("E4", ["", "070", "0700001A;", "0700001A;K9999", "0710001A;K0001"]),
            ("E5", ["", "20", "2007", "20070000;0000;", "21070000;0000;K00010", "20070000;0000;K9999"]),
            ("E6", ["", "20070000;00000;0000;", "20070000;00064", "20070000;10000;0000;K0001"]),
            ("E7", ["", "0", "08", "07K", "07K0000", "07K00019"]),
            ("TT", ["", "02000K0001000799990", "00001K000100079999", "00000K00010007", "00000K00010107", "00000K0001000799990"]),
            ("TU", ["", "00000K000100070001", "00000K000100079999\u{30}", "00109K0001000800019999"]),
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
