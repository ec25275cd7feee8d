import COpenSSL
import EVSMKit
import EVSMServer
import Foundation
import HostProtocol
import HSMNet
import Logging
import XCTest

/// The evsm TLS host port (HostTLSServer) on 127.0.0.1 with a small blocking OpenSSL client.
final class HostTLSServerTests: XCTestCase {
    nonisolated(unsafe) private static var certDir: String?
    private var dir: String { Self.certDir ?? "/nonexistent" }
    private var server: HostTLSServer!

    /// Certificates from scripts/make-test-certs.sh, once for the class, removed after it.
    override class func setUp() {
        super.setUp()
        certDir = try? TestCertificates.make(prefix: "evsm-hosttls")
    }

    override class func tearDown() {
        if let d = certDir { try? FileManager.default.removeItem(atPath: d) }
        certDir = nil
        super.tearDown()
    }

    override func setUpWithError() throws {
        XCTAssertNotNil(Self.certDir, "make-test-certs.sh failed")
        var logger = Logger(label: "test.hosttls")
        logger.logLevel = .critical
        server = HostTLSServer(logger: logger)
    }

    override func tearDown() {
        server?.stop()
        server = nil
    }

    private func options(clientCA: Bool = false) -> HostTLSOptions {
        HostTLSOptions(certFile: dir + "/server.pem", keyFile: dir + "/server-key.pem",
                       clientCAFile: clientCA ? dir + "/ca.pem" : nil)
    }

    private func start(headerLength: Int = 0, clientCA: Bool = false) throws -> Int {
        try server.start(device: try Device(stateDirectory: nil, mode: .testLMK), options: options(clientCA: clientCA),
                         host: "127.0.0.1", port: 0, headerLength: headerLength)
    }

    func testFramesAnsweredWithEchoedHeader() throws {
        let port = try start(headerLength: 4)
        let c = try XCTUnwrap(TLSTestClient(port: port, caFile: dir + "/ca.pem"))
        XCTAssertEqual(c.version, "TLSv1.3")
        XCTAssertTrue(c.send(Array("ABCDNC".utf8)))
        let r = try XCTUnwrap(c.readFrame())
        XCTAssertEqual(String(decoding: r.prefix(24), as: UTF8.self), "ABCDND0008D7B4FB629D0885")
        // An unparsable body is answered (15), the connection stays usable.
        XCTAssertTrue(c.send(Array("WXYZ?".utf8)))
        let bad = String(decoding: try XCTUnwrap(c.readFrame()), as: UTF8.self)
        XCTAssertTrue(bad.hasPrefix("WXYZ") && bad.hasSuffix("15"), bad)
        XCTAssertTrue(c.send(Array("EFGHB20003xyz".utf8)))
        XCTAssertEqual(String(decoding: try XCTUnwrap(c.readFrame()), as: UTF8.self), "EFGHB300xyz")
    }

    /// Both host ports (the SwiftNIO plain port and this TLS port) apply one set of frame
    /// rules (`HostFrameResponder`): the same reply bytes to an oversize frame, an unparsable
    /// body and a good request, each connection still usable after them, and both close on
    /// an empty frame.
    func testBothHostPortsAnswerOversizeGarbageAndEmptyFramesAlike() throws {
        var limits = ServerLimits.host
        limits.maxFrameLength = 64
        server.limits = limits
        let device = try Device(stateDirectory: nil, mode: .testLMK)
        let tlsPort = try server.start(device: device, options: options(), host: "127.0.0.1", port: 0, headerLength: 4)
        var logger = Logger(label: "test.hostplain")
        logger.logLevel = .critical
        let plain = EVSMHostServer(logger: logger)
        defer { plain.stop() }
        let plainPort = try plain.start(device: device, host: "127.0.0.1", port: 0, headerLength: 4,
                                        eventLoops: 1, workers: 1, limits: limits)
        let tls = try XCTUnwrap(TLSTestClient(port: tlsPort, caFile: dir + "/ca.pem"))
        let tcp = try XCTUnwrap(LoopbackClient(port: plainPort))
        let bodies: [(name: String, body: [UInt8])] = [
            ("oversize", Array("ABCDNC".utf8) + [UInt8](repeating: 0x41, count: 200)),
            ("one byte over", Array("IJKLB2".utf8) + [UInt8](repeating: 0x42, count: 59)),
            ("garbage", Array("WXYZ?".utf8)),
            ("good", Array("EFGHB20003xyz".utf8)),
            ("at the limit", Array("QRSTB20036".utf8) + [UInt8](repeating: 0x43, count: 54)),
        ]
        var replies: [String] = []
        for (name, body) in bodies {
            XCTAssertTrue(tls.send(body), name)
            XCTAssertTrue(tcp.send(raw: [UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body), name)
            let a = try XCTUnwrap(tls.readFrame(), "TLS port: no reply to the \(name) frame")
            let b = try XCTUnwrap(tcp.readFrame(), "plain port: no reply to the \(name) frame")
            XCTAssertEqual(a, b, "the ports answer the \(name) frame differently")
            replies.append(String(decoding: a, as: UTF8.self))
        }
        XCTAssertEqual(replies[0], "ABCDND80")
        XCTAssertEqual(replies[1], "IJKLB380")
        XCTAssertTrue(replies[2].hasPrefix("WXYZ") && replies[2].hasSuffix("15"), replies[2])
        XCTAssertEqual(replies[3], "EFGHB300xyz")
        XCTAssertEqual(replies[4], "QRSTB300" + String(repeating: "C", count: 54))
        // An empty frame: no reply, the connection is closed.
        XCTAssertTrue(tls.send([]))
        XCTAssertTrue(tcp.send(raw: [0, 0]))
        XCTAssertNil(tls.readFrame())
        XCTAssertTrue(tcp.isClosedByPeer())
    }

    func testEmptyFrameClosesTheConnection() throws {
        let port = try start()
        let c = try XCTUnwrap(TLSTestClient(port: port, caFile: dir + "/ca.pem"))
        XCTAssertTrue(c.send([]))
        XCTAssertNil(c.readFrame())
    }

    func testStopClosesOpenConnectionsAndIsIdempotent() throws {
        let port = try start()
        let clients = (0..<3).compactMap { _ in TLSTestClient(port: port, caFile: dir + "/ca.pem") }
        XCTAssertEqual(clients.count, 3)
        for c in clients {
            XCTAssertTrue(c.send(Array("NC".utf8)))
            XCTAssertNotNil(c.readFrame())
        }
        XCTAssertEqual(server.openConnections, 3)
        server.stop()
        XCTAssertEqual(server.openConnections, 0)
        XCTAssertEqual(server.port, 0)
        for c in clients { XCTAssertNil(c.readFrame(), "connection still open after stop") }
        server.stop()
        XCTAssertNil(TLSTestClient(port: port, caFile: dir + "/ca.pem"), "still accepting after stop")
    }

    func testConnectionCap() throws {
        server.maxConnections = 2
        let port = try start()
        let a = TLSTestClient(port: port, caFile: dir + "/ca.pem"), b = TLSTestClient(port: port, caFile: dir + "/ca.pem")
        XCTAssertNotNil(a)
        XCTAssertNotNil(b)
        if let c = TLSTestClient(port: port, caFile: dir + "/ca.pem") {
            // TLS 1.3: the client may finish before it sees that the server closed.
            XCTAssertTrue(!c.send(Array("NC".utf8)) || c.readFrame() == nil, "a third connection was served")
        }
        XCTAssertNotNil(a.flatMap { $0.send(Array("NC".utf8)) ? $0.readFrame() : nil })
    }

    func testSilentPeerDoesNotBlockOthers() throws {
        server.handshakeTimeout = 1
        let port = try start()
        // A TCP peer that never starts the handshake (reads time out after 5 s).
        let silent = try XCTUnwrap(LoopbackClient(port: port, timeoutSeconds: 5))
        let c = try XCTUnwrap(TLSTestClient(port: port, caFile: dir + "/ca.pem"))
        XCTAssertTrue(c.send(Array("NC".utf8)))
        XCTAssertNotNil(c.readFrame())
        // The silent one is dropped after the handshake timeout.
        XCTAssertTrue(silent.isClosedByPeer(), "the silent peer was not dropped")
    }

    func testMutualTLSRequiresAClientCertificate() throws {
        let port = try start(clientCA: true)
        let with = try XCTUnwrap(TLSTestClient(port: port, caFile: dir + "/ca.pem", cert: dir + "/client.pem",
                                               key: dir + "/client-key.pem"))
        XCTAssertTrue(with.send(Array("NC".utf8)))
        XCTAssertNotNil(with.readFrame())
        if let without = TLSTestClient(port: port, caFile: dir + "/ca.pem") {
            XCTAssertTrue(!without.send(Array("NC".utf8)) || without.readFrame() == nil, "served without a certificate")
        }
    }

    func testUnusableFilesAreErrorsNamingTheFile() throws {
        let device = try Device(stateDirectory: nil, mode: .testLMK)
        let garbage = dir + "/garbage.pem"
        _ = FileManager.default.createFile(atPath: garbage, contents: Data("junk\n".utf8))
        let cases: [(HostTLSOptions, String)] = [
            (HostTLSOptions(certFile: dir + "/missing.pem", keyFile: dir + "/server-key.pem"), "missing.pem"),
            (HostTLSOptions(certFile: garbage, keyFile: dir + "/server-key.pem"), "garbage.pem"),
            (HostTLSOptions(certFile: dir + "/server.pem", keyFile: dir + "/client-key.pem"), "client-key.pem"),
            (HostTLSOptions(certFile: dir + "/server.pem", keyFile: dir + "/server-key.pem", clientCAFile: garbage), "garbage.pem"),
        ]
        for (o, name) in cases {
            XCTAssertThrowsError(try server.start(device: device, options: o, host: "127.0.0.1", port: 0)) { e in
                XCTAssertTrue("\(e)".contains(name), "\(name): \(e)")
            }
            XCTAssertEqual(server.port, 0)
        }
    }
}

/// A blocking TLS client for these tests (timeouts of 3 s on the socket).
final class TLSTestClient {
    private let ctx: OpaquePointer
    private let ssl: OpaquePointer
    private let fd: Int32

    init?(port: Int, caFile: String, cert: String? = nil, key: String? = nil) {
        guard let ctx = SSL_CTX_new(TLS_client_method()) else { return nil }
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
        guard SSL_CTX_load_verify_locations(ctx, caFile, nil) == 1 else { SSL_CTX_free(ctx); return nil }
        if let cert, let key {
            guard SSL_CTX_use_certificate_chain_file(ctx, cert) == 1,
                  SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) == 1 else { SSL_CTX_free(ctx); return nil }
        }
        // HSMNet's connector, then a blocking socket with kernel timeouts for OpenSSL.
        let fd = (try? TCPConnector(host: "127.0.0.1", port: port).connectDescriptor(deadline: .after(milliseconds: 3000))) ?? -1
        if fd >= 0 {
            SocketMode.setNonBlocking(fd, false)
            SocketMode.setTimeouts(fd, seconds: 3)
        }
        guard fd >= 0, let ssl = SSL_new(ctx) else {
            if fd >= 0 { close(fd) }
            SSL_CTX_free(ctx)
            return nil
        }
        _ = SSL_set_fd(ssl, fd)
        guard SSL_connect(ssl) == 1 else {
            ERR_clear_error()
            SSL_free(ssl); close(fd); SSL_CTX_free(ctx)
            return nil
        }
        self.ctx = ctx
        self.ssl = ssl
        self.fd = fd
    }

    deinit {
        SSL_free(ssl)
        close(fd)
        SSL_CTX_free(ctx)
    }

    var version: String { SSL_get_version(ssl).map { String(cString: $0) } ?? "" }

    /// Sends one frame (2-byte length + body).
    func send(_ body: [UInt8]) -> Bool {
        let frame = [UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
        let n = frame.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32(frame.count)) }
        ERR_clear_error()
        return n == Int32(frame.count)
    }

    private func read(_ n: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: n)
        var got = 0
        while got < n {
            let r = out.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress! + got, Int32(n - got)) }
            if r <= 0 { ERR_clear_error(); return nil }
            got += Int(r)
        }
        return out
    }

    /// One reply body, nil on EOF, error or timeout.
    func readFrame() -> [UInt8]? {
        guard let p = read(2) else { return nil }
        return read(Int(p[0]) << 8 | Int(p[1]))
    }
}
