import XCTest
import Foundation
import HostProtocol
import EVSMKit
import EVSMServer

/// Issue 19.5: a client that sends frames and never reads its replies must not make evsm
/// buffer without bound: evsm stops reading from that connection, so the client's sends
/// stall once the socket buffers are full (counted in bytes the client got rid of).
final class HostBackpressureTests: XCTestCase {
    func testClientThatNeverReadsIsStalledNotBuffered() throws {
        let server = EVSMHostServer()
        defer { server.stop() }
        let port = try server.start(device: try Device(stateDirectory: nil, mode: .testLMK), host: "127.0.0.1", port: 0,
                                    headerLength: 0, eventLoops: 1, workers: 2)
        let c = try XCTUnwrap(LoopbackClient(port: port, timeoutSeconds: 1))
        var small: Int32 = 65_536
        setsockopt(c.fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(c.fd, SOL_SOCKET, SO_SNDBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        // B2 echo of 4000 bytes: each reply is as long as its request.
        var frame: [UInt8] = []
        try FrameCodec.encode(header: [], payload: Array("B20FA0".utf8) + [UInt8](repeating: 0x41, count: 4000), into: &frame)
        let total = 10_000  // 40 MB if evsm read everything
        var sent = 0
        while sent < total, c.send(raw: frame) { sent += 1 }  // a send that stalls 1 s ends the loop
        XCTAssertLessThan(sent, total, "evsm kept reading although no reply was consumed")
        XCTAssertLessThan(sent * frame.count, 30_000_000, "\(sent) frames went in before the client was stalled")
        // The stalled client's replies are all there, in order, once it reads.
        var read = 0
        while read < min(sent, 50), let body = c.readFrame() {
            XCTAssertEqual(Array(body.prefix(4)), Array("B300".utf8))
            read += 1
        }
        XCTAssertEqual(read, min(sent, 50))
        // Other connections are served meanwhile.
        let other = try XCTUnwrap(LoopbackClient(port: port))
        XCTAssertTrue(other.send(payload: Array("NC".utf8)))
        XCTAssertEqual(other.readFrame().map { Array($0.prefix(4)) }, Array("ND00".utf8))
    }
}
