import XCTest
import HostProtocol
@testable import EVSMKit

/// IC key commands in test-LMK mode: published known answers where one exists.
///
/// Sources:
/// - [EFT] EFTlab, "Cryptographic Calculator - EMV menu" tutorial (eftlab.com), UDK
///   derivation example: MDK 0123456789ABCDEF0123456789ABCDEF, PAN 43219876543210987, PAN
///   sequence 00, option A, odd parity -> UDK C8B507136D921FD05864C81F79F2D30B, KCV 0DA897.
///   Option A takes the rightmost 16 digits of PAN || PSN as the factor: 1987654321098700.
///   (Also checked with `openssl enc -des-ede -nopad` and odd-parity adjustment.)
/// - [SM4] GB/T 32907-2016 example 1: key = plaintext = 0123456789ABCDEFFEDCBA9876543210,
///   ciphertext 681EDF34D206965E86B3E94F536E4246. With the factor 0123456789ABCDEF, PBOC's
///   F || ~F is exactly that plaintext.
/// - [LB] leachbj/hsm-emulator (MIT): the ZMK 8A7C04A1CD916464D6B361B05BBF6780 is
///   UE13D662B185F5F3B08594F89F1FF903A under the test LMK.
final class ICKeyKnownAnswerTests: XCTestCase {
    let mdk = "0123456789ABCDEF0123456789ABCDEF"
    let udk = "C8B507136D921FD05864C81F79F2D30B"

    func clear(_ d: Device, _ k: KeyField, _ t: KeyType) throws -> String {
        var c = try HandlerContext(device: d, keys: try d.currentKeysForTests()).clearKey(k, type: t)
        defer { c.wipe() }
        return Hex.string(c.bytes)
    }

    /// [EFT] KD mode 0 (PBOC / option A) of the published MDK and factor gives the published UDK.
    func testKDMode0PublishedUDK() throws {
        let d = testDevice()
        let parent = try underLMK(d, clear: mdk, type: .mkAC, scheme: .doubleVariant)
        let r = try call(d, ICDeriveKeyRequest(sourceType: .mkAC, source: parent, destinationType: .mkAC, destinationScheme: .doubleVariant,
                                               mode: 0, derivation: ICKeyDerive(factors: [hex("1987654321098700")])), ICKeyResponse.self)
        XCTAssertEqual(try clear(d, r.key, .mkAC), udk)
        XCTAssertTrue(Hex.string(r.checkValue).hasPrefix("0DA897"), Hex.string(r.checkValue))
        // Mode 1 with F || ~F as the 16-byte factor is the same derivation.
        let r1 = try call(d, ICDeriveKeyRequest(sourceType: .mkAC, source: parent, destinationType: .mkAC, destinationScheme: .doubleX917,
                                                mode: 1, derivation: ICKeyDerive(factors: [hex("1987654321098700E6789ABCDEF678FF")])), ICKeyResponse.self)
        XCTAssertEqual(try clear(d, r1.key, .mkAC), udk)
        XCTAssertEqual(r1.checkValue, r.checkValue)
    }

    /// [SM4] KD of an SM4 parent: one SM4 block; mode 0 and mode 1 give the published ciphertext.
    func testKDSM4PublishedBlock() throws {
        let d = testDevice()
        let parent = try underLMK(d, clear: "0123456789ABCDEFFEDCBA9876543210", type: .zmk, scheme: .sm4)
        for (mode, f) in [(0, "0123456789ABCDEF"), (1, "0123456789ABCDEFFEDCBA9876543210")] {
            let r = try call(d, ICDeriveKeyRequest(sourceType: .zmk, source: parent, destinationType: .zpk, destinationScheme: .sm4,
                                                   mode: mode, derivation: ICKeyDerive(factors: [hex(f)])), ICKeyResponse.self)
            XCTAssertEqual(try clear(d, r.key, .zpk), "681EDF34D206965E86B3E94F536E4246", "mode \(mode)")
        }
    }

    /// Two levels: the second level derives from the first level's child.
    func testKDTwoLevelsChain() throws {
        let d = testDevice()
        let parent = try underLMK(d, clear: mdk, type: .mkAC, scheme: .doubleVariant)
        let f2 = hex("0000000000000001")
        let two = try call(d, ICDeriveKeyRequest(sourceType: .mkAC, source: parent, destinationType: .zpk, destinationScheme: .doubleVariant,
                                                 mode: 0, derivation: ICKeyDerive(factors: [hex("1987654321098700"), f2])), ICKeyResponse.self)
        var expected = try Prim.crypt(.des, key: hex(udk), data: f2 + f2.map { ~$0 }, encrypt: true)
        Prim.adjustParity(&expected)
        XCTAssertEqual(try clear(d, two.key, .zpk), Hex.string(expected))
    }

    /// [LB] AM with the published clear ZMK and an all-zero component (HSM_IC_PutPlainKey)
    /// gives the published ZMK under the test LMK.
    func testAMPutPlainKeyPublishedZMK() throws {
        let d = testDevice()
        let r = send(d, "AM000U0002" + "8A7C04A1CD916464D6B361B05BBF6780" + String(repeating: "0", count: 32))
        XCTAssertEqual(r.code, "AN")
        XCTAssertEqual(r.error, "00")
        let rsp = try ICKeyResponse.decodeAll(r.fields)
        XCTAssertEqual(rsp.key, KeyField(text: "UE13D662B185F5F3B08594F89F1FF903A"))
        XCTAssertEqual(rsp.checkValue, try Prim.checkValue(.des, key: hex("8A7C04A1CD916464D6B361B05BBF6780")))
    }

    /// AM XORs three components; [KAT] single DES 0123456789ABCDEF has KCV D5D44FF720683D0D.
    func testAMXorOfComponents() throws {
        let d = testDevice()
        let a = "0123456789ABCDEF", b = "1111111111111111", c = "2222222222222222"
        // a ^ b ^ c = a ^ 33.. ; so b ^ c = 3333..., and a ^ (b ^ c) ^ (b ^ c) = a.
        let r = try call(d, ClearComponentsKeyRequest(keyType: .zpk, scheme: .singleDES, components: [hex(a), hex(b), hex(c), hex("3333333333333333")]),
                         ICKeyResponse.self)
        XCTAssertEqual(try clear(d, r.key, .zpk), a)
        XCTAssertEqual(Hex.string(r.checkValue), "D5D44FF720683D0D")
    }

    /// SH exports the published ZPK under the published ZMK exactly as A8 does in X (ECB),
    /// and A6 of that cryptogram gives back the same key and KCV (Tass_Disper_Zmk's path).
    func testSHMatchesA8AndImports() throws {
        let d = testDevice()
        let zmk = try XCTUnwrap(KeyField(text: "UE13D662B185F5F3B08594F89F1FF903A"))
        let zpk = try XCTUnwrap(KeyField(text: "U0B7C6F68A38FA3C2CB42C2991576A986"))
        let sh = try call(d, ICExportKeyRequest(protection: ICProtectionKey(keyType: .zmk, key: zmk), keyType: .zpk, key: zpk), ICExportKeyResponse.self)
        let a8 = try call(d, ExportKeyRequest(keyType: .zpk, zmk: zmk, key: zpk, zmkScheme: .doubleX917), ExportKeyResponse.self)
        XCTAssertEqual(a8.key, .encrypted(scheme: .doubleX917, material: sh.cryptogram))
        XCTAssertEqual(sh.checkValue, a8.checkValue)
        XCTAssertTrue(Hex.string(sh.checkValue).hasPrefix("DA24FF"))
    }
}
