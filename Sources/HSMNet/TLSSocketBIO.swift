import COpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An OpenSSL BIO over a connected non-blocking socket that writes with
/// `send(..., MSG_NOSIGNAL)`: OpenSSL's own socket BIO uses `write(2)`, which raises
/// SIGPIPE when the HSM has gone away and would kill a host process that does not ignore it.
///
/// The BIO does not own the descriptor (the stream closes it). "Would block" sets the retry
/// flags, so `SSL_read`/`SSL_write`/`SSL_connect` report `WANT_READ`/`WANT_WRITE` and the
/// stream waits with `poll` until its deadline.
public enum TLSSocketBIO {
    // BIO flag values (macros in bio.h that Swift does not import).
    private static let flagRead: Int32 = 0x01
    private static let flagWrite: Int32 = 0x02
    private static let flagShouldRetry: Int32 = 0x08
    private static let flagsRetryAny: Int32 = 0x01 | 0x02 | 0x04 | 0x08
    private static let ctrlFlush: Int32 = 11   // BIO_CTRL_FLUSH
    private static let ctrlPush: Int32 = 6     // BIO_CTRL_PUSH
    private static let ctrlPop: Int32 = 7      // BIO_CTRL_POP
    private static let typeSourceSink: Int32 = 0x0400  // BIO_TYPE_SOURCE_SINK

    /// The method table, made once (Swift globals are initialised once, thread-safely).
    nonisolated(unsafe) static let method: OpaquePointer? = makeMethod()

    private static func makeMethod() -> OpaquePointer? {
        let index = BIO_get_new_index()
        guard index > 0, let m = BIO_meth_new(index | typeSourceSink, "cacipher socket") else { return nil }
        _ = BIO_meth_set_write(m) { bio, data, len -> Int32 in
            guard let bio, let data, len > 0 else { return 0 }
            BIO_clear_flags(bio, TLSSocketBIO.flagsRetryAny)
            let fd = TLSSocketBIO.descriptor(bio)
            while true {
                let n = send(fd, data, Int(len), Int32(MSG_NOSIGNAL))
                if n >= 0 { return Int32(n) }
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    BIO_set_flags(bio, TLSSocketBIO.flagWrite | TLSSocketBIO.flagShouldRetry)
                }
                return -1
            }
        }
        _ = BIO_meth_set_read(m) { bio, data, len -> Int32 in
            guard let bio, let data, len > 0 else { return 0 }
            BIO_clear_flags(bio, TLSSocketBIO.flagsRetryAny)
            let fd = TLSSocketBIO.descriptor(bio)
            while true {
                let n = recv(fd, data, Int(len), 0)
                if n >= 0 { return Int32(n) }
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    BIO_set_flags(bio, TLSSocketBIO.flagRead | TLSSocketBIO.flagShouldRetry)
                }
                return -1
            }
        }
        _ = BIO_meth_set_ctrl(m) { _, cmd, _, _ -> Int in
            switch cmd {
            case TLSSocketBIO.ctrlFlush, TLSSocketBIO.ctrlPush, TLSSocketBIO.ctrlPop: return 1
            default: return 0
            }
        }
        _ = BIO_meth_set_create(m) { bio -> Int32 in
            guard let bio else { return 0 }
            BIO_set_init(bio, 1)
            return 1
        }
        _ = BIO_meth_set_destroy(m) { _ -> Int32 in 1 }
        return m
    }

    private static func descriptor(_ bio: OpaquePointer) -> Int32 {
        guard let p = BIO_get_data(bio) else { return -1 }
        return Int32(truncatingIfNeeded: Int(bitPattern: p) - 1)
    }

    /// A BIO reading and writing `fd` (not owned), or nil when OpenSSL cannot make one.
    public static func make(fd: Int32) -> OpaquePointer? {
        guard let method, fd >= 0, let bio = BIO_new(method) else { return nil }
        BIO_set_data(bio, UnsafeMutableRawPointer(bitPattern: Int(fd) + 1))
        return bio
    }
}
