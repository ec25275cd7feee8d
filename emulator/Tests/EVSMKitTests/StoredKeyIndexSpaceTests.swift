import XCTest
import HostProtocol
@testable import EVSMKit

/// Symmetric keys, RSA pairs and SM2 pairs have index spaces of their own (the vendor's test
/// program stores one of each at index 1 and then uses all three); an index that holds only
/// another kind still answers `27`, an empty one `12`.
final class StoredKeyIndexSpaceTests: XCTestCase {
    func testEachKindKeepsItsOwnIndexOne() throws {
        let d = testDevice()
        let zpk = try call(d, GenerateKeyRequest(keyType: .zpk, lmkScheme: .doubleVariant, store: StoreTarget(index: 1, label: "sym")),
                           GenerateKeyResponse.self)
        try d.store(StoredKey(index: 1, label: "rsa", kind: .rsa, keyType: "", scheme: "", material: [1, 2, 3], publicKey: [4, 5]))
        try d.store(StoredKey(index: 1, label: "sm2", kind: .sm2, keyType: "", scheme: "", material: [6, 7], publicKey: [8, 9]))
        // the symmetric key at 1 is still there for the commands that take it
        XCTAssertEqual(try call(d, CheckValueRequest(keyType: .zpk, key: .stored(index: 1)), CheckValueResponse.self).checkValue,
                       zpk.checkValue, "BU of K0001 after an RSA and an SM2 pair were stored at 1")
        XCTAssertEqual(d.storedKey(1, kind: .symmetric)?.label, "sym")
        XCTAssertEqual(d.storedKey(1, kind: .rsa)?.material, [1, 2, 3])
        XCTAssertEqual(d.storedKey(1, kind: .sm2)?.material, [6, 7])
        XCTAssertEqual(d.storedKeyLabels(kind: .rsa)[1], "rsa")
        XCTAssertEqual(d.storedKeyLabels[1], "sym", "one label per index: the symmetric key's")
        // storing again replaces the key of that kind only
        try d.store(StoredKey(index: 1, label: "rsa2", kind: .rsa, keyType: "", scheme: "", material: [3], publicKey: [4]))
        XCTAssertEqual(d.storedKey(1, kind: .rsa)?.label, "rsa2")
        XCTAssertEqual(d.storedKey(1, kind: .sm2)?.label, "sm2")
        XCTAssertEqual(d.storedKey(1, kind: .symmetric)?.label, "sym")
    }

    func testAnIndexOfAnotherKindOnlyIsStillKeyTypeNotPermitted() throws {
        let d = testDevice()
        try d.store(StoredKey(index: 2, label: "rsa", kind: .rsa, keyType: "", scheme: "", material: [1], publicKey: [2]))
        XCTAssertEqual(d.storedKey(2, kind: .symmetric)?.kind, .rsa, "no symmetric key at 2: the RSA pair, for the 27")
        XCTAssertEqual(send(d, try CheckValueRequest(keyType: .zpk, key: .stored(index: 2)).payload()).error, "27")
        XCTAssertEqual(send(d, try CheckValueRequest(keyType: .zpk, key: .stored(index: 3)).payload()).error, "12")
        XCTAssertNil(d.storedKey(3, kind: .rsa))
    }
}
