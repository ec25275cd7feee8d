// The TLS host port of the emulator: the same host-command protocol as `EVSMHostServer`
// (2-byte length, header of `headerLength` bytes echoed, the same frame rules:
// `HostFrameResponder`, limit `limits.maxFrameLength`), inside TLS
// (OpenSSL libssl). One thread per connection (non-blocking socket, poll waits with the idle and frame
// deadlines of `limits`: `ReadDeadline`, `DeadlineTLS`), at most `limits.maxConnections` at
// once; more are closed at once (listening socket and accept loop: `BlockingTLSListener`). Optional mutual TLS: with a client CA file, a client must
// present a certificate that verifies against it.
import COpenSSL
import EVSMKit
import Foundation
import HostProtocol
import HSMCrypto
import HSMNet
import Logging
#if canImport(Glibc)
import Glibc
#endif

public struct HostTLSError: Error, CustomStringConvertible {
    public let message: String
    public init(_ m: String) { message = m }
    public var description: String { message }
}

/// TLS settings of the host port.
public struct HostTLSOptions: Sendable {
    /// PEM certificate (chain) of the device.
    public var certFile: String
    /// PEM private key of that certificate.
    public var keyFile: String
    /// PEM CAs for client certificates: when set, a client must present a certificate that
    /// verifies against them (mutual TLS).
    public var clientCAFile: String?
    /// Lowest accepted version (default TLS 1.2).
    public var minVersion: Int32 = TLS1_2_VERSION
    /// Highest offered version (default TLS 1.3; tests lower it to see a TLS 1.2 handshake).
    public var maxVersion: Int32 = TLS1_3_VERSION

    public init(certFile: String, keyFile: String, clientCAFile: String? = nil) {
        self.certFile = certFile
        self.keyFile = keyFile
        self.clientCAFile = clientCAFile
    }
}

public final class HostTLSServer: @unchecked Sendable {
    public let logger: Logger
    /// Connection limits (idle timeout, frame deadline, cap, backlog); set before `start`.
    public var limits: ServerLimits {
        get { lock.withLock { _limits } }
        set { lock.withLock { _limits = newValue } }
    }
    private var _limits = ServerLimits.host
    /// Most connections served at once (`limits.maxConnections`); more are closed right after accept.
    public var maxConnections: Int {
        get { limits.maxConnections }
        set { limits.maxConnections = newValue }
    }
    /// Seconds a client has to complete the handshake.
    public var handshakeTimeout = 10

    private let lock = NSCondition()
    private var listenFD: Int32 = -1
    private var ctx: TLSServerContext?
    private var stopping = false
    private var connections: Set<Int32> = []
    private var acceptRunning = false
    private var boundPort = 0
    private var accepted = 0
    private let refusals = RefusalLog()

    /// The bound port (0 when not running).
    public var port: Int { lock.withLock { boundPort } }
    /// Connections open now.
    public var openConnections: Int { lock.withLock { connections.count } }
    /// Connections accepted (and admitted) since this server was created.
    public var acceptedConnections: Int { lock.withLock { accepted } }

    public init(logger: Logger = Logger(label: "evsm.tls")) {
        self.logger = logger
    }

    deinit { stop() }

    /// Builds the server context from the files; errors name the file and OpenSSL's reason.
    static func makeContext(_ o: HostTLSOptions) throws -> TLSServerContext {
        do {
            return try TLSServerContext.make(
                identity: .files(certificate: o.certFile, certificateOption: "--tls-cert", key: o.keyFile, keyOption: "--tls-key"),
                minVersion: o.minVersion, maxVersion: o.maxVersion,
                clientCA: o.clientCAFile.map { TLSServerContext.ClientCA(file: $0, option: "--tls-client-ca") },
                // Resumption: the built-in server cache (TLS 1.2 session ids) and tickets (both).
                sessionIDContext: "evsm-host")
        } catch let f as TLSServerContext.Failure {
            throw HostTLSError(f.message)
        }
    }

    /// Binds and starts serving; returns the bound port (an ephemeral one for `port` 0).
    @discardableResult
    public func start(device: Device, options: HostTLSOptions, host: String = "127.0.0.1", port: Int = 0,
                      headerLength: Int = 0) throws -> Int {
        guard headerLength >= 0, headerLength <= FrameCodec.maxHeaderLength else {
            throw EVSMServerError.invalidHeaderLength(headerLength)
        }
        guard lock.withLock({ listenFD < 0 && !acceptRunning }) else { throw EVSMServerError.alreadyRunning }
        ignoreSIGPIPE()
        let tls = try Self.makeContext(options)
        let fd: Int32, bound: Int
        switch BlockingTLSListener.bindAndListen(host: host, port: port, backlog: limits.backlog) {
        case .success(let l): (fd, bound) = (l.fd, l.port)
        case .failure(let f):
            throw HostTLSError(f.message(address: "the TLS host address", host: host, port: port))
        }
        lock.withLock {
            listenFD = fd
            ctx = tls
            boundPort = bound
            stopping = false
            acceptRunning = true
        }
        guard let t = NativeThread.start(name: "evsm-tls-accept", { [self] in acceptLoop(fd, device: device, headerLength: headerLength) }) else {
            lock.withLock {
                close(listenFD)
                listenFD = -1
                ctx = nil
                boundPort = 0
                acceptRunning = false
            }
            throw HostTLSError("cannot start the TLS host port's accept thread")
        }
        t.detach()
        logger.info("TLS host port listening", metadata: [
            "address": "\(host):\(bound)", "header-length": "\(headerLength)",
            "client-certificates": "\(options.clientCAFile == nil ? "not required" : "required")",
        ])
        return bound
    }

    /// Stops accepting, closes every connection and waits (bounded, 5 s) for their threads.
    /// Idempotent.
    public func stop() {
        lock.lock()
        guard listenFD >= 0, !stopping else { lock.unlock(); return }
        stopping = true
        // Wake blocked reads: their threads see EOF and end.
        for c in connections { _ = shutdown(c, Int32(SHUT_RDWR)) }
        let until = Date().addingTimeInterval(5)
        while (acceptRunning || !connections.isEmpty) && lock.wait(until: until) {}
        close(listenFD)
        listenFD = -1
        ctx = nil  // freed with the last reference; live SSLs hold their own
        boundPort = 0
        lock.unlock()
        logger.info("TLS host port stopped")
    }

    private func acceptLoop(_ fd: Int32, device: Device, headerLength: Int) {
        defer { lock.withLock { acceptRunning = false; lock.broadcast() } }
        BlockingTLSListener.acceptLoop(
            fd, pollMilliseconds: 100, closeOnExec: true, connectionThreadName: "evsm-tls-conn",
            isStopping: { lock.withLock { stopping } },
            admit: { c in
                lock.withLock {
                    if stopping || connections.count >= _limits.maxConnections { return false }
                    connections.insert(c)
                    accepted += 1
                    return true
                }
            },
            refused: { [refusals] in
                if let n = refusals.refused() {
                    logger.warning("TLS host connection refused: \(maxConnections) connections already open (--max-connections); \(n) refused since the last such line")
                }
            },
            serve: { [self] c in
                serve(c, device: device, headerLength: headerLength)
                lock.withLock {
                    connections.remove(c)
                    close(c)
                    lock.broadcast()
                }
            })
    }

    private func serve(_ fd: Int32, device: Device, headerLength: Int) {
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        DeadlineTLS.makeNonBlocking(fd)
        let (idle, frameTimeout, maxFrameLength) = lock.withLock { (_limits.idleTimeout, _limits.frameTimeout, _limits.maxFrameLength) }
        var deadline = ReadDeadline(fd: fd, idle: idle, frame: frameTimeout)
        deadline.fixed(Double(handshakeTimeout))
        guard let tls = lock.withLock({ ctx }), let ssl = SSL_new(tls.ctx) else { return }
        defer { SSL_free(ssl) }
        _ = SSL_set_fd(ssl, fd)
        guard DeadlineTLS.accept(ssl, &deadline) else {
            logger.notice("TLS host connection: handshake failed or not done within \(handshakeTimeout) s: \(OpenSSLErrorQueue.drain())")
            ERR_clear_error()
            return
        }
        device.metrics.connectionOpened()  // metrics:
        defer { device.metrics.connectionClosed() }
        let version = SSL_get_version(ssl).map { String(cString: $0) } ?? "?"
        logger.info("TLS host connection opened", metadata: [
            "version": "\(version)", "resumed": "\(SSL_session_reused(ssl) == 1)",
        ])
        var served = 0
        var prefix = [UInt8](repeating: 0, count: 2)
        var body: [UInt8] = []
        var skipped: [UInt8] = []
        var ended = "closed by the peer"
        let rules = HostFrameRules(limit: maxFrameLength, headerLength: headerLength)
        let responder = HostFrameResponder(device: device, headerLength: headerLength)
        /// Reads `n` bytes into `into`; false (with `ended` set) when the connection ends.
        func read(_ n: Int, into buffer: inout [UInt8]) -> Bool {
            let r = DeadlineTLS.read(ssl, n, into: &buffer, &deadline)
            if r == .expired { ended = deadline.expiredReason }
            return r == .bytes
        }
        /// The next frame as the rules read it; nil when the connection ended (`ended` says why).
        func readFrame() -> HostFrame? {
            guard read(2, into: &prefix) else { return nil }
            switch rules.plan(length: FrameCodec.bodyLength(prefix[0], prefix[1])) {
            case .empty:
                return .empty
            case .request(let n):
                return read(n, into: &body) ? .request(body) : nil
            case let .oversize(want, length):
                guard read(want, into: &body) else { return nil }
                var left = length - want
                while left > 0 {
                    guard read(min(left, 4096), into: &skipped) else { return nil }
                    left -= skipped.count
                }
                logger.warning("oversize frame answered with error 80 and skipped")
                return .oversize(prefix: body)
            }
        }
        frames: while !lock.withLock({ stopping }) {
            deadline.awaitFrame()
            // The frame (a copy of `body`) lives in this expression only, so the wipe below
            // zeroes the one buffer in place.
            guard let action = readFrame().map({ responder.respond(to: $0) }) else { break }
            SecureBytes.wipe(&body)  // a request may carry a clear PIN (BA); the buffer is reused
            switch action {
            case .close(let reason):
                logger.warning("\(reason): closing the TLS connection")
                ended = reason
                break frames
            case .reply(let reply):
                guard DeadlineTLS.write(ssl, reply, &deadline) else {
                    ended = "reply not written (peer gone or not reading for --idle-timeout)"
                    break frames
                }
            }
            served += 1
        }
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
        if ended.hasPrefix("idle") || ended.hasPrefix("a frame") {
            logger.notice("TLS host connection closed: \(ended)", metadata: ["requests": "\(served)"])
        } else {
            logger.info("TLS host connection closed", metadata: ["requests": "\(served)", "reason": "\(ended)"])
        }
    }
}
