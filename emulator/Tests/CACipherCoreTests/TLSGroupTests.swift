import EVSMKit
import EVSMServer
import Foundation
import HostProtocol
import HSMNet
import XCTest
@testable import CACipherCore

/// TLS members in a host group: same answers as over TCP, failover when a TLS member dies,
/// resumption of pooled reconnects, header length over TLS.
final class TLSGroupTests: TLSTestCase {
    private func text(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }

    /// Published answers under the payShield test LMK (copied from EVSMKitTests'
    /// KnownAnswerTests, source [LB] there): BU of a triple-length ZPK, X9.19 MAC with a TAK.
    private let commands: [(String, String)] = [
        ("NC", "ND00" + testDMKCheckValue),
        ("BU012T971803BA969012152827CC97A98D18D50BE6559CDFF6F7E1", "BV006EC2A9AE788F"),
        ("M600130003U90A17A99E4BA32475E692D7AAE177BBD00101234567887654321", "M700934F05263310B6D3"),
        ("B20004ABCD", "B300ABCD"),
    ]

    func testSameResultsOverTLSAsOverTCP() throws {
        let device = try TLSFixture.device()
        let (_, tlsPort) = try fx.server(device: device)
        let tcpPort = try fx.plainServer(device: device)
        var tcpHost = HostConfig(section: "HOST1", host: "127.0.0.1", port: tcpPort)
        tcpHost.connTimeoutMs = 2000
        tcpHost.readTimeoutMs = 2000
        let tcp = HostGroup(hosts: [tcpHost], log: .off)
        let tls = HostGroup(hosts: [fx.host(tlsPort)], log: .off)
        defer { tcp.shutdown(); tls.shutdown() }
        for (cmd, expectedPrefix) in commands {
            let a = text(try tcp.transmit(Array(cmd.utf8)))
            let b = text(try tls.transmit(Array(cmd.utf8)))
            XCTAssertEqual(a, b, cmd)
            XCTAssertTrue(b.hasPrefix(expectedPrefix), "\(cmd): \(b)")
        }
        // An HSM error code is an answer over TLS too.
        XCTAssertEqual(String(text(try tls.transmit(Array("BU011P0123456789ABCDEF0123456789ABCDEF".utf8))).prefix(4)), "BV26")
        XCTAssertEqual(tls.memberStatus().first?.state, .up)
    }

    func testHeaderLengthOverTLS() throws {
        let (_, port) = try fx.server(headerLength: 6)
        var h = fx.host(port)
        h.headerLength = 6
        let g = HostGroup(hosts: [h], log: .off)
        defer { g.shutdown() }
        XCTAssertTrue(text(try g.transmit(Array("NC".utf8))).hasPrefix("ND00" + testDMKCheckValue))
    }

    func testTLSMemberKilledMidRunFailsOverWithoutFailedCalls() throws {
        let (first, p1) = try fx.server()
        let (_, p2) = try fx.server()
        let hosts = [fx.host(p1, section: "HOST1", connMs: 1000, readMs: 1000),
                     fx.host(p2, section: "HOST2", connMs: 1000, readMs: 1000)]
        let g = HostGroup(hosts: hosts, log: .off, options: GroupTest.options())
        defer { g.shutdown() }
        let tally = Tally()
        let stopAt = Date().addingTimeInterval(1.5)
        let finished = runConcurrently(4, timeout: 30) { i in
            var n = 0
            while Date() < stopAt && n < 5000 {
                n += 1
                do {
                    let r = try g.transmit(Array("M600130003U90A17A99E4BA32475E692D7AAE177BBD00101234567887654321".utf8))
                    let good = String(decoding: r, as: UTF8.self) == "M700934F05263310B6D3"
                    tally.add(good ? nil : "wrong answer")
                } catch {
                    tally.add("\(error)")
                }
                if i == 0 && n == 20 { first.stop() }  // HOST1 dies while calls are in flight
            }
        }
        XCTAssertTrue(finished)
        XCTAssertEqual(tally.failed, [], "calls failed during failover")
        XCTAssertGreaterThan(tally.ok, 20)
        let status = g.memberStatus()
        XCTAssertEqual(status[0].state, .ejected)
        XCTAssertEqual(status[1].state, .up)
        XCTAssertGreaterThan(status[1].completed, 0)
    }

    func testForkedChildOpensItsOwnTLSConnectionsAndLeavesTheParentsAlone() throws {
        let (server, port) = try fx.server()
        var h = fx.host(port)
        h.linkNum = -1
        let g = HostGroup(hosts: [h], log: .off, options: GroupTest.options())
        defer { g.shutdown() }
        XCTAssertTrue(text(try g.transmit(Array("B20006before".utf8))) == "B300before")
        XCTAssertEqual(server.acceptedConnections, 1)

        let child = fork()
        if child == 0 {
            var ok = true
            for i in 0..<5 {
                ok = ok && (try? g.transmit(Array("B20006child\(i)".utf8))) == Array("B300child\(i)".utf8)
            }
            _exit(ok ? 0 : 1)
        }
        XCTAssertGreaterThan(child, 0, "fork failed")
        guard child > 0 else { return }
        let done = waitForChild(child)
        XCTAssertTrue(done.inTime, "the child finished in time")
        XCTAssertTrue(done.succeeded, "child calls succeeded (status \(done.status))")
        XCTAssertEqual(server.acceptedConnections, 2, "the child opened its own TLS connection")
        // The parent's TLS connection (its record sequence numbers) was not touched by the child.
        XCTAssertEqual(text(try g.transmit(Array("B20005after".utf8))), "B300after")
        XCTAssertEqual(server.acceptedConnections, 2, "the parent still uses its own connection")
    }

    func testPooledReconnectResumesAfterTheServerDroppedConnections() throws {
        let (_, port) = try fx.server()
        let member = GroupMember(index: 0, config: fx.host(port), maxReplyLength: FrameCodec.maxBodyLength, log: .off)
        guard let connector = member.connector as? TLSConnector else { return XCTFail("not a TLS connector") }
        let a = try connector.connectTLS(deadline: .after(milliseconds: 2000))
        _ = try TLSFixture.exchange(a, "NC")
        a.close()
        // Several later connections of the same member resume the one kept session.
        for _ in 0..<3 {
            let b = try connector.connectTLS(deadline: .after(milliseconds: 2000))
            XCTAssertTrue(b.sessionReused)
            _ = try TLSFixture.exchange(b, "NC")
            b.close()
        }
    }
}

/// Counts calls from many threads.
private final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var _ok = 0
    private var _failed: [String] = []
    func add(_ failure: String?) { lock.withLock { if let failure { _failed.append(failure) } else { _ok += 1 } } }
    var ok: Int { lock.withLock { _ok } }
    var failed: [String] { lock.withLock { _failed } }
}
