// The management listener: TLS (OpenSSL libssl) on a TCP port, default 127.0.0.1, one
// blocking thread per connection (an operator channel: few, short-lived connections);
// listening socket and accept loop: `BlockingTLSListener`.
// Each connection speaks length-prefixed management frames (see ManagementMessage) and owns
// at most one ceremony session (a recovery, or an initialisation prepared and waiting for its
// commit), abandoned when it closes: a pending initialisation is then zeroed and dropped.
import COpenSSL
import EVSMKit
import Foundation
import HSMNet
import Logging
import ManagementProtocol
#if canImport(Glibc)
import Glibc
#endif

public final class ManagementServer: @unchecked Sendable {
    public let service: CeremonyService
    public let identity: ManagementIdentity
    public let host: String
    /// Connection limits (idle timeout: the connection is dropped and its session
    /// abandoned; frame deadline; cap; backlog). Set before `start`.
    public var limits = ServerLimits.management
    /// Idle time after which a connection is dropped (`limits.idleTimeout`, whole seconds).
    public var idleTimeout: Int {
        get { Int(limits.idleTimeout) }
        set { limits.idleTimeout = Double(newValue) }
    }
    /// Time allowed for the TLS handshake.
    public var handshakeTimeout = 10
    /// Most connections served at once (`limits.maxConnections`); more are refused.
    public var maxConnections: Int {
        get { limits.maxConnections }
        set { limits.maxConnections = newValue }
    }
    private let refusals = RefusalLog()

    private let logger: Logger
    private let lock = NSLock()
    private var listenFD: Int32 = -1
    private var ctx: TLSServerContext?
    private var stopping = false
    private var active = 0
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
        let fd: Int32, bound: Int
        switch BlockingTLSListener.bindAndListen(host: host, port: port, backlog: limits.backlog) {
        case .success(let l): (fd, bound) = (l.fd, l.port)
        case .failure(let f):
            throw ManagementTLSError(f.message(address: "management address", host: host, port: port))
        }
        lock.withLock {
            listenFD = fd
            ctx = tls
            port = bound
            stopping = false
        }
        guard let t = NativeThread.start(name: "evsm-mgmt-accept", { [self] in acceptLoop(fd) }) else {
            lock.withLock {
                close(listenFD)
                listenFD = -1
                ctx = nil
                stopping = true
            }
            throw ManagementTLSError("cannot start the management accept thread")
        }
        t.detach()
        logger.info("management listener on \(host):\(bound) (TLS), certificate \(identity.fingerprint)")
        return bound
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
            // Freed with the last reference; open connections keep their own (SSL_new).
            ctx = nil
        }
    }

    private func acceptLoop(_ fd: Int32) {
        defer { acceptDone.signal() }
        BlockingTLSListener.acceptLoop(
            fd, pollMilliseconds: 200, closeOnExec: false, connectionThreadName: "evsm-mgmt-conn",
            isStopping: { lock.withLock { stopping } },
            admit: { [maxConnections] _ in
                lock.withLock {
                    if active >= maxConnections { return false }
                    active += 1
                    return true
                }
            },
            refused: { [refusals, maxConnections] in
                if let n = refusals.refused() {
                    logger.warning("management connection refused: \(maxConnections) connections already open (--mgmt-max-connections); \(n) refused since the last such line")
                }
            },
            serve: { [self] c in
                serve(c)
                lock.withLock { active -= 1 }
            })
    }

    private func serve(_ fd: Int32) {
        // A peer gets a short time to finish the handshake, then the idle timeout applies
        // between messages and the frame deadline within one (non-blocking socket, poll).
        DeadlineTLS.makeNonBlocking(fd)
        var deadline = ReadDeadline(fd: fd, idle: limits.idleTimeout, frame: limits.frameTimeout)
        deadline.fixed(limits.idleTimeout > 0 ? min(Double(handshakeTimeout), limits.idleTimeout) : Double(handshakeTimeout))
        guard let tls = lock.withLock({ ctx }), let ssl = SSL_new(tls.ctx) else { close(fd); return }
        let stream = BlockingTLSStream(ssl: ssl, fd: fd)
        _ = SSL_set_fd(ssl, fd)
        guard DeadlineTLS.accept(ssl, &deadline) else {
            ERR_clear_error()
            logger.notice("management connection: TLS handshake failed or not done in time")
            return
        }
        stream.deadline = deadline
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
