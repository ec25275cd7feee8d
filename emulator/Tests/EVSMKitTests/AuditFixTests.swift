import XCTest
import HostProtocol
@testable import EVSMKit

/// Defects found by the spec audit (wire.md), each with the check that failed before its fix.
final class AuditFixTests: XCTestCase {
    /// `BU` on a key held at a `K` index: the client cannot know the stored key's length, and
    /// `CheckValueRequest(keyType:key:)` sends flag 1 for an index; a single or triple-length
    /// key stored there must still give its check value (the HSM knows the length).
    func testCheckValueOfStoredSingleAndTripleKeys() throws {
        let d = testDevice()
        for (i, scheme) in [(11, KeyScheme.singleDES), (12, .tripleVariant), (13, .doubleVariant)] {
            let g = try call(d, GenerateKeyRequest(keyType: .zpk, lmkScheme: scheme, store: StoreTarget(index: i, label: "k\(i)")),
                             GenerateKeyResponse.self)
            let kcv = try call(d, CheckValueRequest(keyType: .zpk, key: .stored(index: i)), CheckValueResponse.self).checkValue
            XCTAssertEqual(kcv, g.checkValue, "scheme \(scheme)")
        }
    }

    /// A key sent in the request still has to match its length flag.
    func testCheckValueFlagStillCheckedForKeyMaterial() throws {
        let d = testDevice()
        let g = try call(d, GenerateKeyRequest(keyType: .zpk, lmkScheme: .singleDES), GenerateKeyResponse.self)
        let r = send(d, try CheckValueRequest(typeCode: 0xFF, lengthFlag: 1, key: g.keyUnderLMK, keyType: .zpk).payload())
        XCTAssertEqual(r.error, "15")
    }
}
