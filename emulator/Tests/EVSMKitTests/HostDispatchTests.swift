import XCTest
import Foundation
import HostProtocol
import EVSMKit
import EVSMServer
#if canImport(Glibc)
import Glibc
#endif

/// Where the NIO host port runs a request (`HostDispatch`): on the event loop when nothing of
/// the connection waits on the pool, on the pool for key generation and behind pool work.
final class HostDispatchTests: XCTestCase {
    var server: EVSMHostServer!
    var port = 0

    override func setUpWithError() throws {
        server = EVSMHostServer()
        // One event loop: every connection shares it, so a command run on it would hold all.
        port = try server.start(device: try Device(stateDirectory: nil, mode: .testLMK), host: "127.0.0.1", port: 0,
                                headerLength: 0, eventLoops: 1, workers: 2)
    }

    override func tearDown() {
        server.stop()
        server = nil
    }

    /// True when `c` has bytes to read now (poll, no wait).
    func readable(_ c: LoopbackClient) -> Bool {
        var p = pollfd(fd: c.fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, 0) == 1
    }

    func testKeyGenerationAndStoringCommandsMayBlock() throws {
        let memoryOnly = try Device(stateDirectory: nil, mode: .testLMK)
        XCTAssertTrue(memoryOnly.mayBlock(body: try RSAGenerateRequest(modulusBits: 2048).payload(), headerLength: 0))
        XCTAssertTrue(memoryOnly.mayBlock(body: Array("HDREI".utf8), headerLength: 3))
        // Storing a key writes nothing on a device without a state directory.
        XCTAssertFalse(memoryOnly.mayBlock(body: Array("A0".utf8), headerLength: 0))
        XCTAssertFalse(memoryOnly.mayBlock(body: Array("B20002ok".utf8), headerLength: 0))
        XCTAssertFalse(memoryOnly.mayBlock(body: Array("EW".utf8), headerLength: 0))
        XCTAssertFalse(memoryOnly.mayBlock(body: Array("E".utf8), headerLength: 0))
        XCTAssertFalse(memoryOnly.mayBlock(body: [0xFF, 0x01], headerLength: 0))
        XCTAssertFalse(memoryOnly.mayBlock(body: [], headerLength: 4))
        XCTAssertFalse(memoryOnly.mayBlock(body: Array("QQ".utf8), headerLength: 0))
        // With a state directory, the commands that may store a key by index may block (fsync).
        let dir = try TempDir()
        let persistent = try Device(stateDirectory: dir.path, mode: .testLMK)
        let storing = [GenerateKeyRequest.command, ImportKeyRequest.command, RSAGenerateRequest.command, RSAImportRequest.command,
                       SM2GenerateRequest.command, SM2LoadRequest.command]
        for code in storing.map(\.description) {
            XCTAssertTrue(persistent.mayBlock(body: Array(code.utf8), headerLength: 0), code)
        }
        for code in ["B2", "CC", "M6", "EW", "EY", "K6", "E5", "NC"] {
            XCTAssertFalse(persistent.mayBlock(body: Array(code.utf8), headerLength: 0), code)
        }
    }

    /// A key generation pipelined before cheap commands: the cheap ones queue behind it (on the
    /// pool) instead of overtaking it on the event loop, so the replies stay in request order.
    func testRepliesStayInOrderBehindAKeyGeneration() throws {
        let c = try XCTUnwrap(LoopbackClient(port: port, timeoutSeconds: 30))
        var raw: [UInt8] = []
        try FrameCodec.encode(header: [UInt8](), payload: try RSAGenerateRequest(modulusBits: 2048).payload(), into: &raw)
        for i in 0..<5 {
            try FrameCodec.encode(header: [UInt8](), payload: Array("B20002o\(i)".utf8), into: &raw)
        }
        XCTAssertTrue(c.send(raw: raw))
        let first = try XCTUnwrap(c.readFrame())
        XCTAssertEqual(Array(first.prefix(4)), Array("EJ00".utf8))
        for i in 0..<5 {
            XCTAssertEqual(Array(try XCTUnwrap(c.readFrame()).prefix(6)), Array("B300o\(i)".utf8))
        }
        // The connection goes back to answering on the event loop once the pool work is done.
        XCTAssertTrue(c.send(payload: Array("B20002ok".utf8)))
        XCTAssertEqual(try XCTUnwrap(c.readFrame()), Array("B300ok".utf8))
    }

    /// A key generation runs on the pool: another connection on the same (only) event loop is
    /// answered while it runs.
    func testKeyGenerationDoesNotHoldTheEventLoop() throws {
        let slow = try XCTUnwrap(LoopbackClient(port: port, timeoutSeconds: 60))
        let quick = try XCTUnwrap(LoopbackClient(port: port, timeoutSeconds: 10))
        // A 4096-bit generation (a prime search: hundreds of milliseconds to seconds here);
        // the echo is sent once it has started.
        XCTAssertTrue(slow.send(payload: try RSAGenerateRequest(modulusBits: 4096).payload()))
        usleep(5_000)
        XCTAssertTrue(quick.send(payload: Array("B20002hi".utf8)))
        XCTAssertEqual(try XCTUnwrap(quick.readFrame()), Array("B300hi".utf8))
        XCTAssertFalse(readable(slow), "the echo waited for the key generation")
        XCTAssertEqual(Array(try XCTUnwrap(slow.readFrame()).prefix(4)), Array("EJ00".utf8))
    }

    /// The thread-pool dispatch answers the same way (the benchmark's baseline).
    func testThreadPoolDispatchAnswersInOrder() throws {
        let other = EVSMHostServer()
        let p = try other.start(device: try Device(stateDirectory: nil, mode: .testLMK), host: "127.0.0.1", port: 0,
                                headerLength: 0, eventLoops: 1, workers: 2, dispatch: .threadPool)
        defer { other.stop() }
        let c = try XCTUnwrap(LoopbackClient(port: p))
        var raw: [UInt8] = []
        for i in 0..<8 { try FrameCodec.encode(header: [UInt8](), payload: Array("B20002p\(i)".utf8), into: &raw) }
        XCTAssertTrue(c.send(raw: raw))
        for i in 0..<8 { XCTAssertEqual(try XCTUnwrap(c.readFrame()), Array("B300p\(i)".utf8)) }
    }
}
