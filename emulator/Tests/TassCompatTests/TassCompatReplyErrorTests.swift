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
    /// against `hsm` (answering normally while the device opens), then answering as `behaviour`:
    /// the call's return code.
    func randomCall(_ hsm: FakeHSM, header: Int32, _ behaviour: FakeHSM.Behaviour) throws -> Int32 {
        hsm.behaviour = .normal
        var d: Handle?
        var s: Handle?
        let rc = withC("127.0.0.1") { SDF_OpenDeviceEx(&d, $0, Int32(hsm.port), header) }
        XCTAssertEqual(rc, HAR.ok)
        defer { _ = SDF_CloseDevice(d) }
        XCTAssertEqual(SDF_OpenSession(d, &s), HAR.ok)
        hsm.behaviour = behaviour
        var out = [UInt8](repeating: 0, count: 16)
        return HSM_GenerateRandomData(s, 8, &out)
    }

    func testAHeaderThatIsNotEchoedIsAReceiveFailure() throws {
        let hsm = try FakeHSM(headerLength: 8)
        defer { hsm.close() }
        XCTAssertEqual(try randomCall(hsm, header: 8, .normal), 68, "the stand-in answers 68 (not supported) to CR: the HSM's code")
        XCTAssertEqual(try randomCall(hsm, header: 8, .wrongHeader), HAR.sockRecv)
    }

    func testAnotherCommandsResponseCodeIsAResponseCodeError() throws {
        let hsm = try FakeHSM(headerLength: 8)
        defer { hsm.close() }
        XCTAssertEqual(try randomCall(hsm, header: 8, .wrongResponseCode), HAR.msgRspCode)
    }

    func testAShortFrameIsAReceiveFailureAndAnotherCommandsReplyNot() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        // A reply shorter than code + error code.
        hsm.script = { _ in Array("C".utf8) }
        XCTAssertEqual(try randomCall(hsm, header: 0, .normal), HAR.sockRecv)
        // A readable reply frame whose bytes answer another command: the response-code error.
        hsm.script = { _ in Array("ZZ00".utf8) }
        XCTAssertEqual(try randomCall(hsm, header: 0, .normal), HAR.msgRspCode)
    }
}
