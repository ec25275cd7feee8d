import XCTest
import HostProtocol
@testable import EVSMKit

/// Known answers from published sources, in test-LMK mode.
///
/// Sources:
/// - [LB] leachbj/hsm-emulator (MIT), a payShield simulator using the public test LMKs:
///   TranslateZpkFromZmkToLmkSuite, GenerateZpkSuite, ImportDesKeySuite,
///   TranslatePinZpkToAnotherSuite, GenerateMacSuite.
/// - [KAT] /work/shared/vectors/public-kat.json (GB/T 32905 SM3, GB/T 32907 SM4, ISO/IEC 9797-1
///   annex B, FIPS 113 style, ISO 9564 format 0), copied here.
/// - [FIPS180] FIPS 180-2 appendix B.1: SHA-256("abc").
/// - [JPOS] jPOS JCESecurityModuleTest (AGPL test data, values only): keys "encrypted under
///   standard LMK test key" for types 001, 002, 402, 109, 709, 00B.
final class KnownAnswerTests: XCTestCase {
    // [LB] ZMK under test LMK 04-05 (scheme U) and its clear value.
    let zmkUnderLMK = "E13D662B185F5F3B08594F89F1FF903A"
    let zmkClear = "8A7C04A1CD916464D6B361B05BBF6780"

    func testLMKDecryptsPublishedZMK() throws {
        let d = testDevice()
        let keys = try d.currentKeysForTests()
        let clear = try LMKCipher.decrypt(keys, material: hex(zmkUnderLMK), type: .zmk, scheme: .doubleVariant)
        XCTAssertEqual(Hex.string(clear), zmkClear)
    }

    /// [LB] ZPK under the ZMK (X9.17 'X'), parity-adjusted on import -> ZPK under LMK 06-07
    /// 'U' 0B7C6F68A38FA3C2CB42C2991576A986, KCV DA24FF. End to end through A6.
    func testA6ImportMatchesPublishedValue() throws {
        let d = testDevice()
        let r = send(d, "A6001U" + zmkUnderLMK + "X7BC09407A015F72FC59C32147D2AAE57U")
        XCTAssertEqual(r.code, "A7")
        XCTAssertEqual(r.error, "00")
        XCTAssertTrue(r.text.hasPrefix("U0B7C6F68A38FA3C2CB42C2991576A986DA24FFF7765A"), r.text)
    }

    /// [LB] A8 exports the published ZPK under the published ZMK: its KCV is the published
    /// DA24FFF7765A..., and A6 brings the export back to the published ZPK under LMK.
    func testA8ExportOfPublishedZPK() throws {
        let d = testDevice()
        let r = send(d, "A8001U" + zmkUnderLMK + "U0B7C6F68A38FA3C2CB42C2991576A986X")
        XCTAssertEqual(r.code, "A9")
        XCTAssertEqual(r.error, "00")
        let rsp = try ExportKeyResponse.decodeAll(r.fields)
        XCTAssertTrue(Hex.string(rsp.checkValue).hasPrefix("DA24FFF7765A"))
        let back = try call(d, ImportKeyRequest(keyType: .zpk, zmk: try XCTUnwrap(KeyField(text: "U" + zmkUnderLMK)), keyUnderZMK: rsp.key, lmkScheme: .doubleVariant),
                            ImportKeyResponse.self)
        XCTAssertEqual(back.key, KeyField(text: "U0B7C6F68A38FA3C2CB42C2991576A986"))
    }

    /// [JPOS] clear 1234567812345678 (x2 for double length; jPOS keeps it parity-adjusted as
    /// 1334577913345779) under the test LMK, by key type.
    /// Covers variants 0, 1, 4, 7, schemes U and Z, and pairs 06-07, 14-15, 28-29, 32-33 (so
    /// the test LMK table order from 18-19 on). (jPOS's MK-SMI/MK-SMC test keys, labelled
    /// 702/703, match no variant-LMK type and are not used.)
    func testLMKEncryptionMatchesJPOSTestKeys() throws {
        let keys = try testDevice().currentKeysForTests()
        let double = hex("13345779133457791334577913345779"), single = hex("1334577913345779")
        let cases: [(String, KeyScheme, [UInt8], String)] = [
            ("001", .doubleVariant, double, "34E2FC8EAD7CD07BFA2B7ED5FE4D8212"),
            ("002", .doubleVariant, double, "E9F05D2F2DB8A8579CA3E806B35E336F"),
            ("002", .singleDES, single, "141E1DA3D2D7F3F4"),
            ("402", .doubleVariant, double, "479D751977AA598CB481F548226DBF2B"),
            ("402", .singleDES, single, "56FBB74CDEAD6949"),
            ("109", .doubleVariant, double, "0D39A43C864D1B40F33998B80BB02C95"),
            ("709", .doubleVariant, double, "DBD2D13CCA57AAAF3E477E0646EF10C9"),
            ("00B", .doubleVariant, double, "AAD5E90B44EE630E3D76D6CEC1F4AA72"),
        ]
        for (t, s, clear, expected) in cases {
            let type = try XCTUnwrap(KeyType(t))
            XCTAssertEqual(Hex.string(try LMKCipher.encrypt(keys, clear: clear, type: type, scheme: s)), expected, "type \(t) scheme \(s)")
            XCTAssertEqual(try LMKCipher.decrypt(keys, material: hex(expected), type: type, scheme: s), clear)
        }
        XCTAssertEqual(Hex.string(try Prim.checkValue(.des, key: double, count: 3)), "6FB1C8")
        XCTAssertEqual(Hex.string(try Prim.checkValue(.des, key: hex("8765432187654321"), count: 3)), "AAB151")
        XCTAssertEqual(Hex.string(try LMKCipher.encrypt(keys, clear: hex("8664432086644320"), type: .cvk, scheme: .singleDES)), "69E636CF27A47EEE")
    }

    /// [JPOS] PIN 1234, PAN 1234567890123456, ISO format 0 under the jPOS test ZPK/TPK (same
    /// clear key): ABE38E29B58EA392. Through BU, CA, JE/NG and BA/JG.
    func testPINCommandsWithJPOSTestKeys() throws {
        let d = testDevice()
        let zpk = "U34E2FC8EAD7CD07BFA2B7ED5FE4D8212", tpk = "UE9F05D2F2DB8A8579CA3E806B35E336F"
        let acct = "456789012345", block = "ABE38E29B58EA392"
        XCTAssertTrue(send(d, "BU011" + zpk).text.hasPrefix("6FB1C8"))
        XCTAssertTrue(send(d, "BU021" + tpk).text.hasPrefix("6FB1C8"))
        // CA: TPK -> ZPK with the same clear key and format 01: the same block comes out.
        let ca = send(d, "CA" + tpk + zpk + "12" + block + "0101" + acct)
        XCTAssertEqual(ca.error, "00")
        XCTAssertEqual(ca.text, "04" + block + "01")
        // JE then NG: the PIN is 1234.
        let je = send(d, "JE" + zpk + block + "01" + acct)
        XCTAssertEqual(je.error, "00")
        XCTAssertEqual(send(d, "NG" + acct + je.text).text, "1234")
        // BA then JG: the published block.
        let ba = send(d, "BA1234F" + acct)
        XCTAssertEqual(send(d, "JG" + zpk + "01" + acct + ba.text).text, block)
    }

    /// [JPOS] data encryption with the jPOS test DEK (type 00B): ECB and CBC (zero IV) of
    /// 0011223344556677..., and back through M2.
    func testM0M2WithJPOSTestDEK() throws {
        let d = testDevice()
        let dek = "00BUAAD5E90B44EE630E3D76D6CEC1F4AA72"
        let ecb = send(d, "M00011" + dek + "0010" + "0011223344556677")
        XCTAssertEqual(ecb.error, "00")
        XCTAssertEqual(ecb.text, "0010ABFA6F3C28A8CB0C")
        let cbc = send(d, "M00111" + dek + "0000000000000000" + "0020" + "00112233445566770011223344556677")
        XCTAssertEqual(cbc.text, "99C22188F56DAE9F" + "0020" + "ABFA6F3C28A8CB0C99C22188F56DAE9F")
        let back = send(d, "M20111" + dek + "0000000000000000" + "0020" + "ABFA6F3C28A8CB0C99C22188F56DAE9F")
        XCTAssertEqual(back.text, "99C22188F56DAE9F" + "0020" + "00112233445566770011223344556677")
    }

    /// [JPOS] scheme X under the LMK (PVK 141E1DA3D2D7F3F4 twice: KCV 6FB1C8), and a ZPK
    /// formed from the components E09B...1031 and 4CBF...D9D9: KCV 40D522 (A4).
    func testXSchemeAndA4WithJPOSValues() throws {
        let d = testDevice()
        XCTAssertTrue(send(d, "BU021X141E1DA3D2D7F3F4141E1DA3D2D7F3F4").text.hasPrefix("6FB1C8"))
        let c1 = try underLMK(d, clear: "E09B073B4007541FAB76B04370451031", type: .zpk, scheme: .doubleVariant)
        let c2 = try underLMK(d, clear: "4CBF5D51EA8525EF045EFED6E386D9D9", type: .zpk, scheme: .doubleVariant)
        let r = try call(d, FormKeyRequest(keyType: .zpk, lmkScheme: .doubleVariant, components: [c1, c2]), FormKeyResponse.self)
        XCTAssertTrue(Hex.string(r.checkValue).hasPrefix("40D522"))
    }

    /// [LB] BU on a triple-length ZPK under LMK 'T' (variants 6A DE 2B): KCV 6EC2A9AE788F...
    func testBUTripleLengthZPK() throws {
        let d = testDevice()
        let r = send(d, "BU012T971803BA969012152827CC97A98D18D50BE6559CDFF6F7E1")
        XCTAssertEqual(r.code, "BV")
        XCTAssertEqual(r.error, "00")
        XCTAssertEqual(String(r.text.prefix(12)), "6EC2A9AE788F")
        let r2 = send(d, "BUFF2TCF7471F997A26A9A82B16A616434312FD101DF4F6C426E97;001")
        XCTAssertEqual(r2.error, "00")
        XCTAssertEqual(String(r2.text.prefix(12)), "D58C6BB34AA6")
    }

    /// [LB] the ZMK of GenerateZpkSuite through BU; the KCV of the clear ZMK must come back.
    func testBUDoubleLengthZMK() throws {
        let d = testDevice()
        let r = send(d, "BU001U" + zmkUnderLMK)
        XCTAssertEqual(r.error, "00")
        XCTAssertEqual(r.text, Hex.string(try Prim.checkValue(.des, key: hex(zmkClear), count: 8)))
    }

    /// [LB] CC: ZPK (T) -> ZPK (U), ISO 1 -> ISO 0, account 000001000376: DBEEBF06C9ED0A48.
    func testCCPublishedTranslation() throws {
        let d = testDevice()
        let r = send(d, "CCT971803BA969012152827CC97A98D18D50BE6559CDFF6F7E1U247078713614BE11F819054C5FFB08FF06F2B66A1070EADC470501000001000376")
        XCTAssertEqual(r.code, "CD")
        XCTAssertEqual(r.error, "00")
        let rsp = try TranslatePINResponse.decodeAll(r.fields)
        XCTAssertEqual(Hex.string(rsp.pinBlock), "DBEEBF06C9ED0A48")
        XCTAssertEqual(rsp.destinationFormat, 1)
    }

    /// TI (the TASS translation) carried over from published answers: with both keys ZPKs and
    /// the same account on both sides it is CC ([LB] DBEEBF06C9ED0A48); with a TPK source it
    /// is CA ([JPOS] keys sharing one clear key: the same block comes out).
    func testTIGivesThePublishedCCAndCAResults() throws {
        let d = testDevice()
        let zpkT = "T971803BA969012152827CC97A98D18D50BE6559CDFF6F7E1", zpkU = "U247078713614BE11F819054C5FFB08FF"
        let cc = send(d, "TI2" + zpkT + "2" + zpkU + "06F2B66A1070EADC4705000001000376" + "01000001000376")
        XCTAssertEqual(cc.code, "TJ")
        XCTAssertEqual(cc.error, "00")
        XCTAssertEqual(cc.text, "DBEEBF06C9ED0A48")
        let zpk = "U34E2FC8EAD7CD07BFA2B7ED5FE4D8212", tpk = "UE9F05D2F2DB8A8579CA3E806B35E336F"
        let ca = send(d, "TI1" + tpk + "2" + zpk + "12ABE38E29B58EA39201456789012345" + "01456789012345")
        XCTAssertEqual(ca.error, "00")
        XCTAssertEqual(ca.text, "ABE38E29B58EA392")
    }

    /// [LB] X9.19 retail MAC (alg 3) with a TAK (16-17) and a ZAK (26-27) under the test LMK.
    func testM6PublishedRetailMACs() throws {
        let d = testDevice()
        let tak = send(d, "M600130003U90A17A99E4BA32475E692D7AAE177BBD00101234567887654321")
        XCTAssertEqual(tak.code, "M7")
        XCTAssertEqual(tak.error, "00")
        XCTAssertEqual(tak.text, "934F05263310B6D3")
        let zak = send(d, "M600130008U2549A1834EFDDC9629CBD8DC5C982D7500101234567887654321")
        XCTAssertEqual(zak.error, "00")
        XCTAssertEqual(zak.text, "A1C911EBA50563C9")
        // M8 verifies the same MAC, and refuses a changed one with 01.
        let ok = send(d, "M800130003U90A17A99E4BA32475E692D7AAE177BBD00101234567887654321934F05263310B6D3")
        XCTAssertEqual(ok.code, "M9")
        XCTAssertEqual(ok.error, "00")
        let bad = send(d, "M800130003U90A17A99E4BA32475E692D7AAE177BBD00101234567887654321934F05263310B6D4")
        XCTAssertEqual(bad.error, "01")
    }

    /// [KAT] ISO/IEC 9797-1 alg 3 and X9.9 (alg 1, single DES) with zero padding.
    func testM6ISO9797Vectors() throws {
        let d = testDevice()
        let k2 = try underLMK(d, clear: "0123456789ABCDEFFEDCBA9876543210", type: .tak, scheme: .doubleVariant)
        for (msg, mac) in [("Now is the time for all ", "A1C72E74EA3FA9B6"), ("Now is the time for it", "2E2B1428CC78254F")] {
            let req = GenerateMACRequest(MACFields(inputFormat: 2, macSize: 1, algorithm: 3, padding: 1, keyType: .tak, key: k2, data: Array(msg.utf8)))
            XCTAssertEqual(Hex.string(try call(d, req, GenerateMACResponse.self).mac), mac)
        }
        let k1 = try underLMK(d, clear: "0123456789ABCDEF", type: .tak, scheme: .singleDES)
        let req = GenerateMACRequest(MACFields(inputFormat: 0, macSize: 1, algorithm: 1, padding: 1, keyType: .tak, key: k1,
                                               data: Array("7654321 Now is the time for ".utf8)))
        XCTAssertEqual(Hex.string(try call(d, req, GenerateMACResponse.self).mac), "F1D30F6849312CA4")
        // MAC size 0 gives the first 8H.
        var f = req.fields
        f.macSize = 0
        XCTAssertEqual(Hex.string(try call(d, GenerateMACRequest(f), GenerateMACResponse.self).mac), "F1D30F68")
    }

    /// [KAT] SM3("abc") and [FIPS180] SHA-256("abc") through 3C.
    func test3CHashes() throws {
        let d = testDevice()
        let sm3 = try call(d, HashRequest(algorithm: 20, data: Array("abc".utf8)), HashResponse.self)
        XCTAssertEqual(Hex.string(sm3.hash), "66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0")
        let sha = try call(d, HashRequest(algorithm: 6, data: Array("abc".utf8)), HashResponse.self)
        XCTAssertEqual(Hex.string(sha.hash), "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")
        XCTAssertEqual(send(d, "3C990003abc").error, "15")
    }

    /// [KAT] DES KCV of 0123456789ABCDEF = D5D44FF720683D0D, through BU on a single key.
    func testBUSingleDESKnownKCV() throws {
        let d = testDevice()
        let k = try underLMK(d, clear: "0123456789ABCDEF", type: .zpk, scheme: .singleDES)
        let r = try call(d, CheckValueRequest(keyType: .zpk, key: k), CheckValueResponse.self)
        XCTAssertEqual(Hex.string(r.checkValue), "D5D44FF720683D0D")
    }

    /// [KAT] ISO 9564 format 0: PIN 1234, PAN 43219876543210987 -> 0412AC89ABCDEF67.
    func testISOFormat0ClearBlock() throws {
        let b = try PINBlock.make(pin: [1, 2, 3, 4], format: 1, account: "987654321098", blockSize: 8)
        XCTAssertEqual(Hex.string(b), "0412AC89ABCDEF67")
        XCTAssertEqual(try PINBlock.parse(b, format: 1, account: "987654321098"), [1, 2, 3, 4])
    }

    /// [KAT] SM4 (GB/T 32907 example 1) through M0 with an SM4 data key under the LMK.
    func testM0SM4KnownAnswer() throws {
        let d = testDevice()
        let k = try underLMK(d, clear: "0123456789ABCDEFFEDCBA9876543210", type: .zek, scheme: .sm4)
        let req = EncryptDataRequest(DataCipherFields(mode: 0, inputFormat: 1, outputFormat: 1, keyType: .zek, key: k,
                                                      data: Array("0123456789ABCDEFFEDCBA9876543210".utf8)))
        let r = try call(d, req, DataCipherResponse.self)
        XCTAssertEqual(String(decoding: r.data, as: UTF8.self), "681EDF34D206965E86B3E94F536E4246")
    }

    /// [KAT] DES 0123456789ABCDEF encrypts the zero block to D5D44FF720683D0D: M0 (ECB, DEK
    /// 00A) gives it and M2 turns it back; SM4 GB/T 32907 example 1 back through M2.
    func testM0M2DESAndSM4KnownAnswers() throws {
        let d = testDevice()
        let des = try underLMK(d, clear: "0123456789ABCDEF", type: .dek, scheme: .singleDES)
        let enc = try call(d, EncryptDataRequest(DataCipherFields(mode: 0, inputFormat: 1, outputFormat: 1, keyType: .dek, key: des,
                                                                  data: Array("0000000000000000".utf8))), DataCipherResponse.self)
        XCTAssertEqual(String(decoding: enc.data, as: UTF8.self), "D5D44FF720683D0D")
        let dec = try call(d, DecryptDataRequest(DataCipherFields(mode: 0, inputFormat: 1, outputFormat: 1, keyType: .dek, key: des,
                                                                  data: Array("D5D44FF720683D0D".utf8))), DataCipherResponse.self)
        XCTAssertEqual(String(decoding: dec.data, as: UTF8.self), "0000000000000000")
        let sm4 = try underLMK(d, clear: "0123456789ABCDEFFEDCBA9876543210", type: .zek, scheme: .sm4)
        let back = try call(d, DecryptDataRequest(DataCipherFields(mode: 0, inputFormat: 1, outputFormat: 1, keyType: .zek, key: sm4,
                                                                   data: Array("681EDF34D206965E86B3E94F536E4246".utf8))), DataCipherResponse.self)
        XCTAssertEqual(String(decoding: back.data, as: UTF8.self), "0123456789ABCDEFFEDCBA9876543210")
    }

    /// The test DMK's check value: KCV of 0123456789ABCDEFFEDCBA9876543210 is 08D7B4FB629D0885.
    func testNCReportsTestDMKCheckValue() throws {
        let d = testDevice()
        let r = try call(d, DeviceInfoRequest(), DeviceInfoResponse.self)
        XCTAssertEqual(Hex.string(r.dmkCheckValue), "08D7B4FB629D0885")
        XCTAssertEqual(d.dmkCheckValue, "08D7B4FB629D0885")
        XCTAssertEqual(r.version, Device.version)
    }
    /// The project's SM4 LMK form, checked against a computation with the OpenSSL command
    /// line (not this code): under the test DMK, HKDF-SHA256 storage key of type 001
    /// (`openssl kdf ... info:cacipher/sm4/001 HKDF`) = BBB6C3D7C7A7BACE6BF21B40E7EBD950;
    /// `openssl enc -sm4-ecb` of 0123456789ABCDEFFEDCBA9876543210 = 2A6CE5C333BCF7BDB09A620CE41F1B77;
    /// HMAC-SHA256 under the `cacipher/lmk-auth` key of "R001" || ciphertext, first 8 bytes =
    /// FFA7AF352D17F8E2. KCV (SM4 of a zero block, `openssl enc`) 2677F46B09C122CC.
    func testSM4KeyUnderLMKMatchesIndependentComputation() throws {
        let d = testDevice()
        let blob = "R2A6CE5C333BCF7BDB09A620CE41F1B77FFA7AF352D17F8E2"
        let k = try underLMK(d, clear: "0123456789ABCDEFFEDCBA9876543210", type: .zpk, scheme: .sm4)
        XCTAssertEqual(String(decoding: k.wire, as: UTF8.self), blob)
        XCTAssertEqual(send(d, "BUFF1" + blob + ";001").text, "2677F46B09C122CC")
        XCTAssertEqual(send(d, "BUFF1" + blob + ";008").error, "10", "the same blob is not a ZAK")
    }
}
