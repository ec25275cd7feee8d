import XCTest
import CACipherTestSupport
@testable import TassCompat

/// How the vendor functions report a reply they cannot use (vendor spec 2.3, rules 1-3): a
/// frame that cannot be read (bad length, a header that does not echo the request's) is
/// `HAR_SOCK_RECV`; a readable reply with another command's response code `HAR_MSG_RSPCODE`.
final class TassCompatReplyErrorTests: XCTestCase {
    func withC<T>(_ s: String, _ body: (CString) -> T) -> T {
        var a = Array(s.utf8CString)
        return a.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }

    /// `HSM_GenerateRandomData` on a session of a device opened with `header` bytes of header
    /// against `hsm`: the call's return code.
    func randomCall(_ hsm: FakeHSM, header: Int32) throws -> Int32 {
        var d: Handle?
        var s: Handle?
        let rc = withC("127.0.0.1") { SDF_OpenDeviceEx(&d, $0, Int32(hsm.port), header) }
        XCTAssertEqual(rc, HAR.ok)
        defer { _ = SDF_CloseDevice(d) }
        XCTAssertEqual(SDF_OpenSession(d, &s), HAR.ok)
        var out = [UInt8](repeating: 0, count: 16)
        return HSM_GenerateRandomData(s, 8, &out)
    }

    func testAHeaderThatIsNotEchoedIsAReceiveFailure() throws {
        let hsm = try FakeHSM(headerLength: 8)
        defer { hsm.close() }
        hsm.behaviour = .wrongHeader
        XCTAssertEqual(try randomCall(hsm, header: 8), HAR.sockRecv)
    }

    func testAnotherCommandsResponseCodeIsAResponseCodeError() throws {
        let hsm = try FakeHSM(headerLength: 8)
        defer { hsm.close() }
        hsm.behaviour = .wrongResponseCode
        XCTAssertEqual(try randomCall(hsm, header: 8), HAR.msgRspCode)
    }

    func testAnUnreadableOrOversizeFrameIsAReceiveFailure() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        hsm.behaviour = .garbage
        XCTAssertEqual(try randomCall(hsm, header: 0), HAR.sockRecv)
        hsm.behaviour = .oversize(65_535)
        XCTAssertEqual(try randomCall(hsm, header: 0), HAR.sockRecv)
    }
}
