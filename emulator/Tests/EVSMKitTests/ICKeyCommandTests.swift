import XCTest
import Foundation
import HSMCrypto
import HostProtocol
@testable import EVSMKit

/// IC key commands: round trips, storage and KG, and refusals (wrong key type, bad
/// lengths, non-hex input, key separation of AN).
final class ICKeyCommandTests: XCTestCase {
    let zmkText = "UE13D662B185F5F3B08594F89F1FF903A"
    var zmk: KeyField { KeyField(text: zmkText)! }

    func clear(_ d: Device, _ k: KeyField, _ t: KeyType) throws -> [UInt8] {
        var c = try HandlerContext(device: d, keys: try d.currentKeysForTests()).clearKey(k, type: t)
        defer { c.wipe() }
        return c.bytes
    }

    // MARK: KR and KG

    func testKRStoresAndKGReports() throws {
        let d = testDevice()
        for (i, s) in [KeyScheme.singleDES, .doubleVariant, .tripleX917, .sm4, .aes128].enumerated() {
            let g = try call(d, ICGenerateKeyRequest(keyType: .zak, scheme: s, store: StoreTarget(index: 10 + i, label: "mac \(i)")), ICKeyResponse.self)
            guard case let .encrypted(gs, m) = g.key else { return XCTFail("scheme \(s)") }
            XCTAssertEqual(gs, s)
            XCTAssertEqual(m.count, s.materialLength(.underLMK))
            let info = try call(d, ICKeyInfoRequest(index: 10 + i), ICKeyInfoResponse.self)
            XCTAssertEqual(info.keyType, .zak)
            XCTAssertEqual(info.scheme, s)
            XCTAssertEqual(info.checkValue, g.checkValue)
            XCTAssertEqual(info.label, "mac \(i)")
            XCTAssertEqual(info.time.count, 14)
            XCTAssertTrue(info.time.allSatisfy { $0.isNumber }, info.time)
            // The stored key works as the ZAK it is.
            XCTAssertEqual(try call(d, CheckValueRequest(keyType: .zak, key: .stored(index: 10 + i)), CheckValueResponse.self).checkValue, g.checkValue)
        }
        // Index 9999 is "not stored".
        _ = try call(d, ICGenerateKeyRequest(keyType: .zak, scheme: .doubleVariant, store: StoreTarget(index: 9999, label: "")), ICKeyResponse.self)
        XCTAssertEqual(send(d, "KG9999").error, "12")
        // Without a store suffix nothing is stored.
        _ = try call(d, ICGenerateKeyRequest(keyType: .zak, scheme: .doubleVariant), ICKeyResponse.self)
        XCTAssertNil(d.storedKey(1, kind: .symmetric))
    }

    func testKGForKeysStoredByOtherCommands() throws {
        let d = testDevice()
        let a0 = try call(d, GenerateKeyRequest(keyType: .zpk, lmkScheme: .doubleX917, store: StoreTarget(index: 1, label: "from A0")), GenerateKeyResponse.self)
        let i1 = try call(d, ICKeyInfoRequest(index: 1), ICKeyInfoResponse.self)
        XCTAssertEqual(i1.checkValue, a0.checkValue)
        XCTAssertEqual(i1.label, "from A0")
        XCTAssertEqual(i1.scheme, .doubleX917)
        let am = try call(d, ClearComponentsKeyRequest(keyType: .zmk, scheme: .doubleVariant, components: [hex("8A7C04A1CD916464D6B361B05BBF6780")],
                                                      store: StoreTarget(index: 2, label: "zmk")), ICKeyResponse.self)
        XCTAssertEqual(try call(d, ICKeyInfoRequest(index: 2), ICKeyInfoResponse.self).checkValue, am.checkValue)
        let kd = try call(d, ICDeriveKeyRequest(sourceType: .zmk, source: .stored(index: 2), destinationType: .zpk, destinationScheme: .doubleX917,
                                                mode: 1, derivation: ICKeyDerive(factors: [[UInt8](repeating: 7, count: 16)]),
                                                store: StoreTarget(index: 3, label: "derived")), ICKeyResponse.self)
        let i3 = try call(d, ICKeyInfoRequest(index: 3), ICKeyInfoResponse.self)
        XCTAssertEqual(i3.keyType, .zpk)
        XCTAssertEqual(i3.checkValue, kd.checkValue)
        // Nothing there: 12. An SM2 key pair there: 27. Index 0: 15.
        XCTAssertEqual(send(d, "KG0004").error, "12")
        _ = send(d, try SM2GenerateRequest(store: StoreTarget(index: 5, label: "sm2")).payload())
        XCTAssertEqual(send(d, "KG0005").error, "27")
        XCTAssertEqual(send(d, "KG0000").error, "15")
        XCTAssertEqual(send(d, "KG00A1").error, "15")
        XCTAssertEqual(send(d, "KG001").error, "80")
        XCTAssertEqual(send(d, "KG00010").error, "80")
    }

    // MARK: KD refusals

    func testKDRefusals() throws {
        let d = testDevice()
        let mdk = try underLMK(d, clear: "0123456789ABCDEF0123456789ABCDEF", type: .mkAC, scheme: .doubleVariant)
        let f = ICKeyDerive(factors: [hex("1987654321098700")])
        func kd(_ st: KeyType, _ k: KeyField, _ dt: KeyType = .mkAC, _ ds: KeyScheme = .doubleVariant, _ dv: ICKeyDerive? = nil) throws -> String {
            send(d, try ICDeriveKeyRequest(sourceType: st, source: k, destinationType: dt, destinationScheme: ds, mode: 0, derivation: dv ?? f).payload()).error
        }
        // Wrong key type: a ZPK is no derivation parent (27); the MDK declared as a ZMK does not decrypt (10).
        XCTAssertEqual(try kd(.zpk, try underLMK(d, clear: "0123456789ABCDEF0123456789ABCDEF", type: .zpk, scheme: .doubleVariant)), "27")
        XCTAssertEqual(try kd(.zmk, mdk), "10")
        XCTAssertEqual(try kd(.mkAC, mdk, KeyType(variant: 0, pairCode: 0x0F)), "27")
        // Destination scheme: a 16-byte key of the parent's family only.
        XCTAssertEqual(try kd(.mkAC, mdk, .mkAC, .tripleVariant), "26")
        XCTAssertEqual(try kd(.mkAC, mdk, .mkAC, .singleDES), "26")
        XCTAssertEqual(try kd(.mkAC, mdk, .mkAC, .sm4), "26")
        XCTAssertEqual(try kd(.mkAC, mdk, .mkAC, .sm1), "26")
        // Level count 0 (a copy to another type) and more than 8 levels: 15.
        XCTAssertEqual(try kd(.mkAC, mdk, .zpk, .doubleVariant, ICKeyDerive.empty), "15")
        XCTAssertEqual(try kd(.mkAC, mdk, .zpk, .doubleVariant, ICKeyDerive(factors: Array(repeating: hex("0102030405060708"), count: 9))), "15")
        // Bad lengths and non-hex on the wire.
        let head = "KD109U" + Hex.string(mdk.materialForTests) + "109U0"
        XCTAssertEqual(send(d, head + "01198765432109870").error, "80", "short factor")
        XCTAssertEqual(send(d, head + "011987654321098700FF").error, "80", "trailing data")
        XCTAssertEqual(send(d, head + "01198765432109870Z").error, "15", "non-hex factor")
        XCTAssertEqual(send(d, "KD109U" + Hex.string(mdk.materialForTests) + "109U3011987654321098700").error, "15", "mode 3")
        XCTAssertEqual(send(d, "KD109U0123").error, "80", "short key")
    }

    // MARK: SH / SI

    func testSHSIRoundTripWithDerivationHeaderAndCBC() throws {
        let d = testDevice()
        let sub = try call(d, GenerateKeyRequest(keyType: .zmk, lmkScheme: .doubleVariant), GenerateKeyResponse.self).keyUnderLMK
        let tk = try call(d, GenerateKeyRequest(keyType: .zmk, lmkScheme: .doubleX917), GenerateKeyResponse.self).keyUnderLMK
        let factor = ICKeyDerive(factors: [[UInt8](repeating: 0x42, count: 16)])
        for mode in [0, 1] {
            for header in [[UInt8](), [1, 2, 3, 4, 5, 6, 7, 8]] {
                let p = ICProtectionKey(mode: mode, keyType: .zmk, key: tk, derivation: factor)
                let sh = try call(d, ICExportKeyRequest(protection: p, keyType: .zmk, key: sub, derivation: factor, header: header), ICExportKeyResponse.self)
                XCTAssertEqual(sh.cryptogram.count, header.count + 16)
                // The exported key is the derived one.
                var expected = try Prim.crypt(.des, key: try clear(d, sub, .zmk), data: factor.factors[0], encrypt: true)
                Prim.adjustParity(&expected)
                XCTAssertEqual(sh.checkValue, try Prim.checkValue(.des, key: expected))
                let si = try call(d, ICImportKeyRequest(protection: p, keyType: .zmk, scheme: .doubleVariant, cryptogram: sh.cryptogram, header: header,
                                                        extension: ICImportExtension(padding: 0, iv: mode == 1 ? [UInt8](repeating: 0, count: 8) : nil,
                                                                                     checkValue: sh.checkValue)), ICKeyResponse.self)
                XCTAssertEqual(si.checkValue, sh.checkValue)
                XCTAssertEqual(try clear(d, si.key, .zmk), expected)
            }
        }
    }

    /// Tass_Disper_Zmk: SH (derive a sub-ZMK, export under the protecting ZMK), then A6 of
    /// the cryptogram as an `X` key gives the sub-ZMK under the LMK with the same KCV.
    func testDisperZMKSequence() throws {
        let d = testDevice()
        let parent = try call(d, GenerateKeyRequest(keyType: .zmk, lmkScheme: .doubleVariant), GenerateKeyResponse.self).keyUnderLMK
        let sh = try call(d, ICExportKeyRequest(protection: ICProtectionKey(keyType: .zmk, key: zmk), keyType: .zmk, key: parent,
                                                derivation: ICKeyDerive(factors: [hex("0123456789ABCDEF0123456789ABCDEF")])), ICExportKeyResponse.self)
        let a6 = try call(d, ImportKeyRequest(keyType: .zmk, zmk: zmk, keyUnderZMK: .encrypted(scheme: .doubleX917, material: sh.cryptogram), lmkScheme: .doubleX917),
                          ImportKeyResponse.self)
        XCTAssertEqual(a6.checkValue, sh.checkValue)
    }

    func testSHSISM4() throws {
        let d = testDevice()
        let tk = try call(d, GenerateKeyRequest(keyType: .zmk, lmkScheme: .sm4), GenerateKeyResponse.self).keyUnderLMK
        let k = try call(d, GenerateKeyRequest(keyType: .zek, lmkScheme: .sm4), GenerateKeyResponse.self)
        let p = ICProtectionKey(mode: 1, keyType: .zmk, key: tk)
        let sh = try call(d, ICExportKeyRequest(protection: p, keyType: .zek, key: k.keyUnderLMK), ICExportKeyResponse.self)
        XCTAssertEqual(sh.checkValue, k.checkValue)
        let si = try call(d, ICImportKeyRequest(protection: p, keyType: .zek, scheme: .sm4, cryptogram: sh.cryptogram), ICKeyResponse.self)
        XCTAssertEqual(si.key, k.keyUnderLMK, "deterministic SM4 LMK form")
        // A DES key under an SM4 protection key: 26.
        let des = try call(d, GenerateKeyRequest(keyType: .zek, lmkScheme: .doubleX917), GenerateKeyResponse.self).keyUnderLMK
        XCTAssertEqual(send(d, try ICExportKeyRequest(protection: p, keyType: .zek, key: des).payload()).error, "26")
        XCTAssertEqual(send(d, try ICImportKeyRequest(protection: p, keyType: .zek, scheme: .doubleX917, cryptogram: sh.cryptogram).payload()).error, "26")
    }

    func testSHSIRefusals() throws {
        let d = testDevice()
        let zpk = try call(d, GenerateKeyRequest(keyType: .zpk, lmkScheme: .doubleX917), GenerateKeyResponse.self).keyUnderLMK
        let p = ICProtectionKey(keyType: .zmk, key: zmk)
        // Wrong key types: protection key of type ZPK (27); the ZMK declared as an MK-SMC (10);
        // the exported ZPK declared as a ZAK (11).
        XCTAssertEqual(send(d, try ICExportKeyRequest(protection: ICProtectionKey(keyType: .zpk, key: zpk), keyType: .zpk, key: zpk).payload()).error, "27")
        XCTAssertEqual(send(d, try ICExportKeyRequest(protection: ICProtectionKey(keyType: KeyType(variant: 3, pairCode: 9), key: zmk), keyType: .zpk, key: zpk).payload()).error, "10")
        XCTAssertEqual(send(d, try ICExportKeyRequest(protection: p, keyType: .zak, key: zpk).payload()).error, "11")
        // Header + key not whole blocks: 80. Session keys are not implemented: 15.
        XCTAssertEqual(send(d, try ICExportKeyRequest(protection: p, keyType: .zpk, key: zpk, header: [1, 2, 3]).payload()).error, "80")
        XCTAssertEqual(send(d, try ICExportKeyRequest(protection: ICProtectionKey(keyType: .zmk, key: zmk, session: ICKeySession(mode: 1, data: [UInt8](repeating: 0, count: 8))),
                                                      keyType: .zpk, key: zpk).payload()).error, "15")
        let sh = try call(d, ICExportKeyRequest(protection: p, keyType: .zpk, key: zpk), ICExportKeyResponse.self)
        func si(_ c: [UInt8], header: [UInt8] = [], ext: ICImportExtension? = nil, scheme: KeyScheme = .doubleX917) throws -> String {
            send(d, try ICImportKeyRequest(protection: p, keyType: .zpk, scheme: scheme, cryptogram: c, header: header, extension: ext).payload()).error
        }
        XCTAssertEqual(try si(sh.cryptogram), "00")
        XCTAssertEqual(try si(Array(sh.cryptogram.prefix(12))), "80", "not whole blocks")
        XCTAssertEqual(try si(sh.cryptogram, scheme: .tripleX917), "80", "shorter than the key")
        XCTAssertEqual(try si(sh.cryptogram, scheme: .singleDES), "80", "longer than the key")
        XCTAssertEqual(try si(sh.cryptogram, header: [1]), "80", "shorter than header + key")
        XCTAssertEqual(try si(sh.cryptogram + sh.cryptogram.prefix(8), header: [], ext: ICImportExtension(padding: 1, checkValue: sh.checkValue)), "15", "bad padding")
        XCTAssertEqual(try si(sh.cryptogram, ext: ICImportExtension(padding: 7, checkValue: sh.checkValue)), "15", "unknown padding")
        XCTAssertEqual(try si(sh.cryptogram, ext: ICImportExtension(padding: 0, checkValue: [UInt8](repeating: 0, count: 8))), "01", "KCV mismatch")
        XCTAssertEqual(try si(sh.cryptogram, scheme: .sm1), "26")
        // Non-hex cryptogram, short cryptogram, header that does not match.
        let good = String(decoding: try ICImportKeyRequest(protection: p, keyType: .zpk, scheme: .doubleX917, cryptogram: sh.cryptogram).payload(), as: UTF8.self)
        XCTAssertEqual(send(d, String(good.dropLast(4)) + "G00").error, "15")
        XCTAssertEqual(send(d, String(good.dropLast(6))).error, "80")
        let withHeader = try call(d, ICExportKeyRequest(protection: p, keyType: .zpk, key: zpk, header: [9, 9, 9, 9, 9, 9, 9, 9]), ICExportKeyResponse.self)
        XCTAssertEqual(try si(withHeader.cryptogram, header: [9, 9, 9, 9, 9, 9, 9, 8]), "15", "header mismatch")
        XCTAssertEqual(try si(withHeader.cryptogram, header: [9, 9, 9, 9, 9, 9, 9, 9]), "00")
        // ISO 9797-1 method 2 padding: header || key || 80 00.. encrypted by hand.
        var plain = try clear(d, zpk, .zpk) + [0x80, 0, 0, 0, 0, 0, 0, 0]
        let padded = try Prim.crypt(.des, key: try clear(d, zmk, .zmk), data: plain, encrypt: true)
        SecureBytes.wipe(&plain)
        XCTAssertEqual(try si(padded, ext: ICImportExtension(padding: 1, checkValue: sh.checkValue)), "00")
    }

    // MARK: AN

    func testANAllowedConversions() throws {
        let d = testDevice()
        let zak = try call(d, GenerateKeyRequest(keyType: .zak, lmkScheme: .doubleVariant), GenerateKeyResponse.self)
        let tak = try call(d, KeyTypeConversionRequest(sourceType: .zak, source: zak.keyUnderLMK, destinationType: .tak, destinationScheme: .doubleX917), ICKeyResponse.self)
        XCTAssertEqual(tak.checkValue, zak.checkValue)
        XCTAssertEqual(try call(d, CheckValueRequest(keyType: .tak, key: tak.key), CheckValueResponse.self).checkValue, zak.checkValue)
        let zek = try call(d, GenerateKeyRequest(keyType: .zek, lmkScheme: .sm4), GenerateKeyResponse.self)
        let tek = try call(d, KeyTypeConversionRequest(sourceType: .zek, source: zek.keyUnderLMK, destinationType: .tek, destinationScheme: .sm4), ICKeyResponse.self)
        XCTAssertEqual(tek.checkValue, zek.checkValue)
        // Same type, scheme change U -> X -> U gives the original field back.
        let zpk = try call(d, GenerateKeyRequest(keyType: .zpk, lmkScheme: .doubleVariant), GenerateKeyResponse.self).keyUnderLMK
        let x = try call(d, KeyTypeConversionRequest(sourceType: .zpk, source: zpk, destinationType: .zpk, destinationScheme: .doubleX917), ICKeyResponse.self)
        let back = try call(d, KeyTypeConversionRequest(sourceType: .zpk, source: x.key, destinationType: .zpk, destinationScheme: .doubleVariant), ICKeyResponse.self)
        XCTAssertEqual(back.key, zpk)
    }

    func testANRefusesBreakingKeySeparation() throws {
        let d = testDevice()
        let zpk = try call(d, GenerateKeyRequest(keyType: .zpk, lmkScheme: .doubleVariant), GenerateKeyResponse.self).keyUnderLMK
        let zak = try call(d, GenerateKeyRequest(keyType: .zak, lmkScheme: .doubleVariant), GenerateKeyResponse.self).keyUnderLMK
        func an(_ s: KeyType, _ k: KeyField, _ t: KeyType, _ sc: KeyScheme = .doubleVariant) throws -> String {
            send(d, try KeyTypeConversionRequest(sourceType: s, source: k, destinationType: t, destinationScheme: sc).payload()).error
        }
        XCTAssertEqual(try an(.zpk, zpk, .zmk), "27", "into a ZMK")
        XCTAssertEqual(try an(.zpk, zpk, .tmk), "27", "into a TMK/PVK")
        XCTAssertEqual(try an(.zmk, zmk, .zpk), "27", "a ZMK into anything")
        XCTAssertEqual(try an(.zmk, zmk, .zmk, .doubleX917), "27", "a ZMK, even to itself")
        XCTAssertEqual(try an(.zpk, zpk, .zak), "27", "PIN key into MAC key")
        XCTAssertEqual(try an(.zak, zak, .zek), "27", "MAC key into data key")
        XCTAssertEqual(try an(.cvk, zpk, .zak), "27")
        XCTAssertEqual(try an(.mkAC, zpk, KeyType(variant: 2, pairCode: 9)), "27")
        // Wrong key type: the ZPK declared as a ZAK does not decrypt: 10.
        XCTAssertEqual(try an(.zak, zpk, .tak), "10")
        // Another family or length: 26; SM1: 26.
        XCTAssertEqual(try an(.zak, zak, .tak, .sm4), "26")
        XCTAssertEqual(try an(.zak, zak, .tak, .tripleVariant), "26")
        XCTAssertEqual(try an(.zak, zak, .tak, .sm1), "26")
        // Lengths and hex on the wire.
        XCTAssertEqual(send(d, "AN008U0123456789").error, "80")
        XCTAssertEqual(send(d, "AN008" + String(decoding: zak.wire, as: UTF8.self) + "003").error, "80")
        XCTAssertEqual(send(d, "AN008U" + String(repeating: "G", count: 32) + "003U").error, "15")
        XCTAssertEqual(send(d, "AN0G8" + String(decoding: zak.wire, as: UTF8.self).dropFirst() + "003U").error, "15")
    }

    // MARK: AM refusals

    func testAMRefusals() throws {
        let d = testDevice()
        let k = String(repeating: "12", count: 16)
        XCTAssertEqual(send(d, "AM000U0102" + k + k).error, "15", "composition mode 01")
        XCTAssertEqual(send(d, "AM000U0000").error, "15", "no component")
        XCTAssertEqual(send(d, "AM000U0010" + String(repeating: k, count: 10)).error, "15", "10 components")
        XCTAssertEqual(send(d, "AM000P0001" + k).error, "26", "SM1")
        XCTAssertEqual(send(d, "AM00FU0001" + k).error, "27", "unknown type")
        XCTAssertEqual(send(d, "AM000U0002" + k + String(k.dropLast(2))).error, "80", "short component")
        XCTAssertEqual(send(d, "AM000U0001" + String(k.dropLast(1)) + "X").error, "15", "non-hex component")
        XCTAssertEqual(send(d, "AM000U0001" + k + "Q").error, "80", "trailing data")
        // SM4: 32H components, no parity adjustment; stored key works.
        let r = try call(d, ClearComponentsKeyRequest(keyType: .zek, scheme: .sm4, components: [hex(k)], store: StoreTarget(index: 1, label: "")), ICKeyResponse.self)
        XCTAssertEqual(try clear(d, .stored(index: 1), .zek), hex(k))
        XCTAssertEqual(r.checkValue, try Prim.checkValue(.sm4, key: hex(k)))
    }

    /// The storage time is kept in the sealed state: KG reports the same after a restart.
    func testKGTimeSurvivesRestart() throws {
        let dir = NSTemporaryDirectory() + "evsm-ickeys-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let dmk: [UInt8] = Array(0..<16).map { UInt8($0 * 17) }
        var first: ICKeyInfoResponse?
        do {
            let d = try Device(stateDirectory: dir, mode: .normal)
            try d.install(dmk: dmk, authorisation: AuthorisationRecord(setID: "s", threshold: 2, shares: 3, verifier: [1], salt: [2]))
            _ = try call(d, ICGenerateKeyRequest(keyType: .tak, scheme: .doubleX917, store: StoreTarget(index: 40, label: "tak")), ICKeyResponse.self)
            first = try call(d, ICKeyInfoRequest(index: 40), ICKeyInfoResponse.self)
        }
        let d2 = try Device(stateDirectory: dir, mode: .normal)
        XCTAssertEqual(try call(d2, ICKeyInfoRequest(index: 40), ICKeyInfoResponse.self), try XCTUnwrap(first))
    }

    func testTimestampFormat() {
        XCTAssertEqual(StoredKey.timestamp(Date(timeIntervalSince1970: 1_764_686_105)), "20251202143505")
        XCTAssertEqual(StoredKey.timestamp(Date(timeIntervalSince1970: 0)), "19700101000000")
    }

    /// Every IC key command on a factory-fresh device: 13.
    func testUninitialisedDevice() throws {
        let d = try Device(stateDirectory: nil, mode: .normal)
        for p in ["KG0001", "KR001U", "AN001K0001001U", "AM000U0001" + String(repeating: "0", count: 32)] {
            XCTAssertEqual(send(d, p).error, "13", p)
        }
    }
}

extension KeyField {
    var materialForTests: [UInt8] {
        if case let .encrypted(_, m) = self { return m }
        return []
    }
}
