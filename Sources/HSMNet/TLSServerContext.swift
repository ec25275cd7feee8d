import COpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An OpenSSL server `SSL_CTX` (the emulator's TLS host port and management port): the one
/// place a server context is set up. Freed when the last reference goes; connections made
/// from it (`SSL_new`) hold their own reference.
public final class TLSServerContext: @unchecked Sendable {
    public let ctx: OpaquePointer

    /// Why a context could not be built; `message` names the file (and its option) and
    /// OpenSSL's reason.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The certificate and key the server presents.
    public enum Identity {
        /// PEM files, each named in messages by the option that gave it (`--tls-cert`).
        case files(certificate: String, certificateOption: String, key: String, keyOption: String)
        /// An X509 certificate and EVP_PKEY key already in memory (not taken over).
        case loaded(certificate: OpaquePointer, key: OpaquePointer)
    }

    /// PEM CAs client certificates must verify against (mutual TLS), and its option name.
    public struct ClientCA: Sendable {
        public var file: String
        public var option: String
        public init(file: String, option: String) {
            self.file = file
            self.option = option
        }
    }

    private init(_ ctx: OpaquePointer) { self.ctx = ctx }
    deinit { SSL_CTX_free(ctx) }

    /// Builds a server context.
    /// - Parameters:
    ///   - minVersion / maxVersion: the protocol range (`TLS1_2_VERSION`...; nil: no maximum).
    ///   - clientCA: when set, a client must present a certificate verifying against it.
    ///   - sessionIDContext: when set, the built-in server session cache is on (TLS 1.2
    ///     resumption by session id; tickets work either way).
    public static func make(identity: Identity, minVersion: Int32 = TLS1_2_VERSION, maxVersion: Int32? = nil,
                            clientCA: ClientCA? = nil, sessionIDContext: String? = nil) throws -> TLSServerContext {
        ERR_clear_error()
        guard let ctx = SSL_CTX_new(TLS_server_method()) else {
            throw failure(identity, "SSL_CTX_new: \(OpenSSLErrorQueue.drain())")
        }
        let context = TLSServerContext(ctx)  // frees ctx if anything below throws
        guard SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(minVersion), nil) == 1,
              maxVersion.map({ SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MAX_PROTO_VERSION, Int($0), nil) == 1 }) ?? true else {
            throw failure(identity, "TLS version range: \(OpenSSLErrorQueue.drain())")
        }
        switch identity {
        case .files(let cert, let certOption, let key, let keyOption):
            for (what, path) in [(certOption, cert), (keyOption, key)] + (clientCA.map { [($0.option, $0.file)] } ?? []) {
                guard access(path, R_OK) == 0 else {
                    throw Failure(message: "\(what) \(path): cannot read: \(errnoText())")
                }
            }
            guard SSL_CTX_use_certificate_chain_file(ctx, cert) == 1 else {
                throw Failure(message: "\(certOption) \(cert): no usable certificate: \(OpenSSLErrorQueue.drain())")
            }
            guard SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) == 1 else {
                throw Failure(message: "\(keyOption) \(key): no usable private key: \(OpenSSLErrorQueue.drain())")
            }
            guard SSL_CTX_check_private_key(ctx) == 1 else {
                throw Failure(message: "\(keyOption) \(key) does not match \(certOption) \(cert)")
            }
        case .loaded(let cert, let key):
            guard SSL_CTX_use_certificate(ctx, cert) == 1, SSL_CTX_use_PrivateKey(ctx, key) == 1,
                  SSL_CTX_check_private_key(ctx) == 1 else {
                throw failure(identity, nil)
            }
        }
        if let ca = clientCA {
            guard SSL_CTX_load_verify_locations(ctx, ca.file, nil) == 1 else {
                throw Failure(message: "\(ca.option) \(ca.file): no usable CA certificate: \(OpenSSLErrorQueue.drain())")
            }
            if let names = SSL_load_client_CA_file(ca.file) { SSL_CTX_set_client_CA_list(ctx, names) }
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
        } else {
            SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nil)
        }
        if let sid = sessionIDContext.map({ Array($0.utf8) }) {
            _ = SSL_CTX_set_session_id_context(ctx, sid, UInt32(sid.count))
            _ = SSL_CTX_ctrl(ctx, SSL_CTRL_SET_SESS_CACHE_MODE, Int(SSL_SESS_CACHE_SERVER), nil)
        }
        ERR_clear_error()
        return context
    }

    /// A failure of a file identity says `text`; of a loaded one "TLS server context" and
    /// OpenSSL's first reason (the management channel's text).
    private static func failure(_ identity: Identity, _ text: String?) -> Failure {
        if case .files = identity, let text { return Failure(message: text) }
        let reason = OpenSSLErrorQueue.take(limit: 1)
        return Failure(message: reason.map { "TLS server context: \($0)" } ?? "TLS server context")
    }
}
