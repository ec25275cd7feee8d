import HSMNet
import XCTest

/// `TCPConnector` and `BlockingTLSListener`: the one connect and the one listen of the project.
final class ConnectorTests: XCTestCase {
    /// A loopback port nothing listens on (bound, then closed).
    private func closedPort() throws -> Int {
        guard case .success(let l) = BlockingTLSListener.bindAndListen(host: "127.0.0.1", port: 0, backlog: 1) else {
            throw XCTSkip("cannot bind a loopback port")
        }
        close(l.fd)
        return l.port
    }

    func testConnectToAClosedPortFailsAsNotSent() throws {
        let port = try closedPort()
        XCTAssertThrowsError(try TCPConnector(host: "127.0.0.1", port: port).connect(deadline: .after(milliseconds: 2000))) { error in
            guard let f = error as? TransportFailure else { return XCTFail("\(error)") }
            XCTAssertEqual(f.code, .connect)
            XCTAssertTrue(f.notSent)
            XCTAssertEqual(f.message, "cannot connect to 127.0.0.1:\(port): Connection refused")
        }
    }

    func testUnresolvableNumericHostFailsAsConnect() {
        XCTAssertThrowsError(try TCPConnector(host: "300.1.2.3", port: 1).connect(deadline: .after(milliseconds: 2000))) { error in
            XCTAssertEqual((error as? TransportFailure)?.code, .connect)
        }
    }

    func testListenerAcceptsAndConnectorConnects() throws {
        guard case .success(let l) = BlockingTLSListener.bindAndListen(host: "127.0.0.1", port: 0, backlog: 4) else {
            return XCTFail("bindAndListen failed")
        }
        defer { close(l.fd) }
        XCTAssertGreaterThan(l.port, 0)
        let stream = try TCPConnector(host: "127.0.0.1", port: l.port).connect(deadline: .after(milliseconds: 2000))
        defer { stream.close() }
        let tcp = try XCTUnwrap(stream as? TCPStream)
        XCTAssertEqual(tcp.intOption(level: Int32(IPPROTO_TCP), name: TCP_NODELAY), 1)
        XCTAssertEqual(tcp.descriptorFlags & FD_CLOEXEC, FD_CLOEXEC)
        let peer = accept(l.fd, nil, nil)
        XCTAssertGreaterThanOrEqual(peer, 0)
        defer { close(peer) }
        try Array("ping".utf8).withUnsafeBytes { try stream.sendAll($0, deadline: .after(milliseconds: 1000)) }
        var got = [UInt8](repeating: 0, count: 4)
        XCTAssertEqual(recv(peer, &got, 4, Int32(MSG_WAITALL)), 4)
        XCTAssertEqual(got, Array("ping".utf8))
    }

    func testBindToAnUnknownAddressFails() {
        guard case .failure(let f) = BlockingTLSListener.bindAndListen(host: "no.such.host.invalid", port: 0, backlog: 1) else {
            return XCTFail("bound an invalid name")
        }
        XCTAssertEqual(f.message(address: "the address", host: "no.such.host.invalid", port: 0),
                       "cannot resolve the address no.such.host.invalid")
    }
}
