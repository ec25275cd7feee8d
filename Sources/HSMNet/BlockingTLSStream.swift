// A blocking TLS stream over a connected socket, used by both ends of the management port
// (and any one-thread-per-connection TLS peer): on the server side the socket is non-blocking
// and every read and write waits under a `ReadDeadline` (`DeadlineTLS`); on a client's
// blocking socket the retry policy is `TLSIO`'s and SO_RCVTIMEO/SO_SNDTIMEO bound the waits.
import COpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Blocking TLS stream over a connected socket (used by both ends).
public final class BlockingTLSStream {
    public let ssl: OpaquePointer
    public let fd: Int32
    /// Server side: the socket is non-blocking and reads/writes wait with these deadlines
    /// (idle timeout for a message's first byte, frame timeout for the rest; `DeadlineTLS`).
    public var deadline: ReadDeadline?

    public init(ssl: OpaquePointer, fd: Int32) {
        self.ssl = ssl
        self.fd = fd
    }

    deinit {
        SSL_free(ssl)
        close(fd)
    }

    public func shutdown() { _ = SSL_shutdown(ssl) }

    /// Reads exactly `n` bytes. Errors: "connection closed" (before any byte), "TLS read
    /// failed", `TLSStreamError.timedOut` (blocking socket whose SO_RCVTIMEO passed), or the
    /// deadline's reason (server side).
    public func readExactly(_ n: Int) throws -> [UInt8] {
        if var d = deadline {
            var out: [UInt8] = []
            let r = DeadlineTLS.read(ssl, n, into: &out, &d)
            deadline = d
            switch r {
            case .bytes: return out
            case .closed: throw TLSStreamError("connection closed")
            case .failed: throw TLSStreamError("TLS read failed")
            case .expired: throw TLSStreamError("connection closed by evsm: \(d.expiredReason)")
            }
        }
        // A blocking socket (the operator's end): `TLSIO`'s loop, where a WANT_READ is a
        // timeout when SO_RCVTIMEO expired (EAGAIN), else read again (at most 1000 times).
        var out = [UInt8](repeating: 0, count: n)
        var got = 0
        var tries = 0
        func timedOut() -> Bool { errno == EAGAIN || errno == EWOULDBLOCK }
        while got < n {
            let outcome = try out.withUnsafeMutableBytes { raw in
                try TLSIO.run(ssl, { errno = 0; return SSL_read($0, raw.baseAddress! + got, Int32(n - got)) }) { events in
                    guard events == Int16(POLLIN) else { return false }
                    if timedOut() {
                        ERR_clear_error()
                        throw TLSStreamError.timedOut
                    }
                    tries += 1
                    return tries < 1000
                }
            }
            switch outcome {
            case .done(let r): got += Int(r)
            case .failed(SSL_ERROR_SYSCALL) where timedOut():
                ERR_clear_error()
                throw TLSStreamError.timedOut
            case .failed(let e):
                ERR_clear_error()
                throw TLSStreamError(e == SSL_ERROR_ZERO_RETURN || got == 0 ? "connection closed" : "TLS read failed")
            case .stopped:
                ERR_clear_error()
                throw TLSStreamError(got == 0 ? "connection closed" : "TLS read failed")
            }
        }
        return out
    }

    /// Writes all of `bytes`. Errors: "TLS write failed", `TLSStreamError.timedOut`.
    public func writeAll(_ bytes: [UInt8]) throws {
        if var d = deadline {
            guard DeadlineTLS.write(ssl, bytes, &d) else { throw TLSStreamError("TLS write failed") }
            return
        }
        var off = 0
        while off < bytes.count {
            let outcome = bytes.withUnsafeBytes { raw in
                TLSIO.run(ssl, { errno = 0; return SSL_write($0, raw.baseAddress! + off, Int32(bytes.count - off)) }) { _ in false }
            }
            guard case .done(let r) = outcome else {
                let timedOut = errno == EAGAIN || errno == EWOULDBLOCK
                ERR_clear_error()
                throw timedOut ? TLSStreamError.timedOut : TLSStreamError("TLS write failed")
            }
            off += Int(r)
        }
    }
}
