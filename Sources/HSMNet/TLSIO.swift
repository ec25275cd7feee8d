import COpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The one retry policy of every TLS call on a socket (client streams, the emulator's TLS
/// host and management ports): run the call with a clear error queue; on
/// `SSL_ERROR_WANT_READ` / `WANT_WRITE` wait for the socket (the caller's `wait`, bounded
/// by its deadline) and run it again; any other result ends the loop.
public enum TLSIO {
    public enum Outcome: Equatable, Sendable {
        /// The call returned this positive value (bytes moved, or 1 for a handshake).
        case done(Int32)
        /// The call failed with this `SSL_get_error` value; the error queue and `errno` are
        /// as the call left them.
        case failed(Int32)
        /// `wait` returned false (a deadline passed).
        case stopped
    }

    /// Runs `call` until it succeeds, fails, or `wait(events)` (`POLLIN` or `POLLOUT`)
    /// returns false; errors `wait` throws pass through.
    @inline(__always)
    public static func run(_ ssl: OpaquePointer, _ call: (OpaquePointer) -> Int32,
                           wait: (_ events: Int16) throws -> Bool) rethrows -> Outcome {
        while true {
            ERR_clear_error()
            let r = call(ssl)
            if r > 0 { return .done(r) }
            let e = SSL_get_error(ssl, r)
            switch e {
            case SSL_ERROR_WANT_READ: if try !wait(Int16(POLLIN)) { return .stopped }
            case SSL_ERROR_WANT_WRITE: if try !wait(Int16(POLLOUT)) { return .stopped }
            default: return .failed(e)
            }
        }
    }
}
