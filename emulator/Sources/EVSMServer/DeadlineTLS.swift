// TLS on a non-blocking socket with the waits of a `ReadDeadline`: accept, read exactly n
// bytes, write all bytes. Used by the two blocking-style TLS servers (`HostTLSServer`,
// `ManagementServer`), one thread per connection, so that no read waits past the idle or
// frame deadline and no write waits past the idle timeout.
import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

enum DeadlineTLS {
    enum ReadOutcome {
        case bytes
        /// The peer closed (or the connection failed) before the first byte.
        case closed
        /// The peer closed or failed mid-read.
        case failed
        /// A deadline passed (`ReadDeadline.expiredReason` says which).
        case expired
    }

    /// Makes `fd` non-blocking (the waits are `poll` calls from then on).
    static func makeNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL, 0)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
    }

    /// SSL_accept within the deadline's current (fixed) limit.
    static func accept(_ ssl: OpaquePointer, _ d: inout ReadDeadline) -> Bool {
        while true {
            ERR_clear_error()
            let r = SSL_accept(ssl)
            if r == 1 { return true }
            switch SSL_get_error(ssl, r) {
            case SSL_ERROR_WANT_READ: if !d.waitReadable() { return false }
            case SSL_ERROR_WANT_WRITE: if !d.waitWritable() { return false }
            default: return false
            }
        }
    }

    /// Reads exactly `n` bytes into `out` (resized to n).
    static func read(_ ssl: OpaquePointer, _ n: Int, into out: inout [UInt8], _ d: inout ReadDeadline) -> ReadOutcome {
        if out.count != n { out = [UInt8](repeating: 0, count: n) }
        var got = 0
        while got < n {
            ERR_clear_error()
            let r = out.withUnsafeMutableBytes { raw -> Int32 in
                guard let base = raw.baseAddress else { return -1 }
                return SSL_read(ssl, base + got, Int32(n - got))
            }
            if r > 0 {
                got += Int(r)
                d.gotBytes()
                continue
            }
            switch SSL_get_error(ssl, r) {
            case SSL_ERROR_WANT_READ:
                if !d.waitReadable() { return .expired }
            case SSL_ERROR_WANT_WRITE:
                if !d.waitWritable() { return .expired }
            default:
                ERR_clear_error()
                return got == 0 ? .closed : .failed
            }
        }
        return .bytes
    }

    /// Writes all of `bytes`; false when the peer went or did not read for `idle` seconds.
    static func write(_ ssl: OpaquePointer, _ bytes: [UInt8], _ d: inout ReadDeadline) -> Bool {
        var off = 0
        while off < bytes.count {
            ERR_clear_error()
            let r = bytes.withUnsafeBytes { raw -> Int32 in
                guard let base = raw.baseAddress else { return -1 }
                return SSL_write(ssl, base + off, Int32(bytes.count - off))
            }
            if r > 0 {
                off += Int(r)
                continue
            }
            switch SSL_get_error(ssl, r) {
            case SSL_ERROR_WANT_WRITE: if !d.waitWritable() { return false }
            case SSL_ERROR_WANT_READ: if !d.waitReadable() { return false }
            default:
                ERR_clear_error()
                return false
            }
        }
        return true
    }
}
