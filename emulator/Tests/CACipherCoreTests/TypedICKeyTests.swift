import XCTest
@testable import CACipherCore
import HostProtocol
@testable import EVSMKit

/// KG, KR, KD, SH, SI, AN, AM through the typed API against the emulator over loopback.
///
/// [EFT] EFTlab "Cryptographic Calculator - EMV menu" tutorial: MDK
/// 0123456789ABCDEF0123456789ABCDEF, option A factor 1987654321098700 (PAN 43219876543210987,
/// PSN 00) -> UDK C8B507136D921FD05864C81F79F2D30B, KCV 0DA897.
final class TypedICKeyTests: TypedTestCase {
    func clear(_ k: KeyField, _ t: KeyType) throws -> String {
        var c = try HandlerContext(device: device, keys: try device.currentKeysForTests()).clearKey(k, type: t)
        defer { c.wipe() }
        return Hex.string(c.bytes)
    }

    func testGenerateStoreAndInfo() throws {
        let g = try client.generateAndStoreKey(type: .zak, scheme: .sm4, storeAt: StoreTarget(index: 21, label: "mak"))
        let info = try client.storedKeyInfo(index: 21)
        XCTAssertEqual(info.keyType, .zak)
        XCTAssertEqual(info.scheme, .sm4)
        XCTAssertEqual(info.checkValue, g.checkValue)
        XCTAssertEqual(info.label, "mak")
        XCTAssertEqual(info.time.count, 14)
        assertCode(12, "stored key information (KG)") { _ = try client.storedKeyInfo(index: 22) }
        let before = completed
        assertInvalid("key index") { _ = try client.storedKeyInfo(index: 0) }
        assertInvalid("key index") { _ = try client.storedKeyInfo(index: 10000) }
        assertInvalid("store index") { _ = try client.generateAndStoreKey(type: .zak, scheme: .sm4, storeAt: StoreTarget(index: 0, label: "")) }
        XCTAssertEqual(completed, before, "refused calls send nothing")
    }

    func testDeriveKeyPublishedUDK() throws {
        let mdk = try underLMK("0123456789ABCDEF0123456789ABCDEF", .mkAC, .doubleVariant)
        let r = try client.deriveKey(sourceType: .mkAC, source: mdk, type: .mkAC, scheme: .doubleVariant, mode: .pboc,
                                     factors: [bytes("1987654321098700")], storeAt: StoreTarget(index: 3, label: "udk"))
        XCTAssertEqual(try clear(r.key, .mkAC), "C8B507136D921FD05864C81F79F2D30B")
        XCTAssertTrue(Hex.string(r.checkValue).hasPrefix("0DA897"))
        XCTAssertEqual(try client.storedKeyInfo(index: 3).checkValue, r.checkValue)
        assertCode(27, "derive key (KD)") {
            _ = try client.deriveKey(sourceType: .zpk, source: mdk, type: .zpk, scheme: .doubleVariant, factors: [bytes("1987654321098700")])
        }
        assertCode(10) { _ = try client.deriveKey(sourceType: .zmk, source: mdk, type: .zpk, scheme: .doubleVariant, factors: [bytes("1987654321098700")]) }
        let before = completed
        assertInvalid("each factor must be 8 bytes") {
            _ = try client.deriveKey(sourceType: .mkAC, source: mdk, type: .mkAC, scheme: .doubleVariant, mode: .pboc, factors: [[UInt8](repeating: 0, count: 16)])
        }
        assertInvalid("each factor must be 16 bytes") {
            _ = try client.deriveKey(sourceType: .mkAC, source: mdk, type: .mkAC, scheme: .doubleVariant, mode: .ecb16, factors: [bytes("1987654321098700")])
        }
        assertInvalid("0 levels") { _ = try client.deriveKey(sourceType: .mkAC, source: mdk, type: .mkAC, scheme: .doubleVariant, factors: []) }
        assertInvalid("source key") {
            _ = try client.deriveKey(sourceType: .mkAC, source: .encrypted(scheme: .doubleVariant, material: [1, 2]), type: .mkAC, scheme: .doubleVariant, factors: [bytes("1987654321098700")])
        }
        XCTAssertEqual(completed, before)
    }

    func testExportImportUnderProtectionKey() throws {
        let sub = try client.generateKey(type: .zmk, scheme: .doubleVariant)
        let p = ICProtectionKey(keyType: .zmk, key: zmk)
        let factor = [UInt8](repeating: 0x5C, count: 16)
        let e = try client.exportKeyUnderProtection(p, type: .zmk, key: sub.keyUnderLMK, derivation: [factor])
        XCTAssertEqual(e.cryptogram.count, 16)
        let i = try client.importKeyUnderProtection(p, type: .zmk, scheme: .doubleX917, cryptogram: e.cryptogram,
                                                    options: ICImportExtension(padding: 0, checkValue: e.checkValue), storeAt: StoreTarget(index: 4, label: "sub"))
        XCTAssertEqual(i.checkValue, e.checkValue)
        XCTAssertEqual(try client.storedKeyInfo(index: 4).label, "sub")
        // No derivation: the exported key's own KCV.
        XCTAssertEqual(try client.exportKeyUnderProtection(p, type: .zmk, key: sub.keyUnderLMK).checkValue, sub.checkValue)
        assertCode(1, "import key under protection key (SI)") {
            _ = try client.importKeyUnderProtection(p, type: .zmk, scheme: .doubleX917, cryptogram: e.cryptogram,
                                                    options: ICImportExtension(padding: 0, checkValue: [UInt8](repeating: 0, count: 8)))
        }
        assertCode(11) { _ = try client.exportKeyUnderProtection(p, type: .zpk, key: sub.keyUnderLMK) }
        let before = completed
        assertInvalid("encryption mode") { _ = try client.exportKeyUnderProtection(ICProtectionKey(mode: 2, keyType: .zmk, key: zmk), type: .zmk, key: sub.keyUnderLMK) }
        assertInvalid("session key mode 1 needs 8 bytes") {
            _ = try client.exportKeyUnderProtection(ICProtectionKey(keyType: .zmk, key: zmk, session: ICKeySession(mode: 1, data: [])), type: .zmk, key: sub.keyUnderLMK)
        }
        assertInvalid("key header") { _ = try client.exportKeyUnderProtection(p, type: .zmk, key: sub.keyUnderLMK, header: [UInt8](repeating: 0, count: 33)) }
        assertInvalid("each factor must be 16 bytes") { _ = try client.exportKeyUnderProtection(p, type: .zmk, key: sub.keyUnderLMK, derivation: [[1]]) }
        assertInvalid("cryptogram") { _ = try client.importKeyUnderProtection(p, type: .zmk, scheme: .doubleX917, cryptogram: []) }
        assertInvalid("CBC needs an IV") {
            _ = try client.importKeyUnderProtection(ICProtectionKey(mode: 1, keyType: .zmk, key: zmk), type: .zmk, scheme: .doubleX917, cryptogram: e.cryptogram,
                                                    options: ICImportExtension(padding: 0, checkValue: e.checkValue))
        }
        assertInvalid("expected check value") {
            _ = try client.importKeyUnderProtection(p, type: .zmk, scheme: .doubleX917, cryptogram: e.cryptogram, options: ICImportExtension(padding: 0, checkValue: [1]))
        }
        XCTAssertEqual(completed, before)
    }

    func testConvertKeyType() throws {
        let zak = try client.generateKey(type: .zak, scheme: .doubleVariant)
        let tak = try client.convertKeyType(sourceType: .zak, key: zak.keyUnderLMK, to: .tak, scheme: .doubleVariant)
        XCTAssertEqual(tak.checkValue, zak.checkValue)
        XCTAssertEqual(try client.keyCheckValue(type: .tak, key: tak.key), zak.checkValue)
        assertCode(27, "key type conversion (AN)") { _ = try client.convertKeyType(sourceType: .zak, key: zak.keyUnderLMK, to: .zmk, scheme: .doubleVariant) }
        assertCode(27) { _ = try client.convertKeyType(sourceType: .zmk, key: zmk, to: .zpk, scheme: .doubleVariant) }
        assertCode(10) { _ = try client.convertKeyType(sourceType: .zek, key: zak.keyUnderLMK, to: .tek, scheme: .doubleVariant) }
        let before = completed
        assertInvalid("key: scheme U under the LMK needs 16 bytes") {
            _ = try client.convertKeyType(sourceType: .zak, key: .encrypted(scheme: .doubleVariant, material: [0]), to: .tak, scheme: .doubleVariant)
        }
        XCTAssertEqual(completed, before)
    }

    func testFormFromClearComponentsAndPutPlainKey() throws {
        // [LB] the published ZMK: clear 8A7C... is UE13D... under the test LMK.
        let r = try client.putPlainKey(type: .zmk, scheme: .doubleVariant, clearKey: bytes(zmkClear))
        XCTAssertEqual(r.key, zmk)
        let parts = try client.formKeyFromClearComponents(type: .zpk, scheme: .singleDES,
                                                          components: [bytes("0123456789ABCDEF"), bytes("1111111111111111"), bytes("1111111111111111")],
                                                          storeAt: StoreTarget(index: 9, label: "zpk"))
        XCTAssertEqual(Hex.string(parts.checkValue), "D5D44FF720683D0D")
        XCTAssertEqual(try client.storedKeyInfo(index: 9).scheme, .singleDES)
        assertCode(26) { _ = try client.formKeyFromClearComponents(type: .zpk, scheme: .sm1, components: [[UInt8](repeating: 1, count: 16)]) }
        let before = completed
        assertInvalid("each component must be 16 bytes") {
            _ = try client.formKeyFromClearComponents(type: .zpk, scheme: .doubleVariant, components: [[UInt8](repeating: 1, count: 8)])
        }
        assertInvalid("need 1 to 99") { _ = try client.formKeyFromClearComponents(type: .zpk, scheme: .doubleVariant, components: []) }
        assertInvalid("label") {
            _ = try client.putPlainKey(type: .zpk, scheme: .doubleVariant, clearKey: [UInt8](repeating: 1, count: 16), storeAt: StoreTarget(index: 1, label: "\u{7}"))
        }
        XCTAssertEqual(completed, before)
    }

    /// The storing forms are not re-sent after a failure that may have reached an HSM; the
    /// others (and K9999, "not stored") may be.
    func testResendSafetyClassification() throws {
        func idem<R: HostCommandRequest>(_ r: R) throws -> Bool { ResendSafety.isIdempotent(try r.payload()) }
        let s = StoreTarget(index: 5, label: "x"), none = StoreTarget(index: 9999, label: "")
        let k = KeyField.stored(index: 1)
        XCTAssertFalse(try idem(ICGenerateKeyRequest(keyType: .zpk, scheme: .doubleVariant, store: s)))
        XCTAssertTrue(try idem(ICGenerateKeyRequest(keyType: .zpk, scheme: .doubleVariant)))
        XCTAssertTrue(try idem(ICGenerateKeyRequest(keyType: .zpk, scheme: .doubleVariant, store: none)))
        let d = ICKeyDerive(factors: [[UInt8](repeating: 1, count: 8)])
        XCTAssertFalse(try idem(ICDeriveKeyRequest(sourceType: .mkAC, source: k, destinationType: .zpk, destinationScheme: .doubleVariant, mode: 0, derivation: d, store: s)))
        XCTAssertTrue(try idem(ICDeriveKeyRequest(sourceType: .mkAC, source: k, destinationType: .zpk, destinationScheme: .doubleVariant, mode: 0, derivation: d)))
        let p = ICProtectionKey(keyType: .zmk, key: k)
        XCTAssertFalse(try idem(ICImportKeyRequest(protection: p, keyType: .zpk, scheme: .doubleX917, cryptogram: [UInt8](repeating: 0, count: 16), store: s)))
        XCTAssertTrue(try idem(ICImportKeyRequest(protection: p, keyType: .zpk, scheme: .doubleX917, cryptogram: [UInt8](repeating: 0, count: 16))))
        XCTAssertFalse(try idem(ClearComponentsKeyRequest(keyType: .zpk, scheme: .singleDES, components: [[UInt8](repeating: 1, count: 8)], store: s)))
        XCTAssertTrue(try idem(ClearComponentsKeyRequest(keyType: .zpk, scheme: .singleDES, components: [[UInt8](repeating: 1, count: 8)])))
        XCTAssertTrue(try idem(ICExportKeyRequest(protection: p, keyType: .zpk, key: k)))
        XCTAssertTrue(try idem(KeyTypeConversionRequest(sourceType: .zak, source: k, destinationType: .tak, destinationScheme: .doubleVariant)))
        XCTAssertTrue(try idem(ICKeyInfoRequest(index: 1)))
        XCTAssertFalse(ResendSafety.isIdempotent(Array("KR001".utf8)), "unreadable: the safe side")
    }
}
