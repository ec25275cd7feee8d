// The error of a blocking TLS stream and of the TLS setup steps around it (handshake,
// certificate files): one message a person can act on, and whether it was a timeout.

/// What a `BlockingTLSStream` read or write, or a TLS setup step, reports.
public struct TLSStreamError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ m: String) { message = m }
    public var description: String { message }
    /// A read or write waited longer than the socket's timeout.
    public static let timedOut = TLSStreamError("timed out")
    public var isTimeout: Bool { message == TLSStreamError.timedOut.message }
    /// `what`, with OpenSSL's first queued reason appended when there is one (the queue is
    /// drained either way).
    public static func openssl(_ what: String) -> TLSStreamError {
        let reason = OpenSSLErrorQueue.take(limit: 1)
        return TLSStreamError(reason.map { "\(what): \($0)" } ?? what)
    }
}
