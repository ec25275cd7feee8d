import COpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens TLS streams to one host (`socketProtocol=TLSv1.2` / `TLSv1.3`): a TCP connect,
/// then a non-blocking `SSL_connect`, both within the one connect deadline
/// (`connTimeout`). Failures carry `notSent: true` (nothing of a request has left), so a
/// TLS failure counts like a TCP one for ejection and failover.
public struct TLSConnector: StreamConnector, @unchecked Sendable {
    public let tcp: TCPConnector
    public let context: TLSClientContext
    /// `HOST1 (127.0.0.1:1500)`, for messages.
    public let label: String

    public init(tcp: TCPConnector, context: TLSClientContext, label: String) {
        self.tcp = tcp
        self.context = context
        self.label = label
    }

    public func connect(deadline: Deadline) throws -> ByteStream {
        try connectTLS(deadline: deadline)
    }

    /// Connects and completes the handshake (the concrete type, for tests).
    public func connectTLS(deadline: Deadline) throws -> TLSClientStream {
        let fd = try tcp.connectDescriptor(deadline: deadline)
        ERR_clear_error()
        guard let ssl = SSL_new(context.ctx) else {
            Glibc.close(fd)
            throw TransportFailure(.tls, "SSL_new: \(OpenSSLErrorQueue.drain())", notSent: true)
        }
        guard let bio = TLSSocketBIO.make(fd: fd) else {
            SSL_free(ssl)
            Glibc.close(fd)
            throw TransportFailure(.tls, "cannot make the socket BIO: \(OpenSSLErrorQueue.drain())", notSent: true)
        }
        SSL_set_bio(ssl, bio, bio)
        // The stream owns ssl and fd from here on (its deinit frees both).
        let stream = TLSClientStream(ssl: ssl, fd: fd, context: context)
        if !context.serverNameIsIP {
            // SNI carries DNS names only (RFC 6066), never an IP literal.
            _ = context.serverName.withCString {
                SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, Int(TLSEXT_NAMETYPE_host_name), UnsafeMutableRawPointer(mutating: $0))
            }
        }
        context.offerSession(on: ssl)
        do {
            try stream.handshake(deadline: deadline, peer: "\(tcp.host):\(tcp.port)")
        } catch {
            stream.abandon()
            throw error
        }
        return stream
    }
}
