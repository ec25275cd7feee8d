import XCTest
@testable import CACipherCore
import HostProtocol
@testable import EVSMKit

/// Typed calls that store into the HSM are sent with `idempotent: false`: after a failure
/// that may have reached the first member they are not re-sent; the others are.
final class TypedResendTests: TypedTestCase {
    /// HOST1: a fake that passes the DMK check (the test DMK's value) and then stops
    /// answering; HOST2: the emulator.
    private func group(_ fake: FakeHSM) throws -> CACipherClient {
        var c = client.config
        var h1 = GroupTest.host(fake, "HOST1", connMs: 500, readMs: 500)
        h1.headerLength = fake.headerLength
        c.hosts = [h1] + c.hosts.map { var h = $0; h.section = "HOST2"; return h }
        let g = CACipherClient(config: c, logSink: nil, options: GroupTest.options())
        XCTAssertEqual(try g.echo([1]), [1])          // ties go to HOST1: verified, up
        XCTAssertEqual(fake.requests("B2"), 1)
        fake.behaviour = .silent
        return g
    }

    func testStoringGenerateIsNotResentAfterATimeout() throws {
        let fake = try FakeHSM(dmk: "08D7B4FB629D0885")
        defer { fake.close() }
        let g = try group(fake)
        defer { g.close() }
        assertCode(CACipherError.Code.timeout.rawValue, "not re-sent") {
            _ = try g.generateKey(type: .zpk, scheme: .doubleVariant, storeAt: StoreTarget(index: 77, label: "once"))
        }
        XCTAssertEqual(fake.requests("A0"), 1)
        XCTAssertNil(device.storedKeyLabels[77])     // never reached the emulator
    }

    func testNonStoringGenerateIsResentToTheNextMember() throws {
        let fake = try FakeHSM(dmk: "08D7B4FB629D0885")
        defer { fake.close() }
        let g = try group(fake)
        defer { g.close() }
        let k = try g.generateKey(type: .zpk, scheme: .doubleVariant)
        XCTAssertEqual(fake.requests("A0"), 1)
        XCTAssertEqual(try g.keyCheckValue(type: .zpk, key: k.keyUnderLMK), k.checkValue)
    }
}
