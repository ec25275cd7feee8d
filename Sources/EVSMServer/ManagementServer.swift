// The management listener: TLS (OpenSSL libssl) on a TCP port, default 127.0.0.1, one
// blocking thread per connection (an operator channel: few, short-lived connections).
// Each connection speaks length-prefixed management frames (see ManagementMessage) and owns
// at most one recovery session, abandoned when it closes.
import COpenSSL
import EVSMKit
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

public final class ManagementServer: @unchecked Sendable {
    public let service: CeremonyService
    public let identity: ManagementIdentity
    public let host: String
    /// Idle time after which a connection is dropped (its session abandoned).
    public var idleTimeout = 300
    /// Time allowed for the TLS handshake.
    public var handshakeTimeout = 10
    /// Most connections served at once; more are refused.
    public var maxConnections = 8

    private let logger: Logger
    private let lock = NSLock()
    private var listenFD: Int32 = -1
    private var ctx: OpaquePointer?
    private var stopping = false
    private var active = 0
    private var acceptThread: Thread?
    private let acceptDone = DispatchSemaphore(value: 0)
    public private(set) var port: Int

    public init(service: CeremonyService, identity: ManagementIdentity, host: String = "127.0.0.1", port: Int = 0,
                logger: Logger = Logger(label: "evsm.mgmt")) {
        self.service = service
        self.identity = identity
        self.host = host
        self.port = port
        self.logger = logger
    }

    deinit { stop() }

    /// Binds and starts accepting; returns the bound port.
    @discardableResult
    public func start() throws -> Int {
        ignoreSIGPIPE()
        let tls = try identity.serverContext()
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var res: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &res) == 0, let ai = res else {
            SSL_CTX_free(tls)
            throw ManagementTLSError("cannot resolve management address \(host)")
        }
        defer { freeaddrinfo(res) }
        let fd = socket(ai.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { SSL_CTX_free(tls); throw ManagementTLSError("socket() failed") }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0, listen(fd, 16) == 0 else {
            let e = String(cString: strerror(errno))
            close(fd); SSL_CTX_free(tls)
            throw ManagementTLSError("cannot listen on \(host):\(port): \(e)")
        }
        var ss = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &ss) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        let family = ss.ss_family
        let bound: UInt16 = withUnsafePointer(to: &ss) { p in
            if family == sa_family_t(AF_INET6) {
                return p.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            }
            return p.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
        lock.withLock {
            listenFD = fd
            ctx = tls
            port = Int(bound)
            stopping = false
        }
        let t = Thread { [self] in acceptLoop(fd) }
        t.name = "evsm-mgmt-accept"
        acceptThread = t
        t.start()
        logger.info("management listener on \(host):\(bound) (TLS), certificate \(identity.fingerprint)")
        return Int(bound)
    }

    /// Stops accepting and waits (bounded) for the accept thread. Open connections end on
    /// their own (idle timeout) or when their peer closes.
    public func stop() {
        let fd: Int32 = lock.withLock {
            if stopping || listenFD < 0 { return -1 }
            stopping = true
            return listenFD
        }
        guard fd >= 0 else { return }
        _ = acceptDone.wait(timeout: .now() + 2)
        lock.withLock {
            close(listenFD)
            listenFD = -1
            // Open connections keep their own reference to the context (SSL_new).
            if let c = ctx { SSL_CTX_free(c) }
            ctx = nil
        }
    }

    private func acceptLoop(_ fd: Int32) {
        defer { acceptDone.signal() }
        while !lock.withLock({ stopping }) {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let r = poll(&p, 1, 200)
            if r <= 0 { continue }
            let c = accept(fd, nil, nil)
            if c < 0 { continue }
            let admitted: Bool = lock.withLock {
                if active >= maxConnections { return false }
                active += 1
                return true
            }
            guard admitted else {
                logger.warning("management connection refused: too many connections")
                close(c)
                continue
            }
            let t = Thread { [self] in
                serve(c)
                lock.withLock { active -= 1 }
            }
            t.name = "evsm-mgmt-conn"
            t.start()
        }
    }

    private func serve(_ fd: Int32) {
        // A peer gets a short time to finish the handshake, then the idle timeout applies.
        setSocketTimeouts(fd, seconds: min(handshakeTimeout, idleTimeout))
        guard let tls = lock.withLock({ ctx }), let ssl = SSL_new(tls) else { close(fd); return }
        let stream = TLSStream(ssl: ssl, fd: fd)
        _ = SSL_set_fd(ssl, fd)
        guard SSL_accept(ssl) == 1 else {
            ERR_clear_error()
            logger.notice("management connection: TLS handshake failed")
            return
        }
        setSocketTimeouts(fd, seconds: idleTimeout)
        let conn = ManagementConnection(service: service)
        defer {
            conn.close()
            stream.shutdown()
        }
        var served = 0
        while served < 10_000 {
            served += 1
            var req: ManagementMessage
            do {
                guard let m = try stream.readMessage() else { return }
                req = m
            } catch {
                logger.notice("management connection ended: \(error)")
                return
            }
            let op = req.string("op") ?? "?"
            var rsp = conn.handle(req)
            req.wipe()
            if rsp.json["ok"] as? Bool == true {
                logger.info("management \(op): ok")
            } else {
                logger.notice("management \(op): refused [\(rsp.string("code") ?? "?")] \(rsp.string("message") ?? "")")
            }
            do { try stream.writeMessage(rsp) } catch {
                rsp.wipe()
                return
            }
            rsp.wipe()
        }
    }
}
