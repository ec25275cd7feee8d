import XCTest
import Foundation
import HostProtocol
import EVSMKit
import EVSMServer

/// The SwiftNIO host listener over loopback, with a raw socket client.
final class HostServerTests: XCTestCase {
    var server: EVSMHostServer!
    var port = 0
    let header = Array("0000".utf8)

    override func setUpWithError() throws {
        server = EVSMHostServer()
        port = try server.start(device: try Device(stateDirectory: nil, mode: .testLMK), host: "127.0.0.1", port: 0,
                                headerLength: 4, maxFrameLength: 1024, eventLoops: 2, workers: 2)
        XCTAssertGreaterThan(port, 0)
    }

    override func tearDown() {
        server.stop()
        server = nil
    }

    func reply(_ c: LoopbackClient, file: StaticString = #filePath, line: UInt = #line) throws -> HostResponse {
        let body = try XCTUnwrap(c.readFrame(), "no reply", file: file, line: line)
        return HostResponse(header: Array(body.prefix(4)), code: CommandCode(body[4], body[5]),
                            error: HostResponse.parseErrorCode(body[6], body[7]) ?? .internalError, fields: body[8...])
    }

    func testRequestsAnsweredInOrderWithEchoedHeader() throws {
        let c = try XCTUnwrap(LoopbackClient(port: port))
        // Three frames in one write: replies come back in order.
        var raw: [UInt8] = []
        try FrameCodec.encode(header: Array("ABCD".utf8), payload: Array("NC".utf8), into: &raw)
        try FrameCodec.encode(header: Array("EFGH".utf8), payload: Array("B20003xyz".utf8), into: &raw)
        try FrameCodec.encode(header: Array("IJKL".utf8), payload: Array("CR0008".utf8), into: &raw)
        XCTAssertTrue(c.send(raw: raw))
        let r1 = try reply(c), r2 = try reply(c), r3 = try reply(c)
        XCTAssertEqual(r1.header, Array("ABCD".utf8))
        XCTAssertEqual(r1.code, CommandCode("ND"))
        XCTAssertEqual(r2.header, Array("EFGH".utf8))
        XCTAssertEqual(Array(r2.fields), Array("xyz".utf8))
        XCTAssertEqual(r3.code, CommandCode("CS"))
        XCTAssertEqual(r3.fields.count, 8)
    }

    func testGarbageAndOversizeFramesGetErrorsAndTheConnectionContinues() throws {
        let c = try XCTUnwrap(LoopbackClient(port: port))
        // Garbage: a command code that is not ASCII.
        XCTAssertTrue(c.send(header: header, payload: [0x01, 0x02, 0xFF]))
        let g = try reply(c)
        XCTAssertEqual(g.error, .invalidInput)
        XCTAssertEqual(g.header, header)
        // Oversize (limit 1024 here): answered with 80 under the command's reply code, then skipped.
        XCTAssertTrue(c.send(header: header, payload: Array("B2".utf8) + [UInt8](repeating: 0x41, count: 2000)))
        let o = try reply(c)
        XCTAssertEqual(o.code, CommandCode("B3"))
        XCTAssertEqual(o.error, .lengthError)
        // Still in step.
        XCTAssertTrue(c.send(header: header, payload: Array("B20002ok".utf8)))
        XCTAssertEqual(Array(try reply(c).fields), Array("ok".utf8))
        // Unknown command.
        XCTAssertTrue(c.send(header: header, payload: Array("QQ".utf8)))
        XCTAssertEqual(try reply(c).error, .commandNotSupported)
    }

    func testEmptyFrameClosesTheConnection() throws {
        let c = try XCTUnwrap(LoopbackClient(port: port))
        XCTAssertTrue(c.send(raw: [0, 0]))
        XCTAssertTrue(c.isClosedByPeer())
        // The server still takes new connections.
        let c2 = try XCTUnwrap(LoopbackClient(port: port))
        XCTAssertTrue(c2.send(header: header, payload: Array("NC".utf8)))
        XCTAssertEqual(try reply(c2).error, .ok)
    }

    func testManyConcurrentConnections() throws {
        let failures = NSLock()
        var failed = 0
        let port = self.port
        let header = self.header
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            guard let c = LoopbackClient(port: port) else { failures.withLock { failed += 1 }; return }
            for j in 0..<25 {
                let data = Array("conn\(i)-req\(j)".utf8)
                var p = Array("B2".utf8)
                p += Array(String(format: "%04X", data.count).utf8) + data
                guard c.send(header: header, payload: p), let body = c.readFrame(), Array(body.dropFirst(8)) == data else {
                    failures.withLock { failed += 1 }
                    return
                }
            }
        }
        XCTAssertEqual(failed, 0)
    }

    func testStopClosesConnectionsAndTheListener() throws {
        let c = try XCTUnwrap(LoopbackClient(port: port))
        XCTAssertTrue(c.send(header: header, payload: Array("NC".utf8)))
        _ = try reply(c)
        server.stop()
        XCTAssertTrue(c.isClosedByPeer())
        XCTAssertNil(LoopbackClient(port: port, timeoutSeconds: 1))
        server.stop()  // idempotent
    }
}
