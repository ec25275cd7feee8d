import COpenSSL
import EVSMKit
import EVSMServer
import Foundation
import HostProtocol
import HSMNet
import Logging
import XCTest
@testable import CACipherCore

/// Throw-away certificates (scripts/make-test-certs.sh, made once per test class in a
/// temporary directory and removed after it), and
/// in-process evsm TLS host ports (127.0.0.1, ephemeral ports) for the TLS tests.
final class TLSFixture {
    let dir: String
    private var servers: [HostTLSServer] = []
    private var plain: [EVSMHostServer] = []

    /// Uses the certificates in `dir` (from `makeCertificates()`).
    init(dir: String) { self.dir = dir }

    /// Runs scripts/make-test-certs.sh into a new temporary directory and returns it.
    static func makeCertificates() throws -> String { try TestCertificates.make() }

    func path(_ name: String) -> String { dir + "/" + name }

    /// A test-LMK device (public test DMK, check value 08D7B4FB629D0885).
    static func device() throws -> Device { try Device(stateDirectory: nil, mode: .testLMK) }

    /// Starts a TLS host port presenting `cert` (`server`, `expired`, `wrong-name`,
    /// `other-server`); with `clientCA` client certificates are required.
    func server(cert: String = "server", clientCA: String? = nil, maxVersion: Int32 = TLS1_3_VERSION,
                device: Device? = nil, headerLength: Int = 0) throws -> (HostTLSServer, Int) {
        var o = HostTLSOptions(certFile: path(cert + ".pem"), keyFile: path(cert + "-key.pem"),
                               clientCAFile: clientCA.map { path($0) })
        o.maxVersion = maxVersion
        var logger = Logger(label: "test.tls")
        logger.logLevel = .critical
        let s = HostTLSServer(logger: logger)
        let port = try s.start(device: try device ?? Self.device(), options: o, host: "127.0.0.1", port: 0,
                               headerLength: headerLength)
        servers.append(s)
        return (s, port)
    }

    /// A plain host port on the same kind of device.
    func plainServer(device: Device) throws -> Int {
        var logger = Logger(label: "test.plain")
        logger.logLevel = .critical
        let s = EVSMHostServer(logger: logger)
        let port = try s.start(device: device, host: "127.0.0.1", port: 0, headerLength: 0, eventLoops: 1, workers: 2)
        plain.append(s)
        return port
    }

    /// A TLS host section for 127.0.0.1:`port` trusting the test CA.
    func host(_ port: Int, section: String = "HOST1", proto: SocketProtocol = .tls13, ca: String? = "ca.pem",
              connMs: Int = 2000, readMs: Int = 2000) -> HostConfig {
        var h = HostConfig(section: section, host: "127.0.0.1", port: port)
        h.socketProtocol = proto
        h.tls.caFile = ca.map { path($0) }
        h.connTimeoutMs = connMs
        h.readTimeoutMs = readMs
        h.linkNum = -2
        return h
    }

    /// Stops the servers (the certificate directory belongs to the test class).
    func close() {
        for s in servers { s.stop() }
        for s in plain { s.stop() }
        servers.removeAll()
        plain.removeAll()
    }

    // MARK: - Client side

    /// The TLS connector of `host` (fails the test when the context could not be built).
    static func connector(_ host: HostConfig, log: Log = .off) throws -> TLSConnector {
        guard let c = StreamConnectors.make(for: host, log: log) as? TLSConnector else {
            throw TransportFailure(.internal, "no TLS connector for \(host.section)", notSent: true)
        }
        return c
    }

    /// Connects, or returns the failure.
    static func connectFailure(_ host: HostConfig) -> TransportFailure? {
        do {
            let s = try StreamConnectors.make(for: host).connect(deadline: .after(milliseconds: host.connTimeoutMs))
            s.close()
            return nil
        } catch let f as TransportFailure {
            return f
        } catch {
            return TransportFailure(.internal, "\(error)", notSent: true)
        }
    }

    /// One exchange on a fresh connection over `stream`.
    static func exchange(_ stream: ByteStream, _ text: String, headerLength: Int = 0) throws -> String {
        let c = Connection(stream: stream, headerLength: headerLength, maxReplyLength: FrameCodec.maxBodyLength,
                           pooled: false, generation: 0)
        let bytes = Array(text.utf8)
        let reply = try c.exchange(bytes, command: CommandCode(bytes[0], bytes[1]), timeoutMs: 2000).bytes
        return String(decoding: reply, as: UTF8.self)
    }
}

/// The public test DMK's check value as `NC` reports it (docs/evsm.md).
let testDMKCheckValue = "08D7B4FB629D0885"

/// Base of the TLS test classes: throw-away certificates made once per class
/// (scripts/make-test-certs.sh) and a fresh `TLSFixture` per test, closed after it.
class TLSTestCase: XCTestCase {
    var fx: TLSFixture!

    nonisolated(unsafe) private static var certDir: String?

    override class func setUp() {
        super.setUp()
        certDir = try? TLSFixture.makeCertificates()
    }

    override class func tearDown() {
        if let d = certDir { try? FileManager.default.removeItem(atPath: d) }
        certDir = nil
        super.tearDown()
    }

    override func setUpWithError() throws {
        fx = TLSFixture(dir: try XCTUnwrap(Self.certDir, "make-test-certs.sh failed"))
    }

    override func tearDown() { fx?.close() }
}
