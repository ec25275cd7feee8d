import XCTest
@testable import CACipherCore
import HostProtocol
@testable import EVSMKit

/// The SM2 typed calls over loopback on the vendor layouts: X || Y at the API and DER on the
/// wire, the `TT`/`TU` transport-key calls, and the checks made before anything is sent.
final class TypedSM2VendorTests: TypedTestCase {
    /// [KAT] GM/T 0003.5-2012 Annex A sample key; d under the GB/T 32907 sample key as an
    /// SM4 ZMK (SM4-ECB), computed with `openssl enc -sm4-ecb -nopad` and pinned (the same
    /// values as Tests/EVSMKitTests/SM2VendorTests).
    let point = Hex.decode("09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
                           + "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13")!
    let dUnderTK = "C93242C4788D6B52F4904E246488F154EFB2AAF2CE8AC9D31388FE337594AF91"
    let tkClear = "0123456789ABCDEFFEDCBA9876543210"

    func testImportExportUnderTransportKey() throws {
        let tk = SM2TransportKey(mode: 0, keyType: .zmk, key: try underLMK(tkClear, .zmk, .sm4))
        let blob = try client.sm2ImportPrivateKey(transportKey: tk, publicKey: point, privateKeyUnderTK: bytes(dUnderTK))
        XCTAssertEqual(blob.count, 40)
        XCTAssertEqual(try client.sm2PublicKey(privateKey: .value(blob)), point)
        let e = try client.sm2ExportPrivateKey(transportKey: tk, privateKey: .value(blob), publicKey: point)
        XCTAssertEqual(e.publicKey, point)
        XCTAssertEqual(Hex.string(e.privateKeyUnderTK), dUnderTK)
        // Without the public key the call asks for it (E2 with the blob) first.
        XCTAssertEqual(Hex.string(try client.sm2ExportPrivateKey(transportKey: tk, privateKey: .value(blob)).privateKeyUnderTK), dUnderTK)
        // Stored by TU, then used by index.
        _ = try client.sm2ImportPrivateKey(transportKey: tk, publicKey: point, privateKeyUnderTK: bytes(dUnderTK),
                                           storeAt: StoreTarget(index: 60, label: "tu"))
        XCTAssertEqual(device.storedKeyLabels[60], "tu")
        let sig = try client.sm2Sign(privateKey: .stored(index: 60), data: [1, 2])
        XCTAssertTrue(try client.sm2Verify(publicKey: .value(point), data: [1, 2], signature: sig))
        XCTAssertEqual(Hex.string(try client.sm2ExportPrivateKey(transportKey: tk, privateKey: .stored(index: 60)).privateKeyUnderTK), dUnderTK)
        // A wrong TK type is the HSM's 27; a ZPK as the TK is 10.
        assertCode(27) { _ = try client.sm2ExportPrivateKey(transportKey: SM2TransportKey(mode: 0, keyType: .zpk, key: tk.key), privateKey: .value(blob), publicKey: point) }
        let zpk = SM2TransportKey(mode: 0, keyType: .zmk, key: try underLMK(tkClear, .zpk, .sm4))
        assertCode(10) { _ = try client.sm2ExportPrivateKey(transportKey: zpk, privateKey: .value(blob), publicKey: point) }
    }

    func testLoadKeyPairAndSignWithGivenPublicKey() throws {
        let pair = try client.sm2GenerateKeyPair()
        try client.sm2LoadKeyPair(publicKey: pair.publicKey, privateKeyUnderLMK: pair.privateKeyUnderLMK, storeAt: StoreTarget(index: 61, label: ""))
        XCTAssertEqual(try client.sm2PublicKey(privateKey: .stored(index: 61)), pair.publicKey)
        let sig = try client.sm2Sign(privateKey: .value(pair.privateKeyUnderLMK), publicKey: pair.publicKey, data: [7])
        XCTAssertTrue(try client.sm2Verify(publicKey: .stored(index: 61), data: [7], signature: sig))
        XCTAssertFalse(try client.sm2Verify(publicKey: .stored(index: 61), data: [8], signature: sig))
        // The public key of another pair with this blob: 15.
        assertCode(15) { _ = try client.sm2Sign(privateKey: .value(pair.privateKeyUnderLMK), publicKey: point, data: [7]) }
        // An altered blob: 10.
        var bad = pair.privateKeyUnderLMK
        bad[35] ^= 1
        assertCode(10) { _ = try client.sm2PublicKey(privateKey: .value(bad)) }
        // 9999 is not stored (the vendor's "not stored").
        XCTAssertNil(device.storedKeyLabels[9999])
    }

    func testChecksBeforeSending() throws {
        _ = try client.deviceInfo()
        let before = completed
        let tk = SM2TransportKey(mode: 0, keyType: .zmk, key: .stored(index: 1))
        assertCode(-1, "key index 9999") { _ = try client.sm2PublicKey(privateKey: .stored(index: 9999)) }
        assertCode(-1, "store index") { _ = try client.sm2GenerateKeyPair(storeAt: StoreTarget(index: 10000, label: "")) }
        assertCode(-1, "key index 9999") { _ = try client.sm2GenerateKeyPair(storeAt: StoreTarget(index: 9999, label: "")) }
        assertCode(-1, "64 bytes") { try client.sm2LoadKeyPair(publicKey: [1], privateKeyUnderLMK: [1], storeAt: StoreTarget(index: 1, label: "")) }
        assertCode(-1, "1 to 2048") { _ = try client.sm2Decrypt(privateKey: .value([]), ciphertext: [UInt8](repeating: 0, count: 98)) }
        assertCode(-1, "mode") { _ = try client.sm2ExportPrivateKey(transportKey: SM2TransportKey(mode: 2, keyType: .zmk, key: .stored(index: 1)), privateKey: .stored(index: 1)) }
        assertCode(-1, "16 bytes") {
            _ = try client.sm2ExportPrivateKey(transportKey: SM2TransportKey(mode: 0, keyType: .zmk, key: .stored(index: 1), derive: DeriveField(factors: [[1]])),
                                               privateKey: .stored(index: 1))
        }
        assertCode(-1, "64 bytes") { _ = try client.sm2ImportPrivateKey(transportKey: tk, publicKey: [1, 2], privateKeyUnderTK: [1]) }
        assertCode(-1, "9902") { _ = try client.sm2Encrypt(publicKey: .value(point), data: [UInt8](repeating: 0, count: 9903)) }
        XCTAssertEqual(completed, before, "nothing was sent")
    }

    /// `TQ`, `TX`, `TY` through the typed calls: a ZEK out under the sample public key (with
    /// its MAC) and back in with the blob, equal; KCV 2677F46B09C122CC (SM4-ECB of zeros under
    /// the GB/T 32907 sample key, `openssl enc -sm4-ecb -nopad`).
    func testSymmetricKeysUnderSM2() throws {
        let tk = SM2TransportKey(mode: 0, keyType: .zmk, key: try underLMK(tkClear, .zmk, .sm4))
        let blob = try client.sm2ImportPrivateKey(transportKey: tk, publicKey: point, privateKeyUnderTK: bytes(dUnderTK))
        let zek = try underLMK(tkClear, .zek, .sm4)
        let auth = Array("partner-7".utf8)
        let mac = try client.sm2PublicKeyMAC(publicKey: point, authData: auth)
        let x = try client.sm2ExportSymmetricKey(type: .zek, key: zek, publicKey: .value(point), authData: auth, mac: mac)
        XCTAssertEqual(Hex.string(x.checkValue), "2677F46B09C122CC")
        let back = try client.sm2ImportSymmetricKey(type: .zek, scheme: .sm4, keyUnderSM2: x.keyUnderSM2, privateKey: .value(blob),
                                                    expectedCheckValue: x.checkValue, storeAt: StoreTarget(index: 62, label: "ty"))
        XCTAssertEqual(back.key, zek)
        XCTAssertEqual(device.storedKeyLabels[62], "ty")
        assertCode(1) { _ = try client.sm2ExportSymmetricKey(type: .zek, key: zek, publicKey: .value(point), authData: auth, mac: [0, 0, 0, 0]) }
        assertCode(-1, "';'") { _ = try client.sm2PublicKeyMAC(publicKey: point, authData: Array("a;b".utf8)) }
        assertCode(-1, "4 bytes") { _ = try client.sm2ExportSymmetricKey(type: .zek, key: zek, publicKey: .value(point), authData: auth, mac: [1]) }
        XCTAssertFalse(ResendSafety.isIdempotent(try SM2ImportSymmetricKeyRequest(keyType: .zek, scheme: .sm4, store: StoreTarget(index: 3, label: ""),
                                                                                keyUnderSM2: [1], privateKey: .stored(index: 1)).payload()))
        XCTAssertTrue(ResendSafety.isIdempotent(try SM2ImportSymmetricKeyRequest(keyType: .zek, scheme: .sm4, keyUnderSM2: [1], privateKey: .stored(index: 1)).payload()))
    }
}
