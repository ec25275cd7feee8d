import COpenSSL
import EVSMKit
import EVSMServer
import Foundation
import HostProtocol
import HSMNet
import XCTest
@testable import CACipherCore

/// The TLS transport against the evsm TLS host port on 127.0.0.1: versions, verification
/// (CA, name, expiry), mutual TLS, tlsVerify=0, resumption, timeouts and file errors.
final class TLSTransportTests: TLSTestCase {
    // MARK: - Versions

    func testTLS13HandshakeCarriesCommands() throws {
        let (_, port) = try fx.server()
        let s = try TLSFixture.connector(fx.host(port, proto: .tls13)).connectTLS(deadline: .after(milliseconds: 2000))
        defer { s.close() }
        XCTAssertEqual(s.protocolVersion, "TLSv1.3")
        let reply = try TLSFixture.exchange(s, "NC")
        XCTAssertTrue(reply.hasPrefix("ND00" + testDMKCheckValue), reply)
    }

    func testTLS12HandshakeWithAServerLimitedTo12() throws {
        let (_, port) = try fx.server(maxVersion: TLS1_2_VERSION)
        let s = try TLSFixture.connector(fx.host(port, proto: .tls12)).connectTLS(deadline: .after(milliseconds: 2000))
        defer { s.close() }
        XCTAssertEqual(s.protocolVersion, "TLSv1.2")
        XCTAssertTrue(try TLSFixture.exchange(s, "NC").hasPrefix("ND00" + testDMKCheckValue))
    }

    func testTLSv12SettingNegotiates13WhenTheServerCan() throws {
        let (_, port) = try fx.server()
        let s = try TLSFixture.connector(fx.host(port, proto: .tls12)).connectTLS(deadline: .after(milliseconds: 2000))
        defer { s.close() }
        XCTAssertEqual(s.protocolVersion, "TLSv1.3", "socketProtocol is a minimum, not a fixed version")
    }

    func testMinimumVersionIsEnforced() throws {
        let (_, port) = try fx.server(maxVersion: TLS1_2_VERSION)
        let f = TLSFixture.connectFailure(fx.host(port, proto: .tls13))
        XCTAssertEqual(f?.code, .tls)
        XCTAssertEqual(f?.notSent, true)
        XCTAssertTrue(f?.message.contains("version") ?? false, f?.message ?? "connected")
    }

    // MARK: - Verification

    func testUnknownCAIsRefusedWithVerifyError() throws {
        let (_, port) = try fx.server()
        let f = TLSFixture.connectFailure(fx.host(port, ca: "other-ca.pem"))
        XCTAssertEqual(f?.code, .tlsVerify)
        XCTAssertTrue(f?.message.contains("unable to get local issuer certificate") ?? false, f?.message ?? "connected")
        // And a server certificate from the other CA against our CA.
        let (_, otherPort) = try fx.server(cert: "other-server")
        XCTAssertEqual(TLSFixture.connectFailure(fx.host(otherPort))?.code, .tlsVerify)
    }

    func testWrongServerNameIsRefused() throws {
        let (_, port) = try fx.server(cert: "wrong-name")
        let f = TLSFixture.connectFailure(fx.host(port))
        XCTAssertEqual(f?.code, .tlsVerify)
        XCTAssertTrue(f?.message.lowercased().contains("mismatch") ?? false, f?.message ?? "connected")
        // tlsServerName names what the certificate must hold.
        var named = fx.host(port)
        named.tls.serverName = "hsm.example.invalid"
        XCTAssertNil(TLSFixture.connectFailure(named))
        // The right certificate with another expected name is refused too.
        let (_, good) = try fx.server()
        var other = fx.host(good)
        other.tls.serverName = "hsm.example.invalid"
        XCTAssertEqual(TLSFixture.connectFailure(other)?.code, .tlsVerify)
    }

    func testDNSServerNameMatchesTheCertificateSAN() throws {
        let (_, port) = try fx.server()
        var h = fx.host(port)
        h.tls.serverName = "localhost"
        XCTAssertNil(TLSFixture.connectFailure(h))
    }

    func testExpiredCertificateIsRefused() throws {
        let (_, port) = try fx.server(cert: "expired")
        let f = TLSFixture.connectFailure(fx.host(port))
        XCTAssertEqual(f?.code, .tlsVerify)
        XCTAssertTrue(f?.message.contains("expired") ?? false, f?.message ?? "connected")
    }

    func testVerifyOffAcceptsAnyCertificateAndWarns() throws {
        let (_, port) = try fx.server(cert: "other-server")
        var h = fx.host(port, ca: nil)
        h.tls.verify = false
        let sink = RecordingSink()
        let log = Log(categories: [.error, .warn], sink: sink)
        let s = try TLSFixture.connector(h, log: log).connectTLS(deadline: .after(milliseconds: 2000))
        defer { s.close() }
        XCTAssertTrue(try TLSFixture.exchange(s, "NC").hasPrefix("ND00"))
        XCTAssertTrue(sink.contains(.warn, "HOST1", "tlsVerify=0", "NOT verified"), "\(sink.lines)")
        // With verification on, the same server is refused.
        XCTAssertEqual(TLSFixture.connectFailure(fx.host(port))?.code, .tlsVerify)
    }

    func testVerifyOffWarningAtEveryOpen() throws {
        let (_, port) = try fx.server()
        var h = fx.host(port)
        h.tls.verify = false
        var config = CACipherConfig()
        config.hosts = [h]
        config.logger.categories = [.warn]
        for _ in 0..<2 {
            let sink = RecordingSink()
            let client = CACipherClient(config: config, logSink: sink)
            XCTAssertTrue(String(decoding: try client.transmit(Array("NC".utf8)), as: UTF8.self).hasPrefix("ND00"))
            client.close()
            XCTAssertTrue(sink.contains(.warn, "HOST1 (127.0.0.1:\(port))", "tlsVerify=0"), "\(sink.lines)")
        }
    }

    // MARK: - Mutual TLS

    func testMutualTLSWithAndWithoutClientCertificate() throws {
        let (_, port) = try fx.server(clientCA: "ca.pem")
        var withCert = fx.host(port)
        withCert.tls.certFile = fx.path("client.pem")
        withCert.tls.keyFile = fx.path("client-key.pem")
        let s = try TLSFixture.connector(withCert).connectTLS(deadline: .after(milliseconds: 2000))
        XCTAssertTrue(try TLSFixture.exchange(s, "NC").hasPrefix("ND00" + testDMKCheckValue))
        s.close()

        // Without a certificate: TLS 1.3 reports the server's refusal on the first read.
        for h in [fx.host(port), { var o = withCert; o.tls.certFile = fx.path("other-client.pem")
                                   o.tls.keyFile = fx.path("other-client-key.pem"); return o }()] {
            do {
                let s2 = try TLSFixture.connector(h).connectTLS(deadline: .after(milliseconds: 2000))
                defer { s2.close() }
                _ = try TLSFixture.exchange(s2, "NC")
                XCTFail("the server accepted a client without a valid certificate")
            } catch let f as TransportFailure {
                XCTAssertTrue(f.code == .tls || f.code == .io, "\(f.code) \(f.message)")
                // The alert when it could be read; else the server's close or reset.
                XCTAssertTrue(["alert", "closed", "reset"].contains { f.message.contains($0) }, f.message)
            }
        }
    }

    func testClientCertificateAndKeyInOneFile() throws {
        let (_, port) = try fx.server(clientCA: "ca.pem")
        let both = fx.path("client-both.pem")
        let pem = try String(contentsOfFile: fx.path("client.pem"), encoding: .utf8)
            + (try String(contentsOfFile: fx.path("client-key.pem"), encoding: .utf8))
        _ = FileManager.default.createFile(atPath: both, contents: Data(pem.utf8), attributes: [.posixPermissions: 0o600])
        var h = fx.host(port)
        h.tls.certFile = both
        let s = try TLSFixture.connector(h).connectTLS(deadline: .after(milliseconds: 2000))
        defer { s.close() }
        XCTAssertTrue(try TLSFixture.exchange(s, "NC").hasPrefix("ND00"))
    }

    // MARK: - Resumption

    func testReconnectResumesTheSession() throws {
        for (proto, max) in [(SocketProtocol.tls13, TLS1_3_VERSION), (.tls12, TLS1_2_VERSION)] {
            let (_, port) = try fx.server(maxVersion: max)
            let connector = try TLSFixture.connector(fx.host(port, proto: proto))
            let first = try connector.connectTLS(deadline: .after(milliseconds: 2000))
            XCTAssertFalse(first.sessionReused)
            // TLS 1.3 tickets arrive after the handshake: the first read takes them in.
            _ = try TLSFixture.exchange(first, "NC")
            first.close()
            XCTAssertTrue(connector.context.hasSession, "\(proto): no session kept")
            let second = try connector.connectTLS(deadline: .after(milliseconds: 2000))
            defer { second.close() }
            XCTAssertTrue(second.sessionReused, "\(proto): reconnect did not resume")
            XCTAssertEqual(second.protocolVersion, proto.rawValue)
            XCTAssertTrue(try TLSFixture.exchange(second, "NC").hasPrefix("ND00"))
        }
    }

    // MARK: - Timeouts, idle checks, errors

    func testHandshakeIsBoundedByTheConnectTimeout() throws {
        // A listener that never accepts: TCP connects (backlog), the handshake never ends.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        XCTAssertEqual(listen(fd, 4), 0)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        let port = Int(UInt16(bigEndian: addr.sin_port))
        let h = fx.host(port, connMs: 300)
        let (f, seconds) = GroupTest.timed { TLSFixture.connectFailure(h) }
        XCTAssertEqual(f?.code, .tls)
        XCTAssertTrue(f?.message.contains("timed out") ?? false, f?.message ?? "connected")
        XCTAssertLessThan(seconds, 5, "the handshake must stop at the connect timeout")
    }

    func testIdleConnectionStaysReusableAndNoticesAStoppedServer() throws {
        let (server, port) = try fx.server()
        let s = try TLSFixture.connector(fx.host(port)).connectTLS(deadline: .after(milliseconds: 2000))
        defer { s.close() }
        _ = try TLSFixture.exchange(s, "NC")
        usleep(50_000)
        XCTAssertFalse(s.isStale(), "session tickets or nothing pending must not make an idle connection stale")
        server.stop()
        XCTAssertTrue(GroupTest.waitUntil(3) { s.isStale() }, "a closed peer must make the connection stale")
    }

    func testUnusableFilesAreClearErrorsNamingTheFile() throws {
        let (_, port) = try fx.server()
        let garbage = fx.path("garbage.pem")
        _ = FileManager.default.createFile(atPath: garbage, contents: Data("not a certificate\n".utf8))
        var cases: [(HostConfig, String)] = []
        var h = fx.host(port, ca: "missing-ca.pem"); cases.append((h, "missing-ca.pem"))
        h = fx.host(port, ca: "garbage.pem"); cases.append((h, "garbage.pem"))
        h = fx.host(port); h.tls.certFile = fx.path("client.pem"); h.tls.keyFile = fx.path("server-key.pem")
        cases.append((h, "server-key.pem"))
        h = fx.host(port); h.tls.certFile = garbage; h.tls.keyFile = fx.path("client-key.pem"); cases.append((h, "garbage.pem"))
        h = fx.host(port); h.tls.certFile = fx.path("client.pem"); h.tls.keyFile = fx.path("nope-key.pem")
        cases.append((h, "nope-key.pem"))
        h = fx.host(port); h.tls.keyFile = fx.path("client-key.pem"); cases.append((h, "tlsKeyFile"))
        for (host, name) in cases {
            let sink = RecordingSink()
            let connector = StreamConnectors.make(for: host, log: Log(categories: [.error], sink: sink))
            XCTAssertFalse(connector is TLSConnector, name)
            XCTAssertTrue(sink.contains(.error, "HOST1", name), "\(name): \(sink.lines)")
            do {
                _ = try connector.connect(deadline: .after(milliseconds: 500))
                XCTFail("\(name): connected")
            } catch let f as TransportFailure {
                XCTAssertEqual(f.code, .tls, name)
                XCTAssertTrue(f.message.contains(name), "\(name): \(f.message)")
                XCTAssertTrue(f.notSent)
            }
        }
    }

    func testCallerSeesTLSErrorWithReason() throws {
        let (_, port) = try fx.server(cert: "expired")
        var config = CACipherConfig()
        config.hosts = [fx.host(port)]
        let client = CACipherClient(config: config, logSink: nil)
        defer { client.close() }
        XCTAssertThrowsError(try client.transmit(Array("NC".utf8))) { e in
            let err = e as? CACipherError
            XCTAssertEqual(err?.code, CACipherError.Code.tlsVerify.rawValue)
            XCTAssertTrue(err?.message.contains("certificate has expired") ?? false, "\(e)")
        }
    }
}
