import COpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A TLS connection to one HSM over a non-blocking socket. Every wait is a `poll` bounded
/// by the caller's deadline; writes go through `TLSSocketBIO` (`MSG_NOSIGNAL`).
///
/// Used by one thread at a time, like every `ByteStream`. OpenSSL's error queue is
/// per-thread and is cleared before each call and drained into the message after a failure.
public final class TLSClientStream: ByteStream {
    private var ssl: OpaquePointer?
    private var fd: Int32
    /// Kept alive for the session callback of this connection.
    private let context: TLSClientContext

    public init(ssl: OpaquePointer, fd: Int32, context: TLSClientContext) {
        self.ssl = ssl
        self.fd = fd
        self.context = context
    }

    deinit { abandon() }

    /// Runs the client handshake until done or `deadline`.
    public func handshake(deadline: Deadline, peer: String) throws {
        guard let ssl else { throw TransportFailure(.tls, "connection already closed", notSent: true) }
        let outcome = try TLSIO.run(ssl, { SSL_connect($0) }) { events in
            try wait(events, deadline: deadline, code: .tls, notSent: true,
                     timeoutText: "TLS handshake with \(peer) timed out (connect timeout)")
            return true
        }
        switch outcome {
        case .done, .stopped: return
        case .failed(let e):
            // Do not offer the kept session again after a failed handshake.
            context.forgetSession()
            let verifyResult = SSL_get_verify_result(ssl)
            if context.verify && verifyResult != Int(X509_V_OK) {
                let reason = X509_verify_cert_error_string(verifyResult).map { String(cString: $0) } ?? "error \(verifyResult)"
                ERR_clear_error()
                throw TransportFailure(.tlsVerify,
                    "TLS certificate of \(peer) refused: \(reason) (expected name \(TLSClientContext.printable(context.serverName)))",
                    notSent: true)
            }
            throw TransportFailure(.tls, "TLS handshake with \(peer) failed: \(failureText(e))", notSent: true)
        }
    }

    public func sendAll(_ bytes: UnsafeRawBufferPointer, deadline: Deadline) throws {
        guard let base = bytes.baseAddress, let ssl else {
            throw TransportFailure(.io, "connection already closed", notSent: true)
        }
        var offset = 0
        while offset < bytes.count {
            let chunk = Int32(min(bytes.count - offset, Int(Int32.max)))
            let outcome = try TLSIO.run(ssl, { SSL_write($0, base + offset, chunk) }) { events in
                try wait(events, deadline: deadline, code: .timeout, notSent: true,
                         timeoutText: "timed out sending the request")
                return true
            }
            guard case .failed(let e) = outcome else {
                if case .done(let n) = outcome { offset += Int(n) }
                continue
            }
            switch e {
            case SSL_ERROR_SSL:
                // A partial TLS record (or frame) cannot be acted on by the HSM.
                throw TransportFailure(.tls, "TLS send failed: \(failureText(e))", notSent: true)
            default:
                let text = failureText(e)
                // The HSM may have refused us with an alert before closing (a TLS 1.3 server
                // that wanted a client certificate): report that reason if it is readable.
                if let alert = pendingAlert() {
                    throw TransportFailure(.tls, "TLS send failed: \(alert)", notSent: true)
                }
                throw TransportFailure(.io, "send failed: \(text)", notSent: true)
            }
        }
    }

    public func receive(into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0, let ssl else {
            throw TransportFailure(.io, "connection already closed", notSent: false)
        }
        let count = Int32(min(buffer.count, Int(Int32.max)))
        let outcome = try TLSIO.run(ssl, { SSL_read($0, base, count) }) { events in
            try wait(events, deadline: deadline, code: .timeout, notSent: false,
                     timeoutText: "timed out waiting for the reply")
            return true
        }
        switch outcome {
        case .done(let n): return Int(n)
        case .stopped: throw TransportFailure(.timeout, "timed out waiting for the reply", notSent: false)
        case .failed(let e):
            switch e {
            case SSL_ERROR_ZERO_RETURN:
                throw TransportFailure(.io, "connection closed by the HSM (TLS close_notify)", notSent: false)
            case SSL_ERROR_SYSCALL:
                throw TransportFailure(.io, "connection closed by the HSM: \(failureText(e))", notSent: false)
            default:
                let text = failureText(e)
                // OpenSSL 3 reports a close without close_notify as an SSL error.
                let code: TransportFailure.Code = text.contains("unexpected eof") ? .io : .tls
                throw TransportFailure(code, code == .io ? "connection closed by the HSM: \(text)" : "TLS receive failed: \(text)",
                                       notSent: false)
            }
        }
    }

    /// OpenSSL's reason for a TLS alert already received, without waiting.
    private func pendingAlert() -> String? {
        guard let ssl else { return nil }
        var byte: UInt8 = 0
        ERR_clear_error()
        let n = SSL_peek(ssl, &byte, 1)
        if n <= 0, SSL_get_error(ssl, n) == SSL_ERROR_SSL, ERR_peek_error() != 0 {
            let text = OpenSSLErrorQueue.drain()
            if text.contains("alert") { return text }
        }
        ERR_clear_error()
        return nil
    }

    private func wait(_ events: Int16, deadline: Deadline, code: TransportFailure.Code, notSent: Bool,
                      timeoutText: String) throws {
        var pfd = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let n = poll(&pfd, 1, deadline.remainingPollMilliseconds)
            if n > 0 { return }
            if n == 0 { throw TransportFailure(code, timeoutText, notSent: notSent) }
            if errno != EINTR { throw TransportFailure(.io, "poll: \(errnoText())", notSent: notSent) }
        }
    }

    /// OpenSSL's reason (error queue), or the socket error / EOF for `SSL_ERROR_SYSCALL`.
    private func failureText(_ e: Int32) -> String {
        let savedErrno = errno
        let queued = ERR_peek_error() != 0
        if queued { return OpenSSLErrorQueue.drain() }
        switch e {
        case SSL_ERROR_SYSCALL: return savedErrno != 0 ? errnoText(savedErrno) : "connection closed"
        case SSL_ERROR_ZERO_RETURN: return "connection closed (close_notify)"
        default: return "SSL error \(e)"
        }
    }

    public func isStale() -> Bool {
        guard let ssl, fd >= 0 else { return true }
        if SSL_pending(ssl) > 0 { return true }
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        if poll(&pfd, 1, 0) == 0 { return false }
        // Readable: post-handshake messages (TLS 1.3 session tickets, key updates) are
        // harmless; application data, close_notify, EOF or an error are not.
        var byte: UInt8 = 0
        ERR_clear_error()
        let n = SSL_peek(ssl, &byte, 1)
        if n > 0 { return true }
        let e = SSL_get_error(ssl, n)
        ERR_clear_error()
        return e != SSL_ERROR_WANT_READ
    }

    public func awaitReadable(until deadline: Deadline) -> Bool {
        guard let ssl, fd >= 0 else { return true }
        if SSL_pending(ssl) > 0 { return true }
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&pfd, 1, deadline.remainingPollMilliseconds) != 0
    }

    public func close() {
        guard let ssl else { return }
        // close_notify, best effort: the socket is non-blocking, so this never waits.
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
        abandon()
    }

    public func interrupt() {
        let d = fd
        if d >= 0 { _ = Glibc.shutdown(d, Int32(SHUT_RDWR)) }
    }

    public func abandon() {
        // SSL_free sends nothing; close(2) of an inherited descriptor leaves the parent's
        // connection open.
        if let ssl { SSL_free(ssl); self.ssl = nil }
        if fd >= 0 { Glibc.close(fd); fd = -1 }
    }

    // MARK: - Inspection (tests, logs)

    /// The negotiated protocol (`TLSv1.2`, `TLSv1.3`).
    public var protocolVersion: String {
        guard let ssl, let p = SSL_get_version(ssl) else { return "" }
        return String(cString: p)
    }

    /// Whether the handshake resumed the kept session.
    public var sessionReused: Bool {
        guard let ssl else { return false }
        return SSL_session_reused(ssl) == 1
    }
}
