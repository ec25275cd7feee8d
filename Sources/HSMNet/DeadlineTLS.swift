// TLS on a non-blocking socket with the waits of a `ReadDeadline`: accept, read exactly n
// bytes, write all bytes (the retry policy is `TLSIO`'s, the client's). Used by the two
// blocking-style TLS servers of the emulator (the TLS host port, the management port), one
// thread per connection, so that no read waits past the idle or frame deadline and no write
// waits past the idle timeout.
import COpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public enum DeadlineTLS {
    public enum ReadOutcome: Sendable {
        case bytes
        /// The peer closed (or the connection failed) before the first byte.
        case closed
        /// The peer closed or failed mid-read.
        case failed
        /// A deadline passed (`ReadDeadline.expiredReason` says which).
        case expired
    }

    /// Makes `fd` non-blocking (the waits are `poll` calls from then on).
    public static func makeNonBlocking(_ fd: Int32) { SocketMode.setNonBlocking(fd, true) }

    /// The wait of `TLSIO.run` under `d`.
    @inline(__always)
    private static func wait(_ events: Int16, _ d: inout ReadDeadline) -> Bool {
        events == Int16(POLLIN) ? d.waitReadable() : d.waitWritable()
    }

    /// SSL_accept within the deadline's current (fixed) limit.
    public static func accept(_ ssl: OpaquePointer, _ d: inout ReadDeadline) -> Bool {
        if case .done = TLSIO.run(ssl, { SSL_accept($0) }, wait: { wait($0, &d) }) { return true }
        return false
    }

    /// Reads exactly `n` bytes into `out` (resized to n).
    public static func read(_ ssl: OpaquePointer, _ n: Int, into out: inout [UInt8], _ d: inout ReadDeadline) -> ReadOutcome {
        if out.count != n { out = [UInt8](repeating: 0, count: n) }
        var got = 0
        while got < n {
            let outcome = out.withUnsafeMutableBytes { raw -> TLSIO.Outcome in
                guard let base = raw.baseAddress else { return .failed(SSL_ERROR_SSL) }
                return TLSIO.run(ssl, { SSL_read($0, base + got, Int32(n - got)) }, wait: { wait($0, &d) })
            }
            switch outcome {
            case .done(let r):
                got += Int(r)
                d.gotBytes()
            case .stopped:
                return .expired
            case .failed:
                ERR_clear_error()
                return got == 0 ? .closed : .failed
            }
        }
        return .bytes
    }

    /// Writes all of `bytes`; false when the peer went or did not read for `idle` seconds.
    public static func write(_ ssl: OpaquePointer, _ bytes: [UInt8], _ d: inout ReadDeadline) -> Bool {
        var off = 0
        while off < bytes.count {
            let outcome = bytes.withUnsafeBytes { raw -> TLSIO.Outcome in
                guard let base = raw.baseAddress else { return .failed(SSL_ERROR_SSL) }
                return TLSIO.run(ssl, { SSL_write($0, base + off, Int32(bytes.count - off)) }, wait: { wait($0, &d) })
            }
            switch outcome {
            case .done(let r): off += Int(r)
            case .stopped: return false
            case .failed:
                ERR_clear_error()
                return false
            }
        }
        return true
    }
}
