// The TLS host port of the emulator: the same host-command protocol as `EVSMHostServer`
// (2-byte length, header of `headerLength` bytes echoed, `Device.handle`), inside TLS
// (OpenSSL libssl). One thread per connection (non-blocking socket, poll waits with the idle and frame
// deadlines of `limits`: `ReadDeadline`, `DeadlineTLS`), at most `limits.maxConnections` at
// once; more are closed at once (listening socket and accept loop: `BlockingTLSListener`). Optional mutual TLS: with a client CA file, a client must
// present a certificate that verifies against it.
import COpenSSL
import EVSMKit
import Foundation
import HostProtocol
import HSMCrypto
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
    private var ctx: OpaquePointer?
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
    static func makeContext(_ o: HostTLSOptions) throws -> OpaquePointer {
        ERR_clear_error()
        guard let ctx = SSL_CTX_new(TLS_server_method()) else { throw HostTLSError("SSL_CTX_new: \(opensslReason())") }
        var ok = false
        defer { if !ok { SSL_CTX_free(ctx) } }
        guard SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(o.minVersion), nil) == 1,
              SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MAX_PROTO_VERSION, Int(o.maxVersion), nil) == 1 else {
            throw HostTLSError("TLS version range: \(opensslReason())")
        }
        for (what, path) in [("--tls-cert", o.certFile), ("--tls-key", o.keyFile)] + (o.clientCAFile.map { [("--tls-client-ca", $0)] } ?? []) {
            guard access(path, R_OK) == 0 else {
                throw HostTLSError("\(what) \(path): cannot read: \(String(cString: strerror(errno)))")
            }
        }
        guard SSL_CTX_use_certificate_chain_file(ctx, o.certFile) == 1 else {
            throw HostTLSError("--tls-cert \(o.certFile): no usable certificate: \(opensslReason())")
        }
        guard SSL_CTX_use_PrivateKey_file(ctx, o.keyFile, SSL_FILETYPE_PEM) == 1 else {
            throw HostTLSError("--tls-key \(o.keyFile): no usable private key: \(opensslReason())")
        }
        guard SSL_CTX_check_private_key(ctx) == 1 else {
            throw HostTLSError("--tls-key \(o.keyFile) does not match --tls-cert \(o.certFile)")
        }
        if let ca = o.clientCAFile {
            guard SSL_CTX_load_verify_locations(ctx, ca, nil) == 1 else {
                throw HostTLSError("--tls-client-ca \(ca): no usable CA certificate: \(opensslReason())")
            }
            if let names = SSL_load_client_CA_file(ca) { SSL_CTX_set_client_CA_list(ctx, names) }
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
        } else {
            SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nil)
        }
        // Resumption: the built-in server cache (TLS 1.2 session ids) and tickets (both).
        let sid = Array("evsm-host".utf8)
        _ = SSL_CTX_set_session_id_context(ctx, sid, UInt32(sid.count))
        _ = SSL_CTX_ctrl(ctx, SSL_CTRL_SET_SESS_CACHE_MODE, Int(SSL_SESS_CACHE_SERVER), nil)
        ERR_clear_error()
        ok = true
        return ctx
    }

    static func opensslReason() -> String {
        var parts: [String] = []
        while case let e = ERR_get_error(), e != 0 {
            if parts.count >= 3 { continue }
            var buf = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(e, &buf, buf.count)
            parts.append(String(cString: buf))
        }
        return parts.isEmpty ? "no OpenSSL error reported" : parts.joined(separator: "; ")
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
            SSL_CTX_free(tls)
            throw HostTLSError(f.message(address: "the TLS host address", host: host, port: port))
        }
        lock.withLock {
            listenFD = fd
            ctx = tls
            boundPort = bound
            stopping = false
            acceptRunning = true
        }
        let t = Thread { [self] in acceptLoop(fd, device: device, headerLength: headerLength) }
        t.name = "evsm-tls-accept"
        t.start()
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
        if let c = ctx { SSL_CTX_free(c) }  // live SSLs hold their own reference
        ctx = nil
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
        let (idle, frameTimeout) = lock.withLock { (_limits.idleTimeout, _limits.frameTimeout) }
        var deadline = ReadDeadline(fd: fd, idle: idle, frame: frameTimeout)
        deadline.fixed(Double(handshakeTimeout))
        guard let tls = lock.withLock({ ctx }), let ssl = SSL_new(tls) else { return }
        defer { SSL_free(ssl) }
        _ = SSL_set_fd(ssl, fd)
        guard DeadlineTLS.accept(ssl, &deadline) else {
            logger.notice("TLS host connection: handshake failed or not done within \(handshakeTimeout) s: \(Self.opensslReason())")
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
        var ended = "closed by the peer"
        while !lock.withLock({ stopping }) {
            deadline.awaitFrame()
            let r = DeadlineTLS.read(ssl, 2, into: &prefix, &deadline)
            guard r == .bytes else {
                if r == .expired { ended = deadline.expiredReason }
                break
            }
            let n = FrameCodec.bodyLength(prefix[0], prefix[1])
            if n == 0 {
                logger.warning("empty frame: closing the TLS connection")
                ended = "empty frame"
                break
            }
            let rb = DeadlineTLS.read(ssl, n, into: &body, &deadline)
            guard rb == .bytes else {
                if rb == .expired { ended = deadline.expiredReason }
                break
            }
            let rsp: HostResponse
            do {
                rsp = device.handle(try HostRequest(body: body, headerLength: headerLength))
            } catch {
                rsp = Device.errorBody(for: body, headerLength: headerLength)
            }
            SecureBytes.wipe(&body)  // a request may carry a clear PIN (BA); the buffer is reused
            guard DeadlineTLS.write(ssl, HostConnectionHandler.frame(rsp), &deadline) else {
                ended = "reply not written (peer gone or not reading for --idle-timeout)"
                break
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
