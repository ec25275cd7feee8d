import XCTest
@testable import CACipherCore
import HostProtocol
@testable import EVSMKit

/// A0, A6, A8, A4, BU through the typed API against the emulator.
final class TypedKeyTests: TypedTestCase {
    /// [LB] ZPK under the ZMK (X9.17 'X') imports to U0B7C6F68A38FA3C2CB42C2991576A986, KCV DA24FF...
    func testImportKeyPublishedValue() throws {
        let r = try client.importKey(type: .zpk, zmk: zmk, keyUnderZMK: KeyField(text: "X7BC09407A015F72FC59C32147D2AAE57")!, scheme: .doubleVariant)
        XCTAssertEqual(String(decoding: r.key.wire, as: UTF8.self), "U0B7C6F68A38FA3C2CB42C2991576A986")
        XCTAssertTrue(Hex.string(r.checkValue).hasPrefix("DA24FF"))
    }

    /// [LB] KCVs of published triple-length ZPKs (6EC2A9AE788F..., D58C6BB34AA6...) and of the ZMK.
    func testKeyCheckValuePublished() throws {
        let k1 = try client.keyCheckValue(type: .zpk, key: KeyField(text: "T971803BA969012152827CC97A98D18D50BE6559CDFF6F7E1")!)
        XCTAssertTrue(Hex.string(k1).hasPrefix("6EC2A9AE788F"))
        let k2 = try client.keyCheckValue(type: .zpk, key: KeyField(text: "TCF7471F997A26A9A82B16A616434312FD101DF4F6C426E97")!)
        XCTAssertTrue(Hex.string(k2).hasPrefix("D58C6BB34AA6"))
        XCTAssertEqual(try client.keyCheckValue(type: .zmk, key: zmk), try Prim.checkValue(.des, key: bytes(zmkClear), count: 8))
        // [KAT] single DES 0123456789ABCDEF: KCV D5D44FF720683D0D.
        let single = try underLMK("0123456789ABCDEF", .zpk, .singleDES)
        XCTAssertEqual(Hex.string(try client.keyCheckValue(type: .zpk, key: single)), "D5D44FF720683D0D")
        // The ZMK presented as a ZPK decrypts to garbage: parity error 10.
        assertCode(10, "key check value (BU)") { _ = try client.keyCheckValue(type: .zpk, key: zmk) }
    }

    func testGenerateKeyEveryScheme() throws {
        for s in [KeyScheme.singleDES, .doubleVariant, .doubleX917, .tripleVariant, .tripleX917, .sm4, .aes128] {
            let g = try client.generateKey(type: .zpk, scheme: s)
            guard case let .encrypted(gs, m) = g.keyUnderLMK else { return XCTFail("scheme \(s)") }
            XCTAssertEqual(gs, s)
            XCTAssertEqual(m.count, s.materialLength(.underLMK))
            XCTAssertEqual(m.count, s == .sm4 || s == .aes128 ? 24 : s.keyLength)
            XCTAssertNil(g.keyUnderZMK)
            XCTAssertEqual(try client.keyCheckValue(type: .zpk, key: g.keyUnderLMK), g.checkValue, "scheme \(s)")
        }
        assertCode(26, "generate key (A0)") { _ = try client.generateKey(type: .zpk, scheme: .sm1) }
        assertCode(27) { _ = try client.generateKey(type: KeyType(variant: 0, pairCode: 0x0F), scheme: .doubleVariant) }
    }

    /// A0 mode 1 exports under the ZMK; importing that gives the same key and KCV; A8 too.
    func testGenerateExportImportRoundTrip() throws {
        let g = try client.generateKey(type: .zak, scheme: .doubleVariant, exportUnder: zmk)
        let z = try XCTUnwrap(g.keyUnderZMK)
        let imp = try client.importKey(type: .zak, zmk: zmk, keyUnderZMK: z, scheme: .doubleVariant)
        XCTAssertEqual(imp.key, g.keyUnderLMK)
        XCTAssertEqual(imp.checkValue, g.checkValue)
        let exp = try client.exportKey(type: .zak, zmk: zmk, key: g.keyUnderLMK, scheme: .doubleX917)
        XCTAssertEqual(exp.checkValue, g.checkValue)
        let back = try client.importKey(type: .zak, zmk: zmk, keyUnderZMK: exp.key, scheme: .doubleVariant)
        XCTAssertEqual(back.checkValue, g.checkValue)
        // Mode 1 with another export scheme.
        let x = try client.generateKey(type: .zpk, scheme: .doubleVariant, exportUnder: zmk, exportScheme: .doubleX917)
        guard case let .encrypted(xs, _)? = x.keyUnderZMK else { return XCTFail("no key under ZMK") }
        XCTAssertEqual(xs, .doubleX917)
        // Exporting a ZPK declared as a TAK: it does not decrypt (11).
        assertCode(11, "export key (A8)") { _ = try client.exportKey(type: .tak, zmk: zmk, key: x.keyUnderLMK, scheme: .doubleVariant) }
    }

    func testStoreAtIndexThenUseIt() throws {
        let g = try client.generateKey(type: .tak, scheme: .doubleVariant, storeAt: StoreTarget(index: 7, label: "tak seven"))
        XCTAssertEqual(device.storedKeyLabels[7], "tak seven")
        XCTAssertEqual(try client.keyCheckValue(type: .tak, key: .stored(index: 7)), g.checkValue)
        assertCode(27) { _ = try client.keyCheckValue(type: .zpk, key: .stored(index: 7)) }
        assertCode(12) { _ = try client.keyCheckValue(type: .tak, key: .stored(index: 8)) }
        let imp = try client.importKey(type: .zpk, zmk: zmk, keyUnderZMK: KeyField(text: "X7BC09407A015F72FC59C32147D2AAE57")!,
                                       scheme: .doubleVariant, storeAt: StoreTarget(index: 9, label: ""))
        XCTAssertEqual(device.storedKeyLabels[9], "")
        XCTAssertEqual(try client.keyCheckValue(type: .zpk, key: .stored(index: 9)), imp.checkValue)
        // Export of the stored key under the ZMK keeps its KCV.
        XCTAssertEqual(try client.exportKey(type: .zpk, zmk: zmk, key: .stored(index: 9), scheme: .doubleVariant).checkValue, imp.checkValue)
    }

    /// A4: the XOR of two known components (parity adjusted) has the KCV computed locally.
    func testFormKeyFromComponents() throws {
        let c1 = "0123456789ABCDEFFEDCBA9876543210", c2 = "1010101010101010E0E0E0E0E0E0E0E0"
        let k1 = try underLMK(c1, .zmk, .doubleVariant), k2 = try underLMK(c2, .zmk, .doubleVariant)
        let r = try client.formKey(type: .zmk, scheme: .doubleVariant, components: [k1, k2])
        var x = zip(bytes(c1), bytes(c2)).map { $0 ^ $1 }
        Prim.adjustParity(&x)
        XCTAssertEqual(r.checkValue, try Prim.checkValue(.des, key: x, count: 8))
        XCTAssertEqual(try client.keyCheckValue(type: .zmk, key: r.key), r.checkValue)
        // Components of another type do not decrypt: 10.
        assertCode(10, "form key (A4)") { _ = try client.formKey(type: .zpk, scheme: .doubleVariant, components: [k1, k2]) }
    }
}
