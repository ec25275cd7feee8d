// The operator's end of the management channel (used by vsmctl and the tests): TLS client
// that checks the device certificate against a pinned SHA-256 fingerprint, over HSMNet's
// blocking TLS stream (the one the device's management listener uses).
import COpenSSL
import Foundation
import HSMNet
import ManagementProtocol
#if canImport(Glibc)
import Glibc
#endif

public final class ManagementClient {
    /// The fingerprint the device presented (`SHA256:...`).
    public let fingerprint: String
    private let stream: BlockingTLSStream
    private let ctx: OpaquePointer

    /// The default connect and read timeout (vsmctl `--timeout`).
    public static let defaultTimeoutSeconds = ManagementLimits.defaultTimeoutSeconds

    /// Whether the certificate was checked against a pinned fingerprint.
    public let pinned: Bool
    /// The connect and read timeout in seconds (each connect, handshake read and answer).
    public let timeoutSeconds: Int

    /// Connects and handshakes. With `pin`, a device whose certificate fingerprint differs
    /// is refused before anything is sent. `timeoutSeconds` (1...3600) bounds the connect,
    /// every read of the handshake and every wait for an answer: a wrong port or a silent
    /// peer fails with `CeremonyError.Code.timeout` or `.channel`, never hangs.
    /// Errors: `.badRequest` (bad pin or timeout), `.channel` (resolve, connect refused,
    /// closed), `.timeout`, `.certificate` (handshake failed, fingerprint mismatch).
    public init(host: String, port: Int, pin: String?, timeoutSeconds: Int = ManagementClient.defaultTimeoutSeconds) throws {
        guard ManagementLimits.timeoutSeconds.contains(timeoutSeconds) else {
            throw CeremonyError(.badRequest, "the timeout must be 1...3600 seconds")
        }
        self.timeoutSeconds = timeoutSeconds
        _ = signal(SIGPIPE, SIG_IGN)  // a write to a closed peer fails with EPIPE instead
        var expected: String?
        if let p = pin {
            guard let n = CertificateFingerprint.normalise(p) else {
                throw CeremonyError(.badRequest, "the pinned fingerprint must be SHA256: followed by 64 hex digits")
            }
            expected = n
        }
        let fd = try Self.connect(host: host, port: port, timeoutSeconds: timeoutSeconds)
        guard let c = SSL_CTX_new(TLS_client_method()) else { close(fd); throw CeremonyError(.channel, "TLS context") }
        _ = SSL_CTX_ctrl(c, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(TLS1_2_VERSION), nil)
        // The certificate is self-signed: it is authenticated by its pinned fingerprint.
        SSL_CTX_set_verify(c, SSL_VERIFY_NONE, nil)
        guard let ssl = SSL_new(c) else { SSL_CTX_free(c); close(fd); throw CeremonyError(.channel, "TLS session") }
        let s = BlockingTLSStream(ssl: ssl, fd: fd)
        _ = SSL_set_fd(ssl, fd)
        errno = 0
        let hs = SSL_connect(ssl)
        guard hs == 1 else {
            let n = errno, e = SSL_get_error(ssl, hs)
            ERR_clear_error()
            SSL_CTX_free(c)
            if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_SYSCALL) && (n == EAGAIN || n == EWOULDBLOCK) {
                throw CeremonyError(.timeout, "\(host):\(port) accepted the connection but did not answer the TLS handshake within \(timeoutSeconds) s (is it the management port?)")
            }
            throw CeremonyError(.certificate, "TLS handshake with \(host):\(port) failed (is it the management port?)")
        }
        guard let peer = SSL_get1_peer_certificate(ssl) else {
            SSL_CTX_free(c)
            throw CeremonyError(.certificate, "the device presented no certificate")
        }
        let fp = CertificateFingerprint.of(peer)
        X509_free(peer)
        guard let fp else { SSL_CTX_free(c); throw CeremonyError(.certificate, "cannot fingerprint the device certificate") }
        if let e = expected, e != fp {
            s.shutdown()
            SSL_CTX_free(c)
            throw CeremonyError(.certificate, "device certificate fingerprint \(fp) does not match the pinned \(e); refusing to talk to it")
        }
        fingerprint = fp
        pinned = expected != nil
        stream = s
        ctx = c
    }

    /// The TCP connect (HSMNet's connector, bounded by the timeout), then a blocking socket
    /// with `timeoutSeconds` read and write timeouts for the TLS channel.
    private static func connect(host: String, port: Int, timeoutSeconds: Int) throws -> Int32 {
        let fd: Int32
        do {
            fd = try TCPConnector(host: host, port: port).connectDescriptor(deadline: .after(milliseconds: timeoutSeconds * 1000))
        } catch let f as TransportFailure {
            if f.message.hasPrefix("cannot resolve") || f.message.hasPrefix("resolving") {
                throw CeremonyError(.channel, "cannot resolve \(host)")
            }
            if f.message.contains("timed out") || f.message.contains("connect timeout reached") {
                throw CeremonyError(.timeout, "cannot connect to the management port \(host):\(port): no answer within \(timeoutSeconds) s")
            }
            let prefix = "cannot connect to \(host):\(port): "
            let reason = f.message.hasPrefix(prefix) ? String(f.message.dropFirst(prefix.count)) : f.message
            throw CeremonyError(.channel, "cannot connect to the management port \(host):\(port): \(reason)")
        }
        SocketMode.setNonBlocking(fd, false)
        SocketMode.setTimeouts(fd, seconds: timeoutSeconds)
        return fd
    }

    deinit {
        stream.shutdown()
        SSL_CTX_free(ctx)
    }

    /// Sends one request and returns the response (a failure response is returned, not thrown).
    /// Secret bytes of the response are the caller's to wipe.
    public func send(_ request: ManagementMessage) throws -> ManagementMessage {
        do {
            try stream.writeMessage(request)
            guard let rsp = try stream.readMessage() else {
                throw CeremonyError(.channel, "the device closed the management connection")
            }
            return rsp
        } catch let e as CeremonyError {
            throw e
        } catch let e as ManagementTLSError where e.isTimeout {
            throw CeremonyError(.timeout, "the device did not answer within \(timeoutSeconds) s")
        } catch {
            throw CeremonyError(.channel, "management channel: \(error)")
        }
    }

    /// Sends a request and throws the device's refusal as a CeremonyError.
    public func call(_ request: ManagementMessage) throws -> ManagementMessage {
        let rsp = try send(request)
        try rsp.throwIfFailure()
        return rsp
    }

    /// Sends a typed request (its secret part is zeroed once sent) and returns the response
    /// (a failure response is returned, not thrown). Secret bytes of the response are the
    /// caller's to wipe.
    public func send(_ request: ManagementRequest) throws -> ManagementMessage {
        var m = request.message()
        defer { m.wipe() }
        return try send(m)
    }

    /// Sends a typed request and throws the device's refusal as a CeremonyError.
    public func call(_ request: ManagementRequest) throws -> ManagementMessage {
        let rsp = try send(request)
        try rsp.throwIfFailure()
        return rsp
    }
}
