import XCTest
import HostProtocol
@testable import EVSMKit

/// `S3`/`S4` in the feedback modes `02` CFB (whole block: CFB64 under DES keys, CFB128 under
/// SM4/AES keys) and `03` OFB, with the IV at the end of the message as for CBC.
///
/// Known answers:
/// - [SP800-38A] NIST SP 800-38A appendix F.3.13 (CFB128-AES128) and F.4.1 (OFB-AES128).
/// - [SM4] draft-ribose-cfrg-sm4-10 appendix A.2.4 / A.2.5 (SM4-CFB / SM4-OFB).
/// - [OSSL] 3DES (K1|K2|K1 = 0123456789ABCDEF FEDCBA9876543210), IV 0102030405060708,
///   "Now is the time for it": `openssl enc -des-ede-cfb` / `-des-ede-ofb -nopad` (OpenSSL 3.0),
///   with 02 02 appended for PKCS#5.
final class ICFeedbackModeTests: XCTestCase {
    let k2 = "0123456789ABCDEFFEDCBA9876543210"

    func s3(_ d: Device, _ mode: Int, _ key: ICKeySpec, pad: Int, _ data: [UInt8], iv: [UInt8]?) throws -> [UInt8] {
        try call(d, ICEncryptRequest(ICCipherFields(mode: mode, key: key, padding: pad, data: data, iv: iv)), ICCipherResponse.self).data
    }

    func s4(_ d: Device, _ mode: Int, _ key: ICKeySpec, pad: Int, _ data: [UInt8], iv: [UInt8]?) throws -> [UInt8] {
        try call(d, ICDecryptRequest(ICCipherFields(mode: mode, key: key, padding: pad, data: data, iv: iv)), ICCipherResponse.self).data
    }

    func testAESKnownAnswers() throws {
        let d = testDevice()
        let zek = ICKeySpec(keyType: .zek, key: try underLMK(d, clear: "2b7e151628aed2a6abf7158809cf4f3c", type: .zek, scheme: .aes128))
        let iv = hex("000102030405060708090a0b0c0d0e0f")
        let p = hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710")
        let cfb = try s3(d, 2, zek, pad: 5, p, iv: iv)
        XCTAssertEqual(Hex.string(cfb), "3B3FD92EB72DAD20333449F8E83CFB4AC8A64537A0B3A93FCDE3CDAD9F1CE58B26751F67A3CBB140B1808CF187A4F4DFC04B05357C5D1C0EEAC4C66F9FF7F2E6")
        XCTAssertEqual(try s4(d, 2, zek, pad: 5, cfb, iv: iv), p)
        let ofb = try s3(d, 3, zek, pad: 5, p, iv: iv)
        XCTAssertEqual(Hex.string(ofb), "3B3FD92EB72DAD20333449F8E83CFB4A7789508D16918F03F53C52DAC54ED8259740051E9C5FECF64344F7A82260EDCC304C6528F659C77866A510D9C1D6AE5E")
        XCTAssertEqual(try s4(d, 3, zek, pad: 5, ofb, iv: iv), p)
    }

    func testSM4KnownAnswers() throws {
        let d = testDevice()
        let zek = ICKeySpec(keyType: .zek, key: try underLMK(d, clear: k2, type: .zek, scheme: .sm4))
        let iv = hex("000102030405060708090A0B0C0D0E0F")
        let p = hex("AAAAAAAABBBBBBBBCCCCCCCCDDDDDDDDEEEEEEEEFFFFFFFFAAAAAAAABBBBBBBB")
        XCTAssertEqual(Hex.string(try s3(d, 2, zek, pad: 5, p, iv: iv)), "AC3236CB861DD316E6413B4E3C7524B769D4C54ED433B9A0346009BEB37B2B3F")
        XCTAssertEqual(Hex.string(try s3(d, 3, zek, pad: 5, p, iv: iv)), "AC3236CB861DD316E6413B4E3C7524B71D01ACA2487CA582CBF5463E6698539B")
    }

    func testTDEAKnownAnswersWithAndWithoutPadding() throws {
        let d = testDevice()
        let zek = ICKeySpec(keyType: .zek, key: try underLMK(d, clear: k2, type: .zek, scheme: .doubleVariant))
        let iv = hex("0102030405060708")
        let p = Array("Now is the time for it".utf8)
        let answers = [(2, 4, "E6339CACB3ACD87CB664E4247EE9792D8836D125682C28AA"), (3, 4, "E6339CACB3ACD87C8912E7C1C8C0F3580DE7B4A604ADA558"),
                       (2, 5, "E6339CACB3ACD87CB664E4247EE9792D8836D125682C"), (3, 5, "E6339CACB3ACD87C8912E7C1C8C0F3580DE7B4A604AD")]
        for (mode, pad, want) in answers {
            let c = try s3(d, mode, zek, pad: pad, p, iv: iv)
            XCTAssertEqual(Hex.string(c), want, "mode \(mode) padding \(pad)")
            XCTAssertEqual(try s4(d, mode, zek, pad: pad, c, iv: iv), p, "mode \(mode) padding \(pad) back")
        }
        // The vendor bytes: IV after the data, as for CBC.
        let r = send(d, Array("S302".utf8) + Array("00A".utf8) + zek.key.wire + Array("0000".utf8) + Array("050016".utf8) + p
                        + Array("0102030405060708".utf8))
        XCTAssertEqual(r.error, "00")
        XCTAssertEqual(Hex.string(Array(r.fields.dropFirst(4))), "E6339CACB3ACD87CB664E4247EE9792D8836D125682C")
    }

    func testRefusals() throws {
        let d = testDevice()
        let zek = ICKeySpec(keyType: .zek, key: try underLMK(d, clear: k2, type: .zek, scheme: .doubleVariant))
        func err(_ r: some HostCommandRequest) throws -> String { send(d, try r.payload()).error }
        // no IV (as the vendor's C library sends 02/03): 15
        XCTAssertEqual(try err(ICEncryptRequest(ICCipherFields(mode: 2, key: zek, padding: 4, data: [1]))), "15")
        XCTAssertEqual(try err(ICDecryptRequest(ICCipherFields(mode: 3, key: zek, padding: 5, data: [1]))), "15")
        // a ciphertext that is not whole blocks with padding: 80; padding that does not check: 15
        XCTAssertEqual(try err(ICDecryptRequest(ICCipherFields(mode: 2, key: zek, padding: 4, data: [1, 2, 3], iv: [UInt8](repeating: 0, count: 8)))), "80")
        let c = try s3(d, 3, zek, pad: 5, [UInt8](repeating: 0x41, count: 16), iv: [UInt8](repeating: 0, count: 8))
        XCTAssertEqual(try err(ICDecryptRequest(ICCipherFields(mode: 3, key: zek, padding: 1, data: c, iv: [UInt8](repeating: 0, count: 8)))), "15")
        // empty data: 80; a ZAK: 27
        XCTAssertEqual(try err(ICEncryptRequest(ICCipherFields(mode: 2, key: zek, padding: 5, data: [], iv: [UInt8](repeating: 0, count: 8)))), "80")
        let zak = ICKeySpec(keyType: .zak, key: try underLMK(d, clear: k2, type: .zak, scheme: .doubleVariant))
        XCTAssertEqual(try err(ICEncryptRequest(ICCipherFields(mode: 2, key: zak, padding: 5, data: [1], iv: [UInt8](repeating: 0, count: 8)))), "27")
        // S5 takes no feedback mode (its IV has no place for it): 15
        let side = ICCipherSide(mode: 2, key: zek, padding: 5, iv: [UInt8](repeating: 0, count: 8))
        XCTAssertEqual(try err(ICTranslateRequest(source: side, destination: ICCipherSide(mode: 0, key: zek, padding: 5), data: [UInt8](repeating: 0, count: 8))), "15")
    }
}
