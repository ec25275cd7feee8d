import COpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One host's TLS client settings (`TLSClientSettings`) as an OpenSSL `SSL_CTX`, built once
/// when the group is created (at instance open), plus the last session for resumption.
///
/// - minimum version from `socketProtocol` (`TLSv1.2` or `TLSv1.3`), no maximum;
/// - `tlsVerify=1` (default): the HSM's chain must verify against `tlsCAFile` (or the system
///   store when no CA file is given) and its certificate must match `tlsServerName`
///   (default `host`): an IP address is matched against the certificate's IP SANs
///   (`X509_VERIFY_PARAM_set1_ip_asc`), a name against its DNS SANs
///   (`X509_VERIFY_PARAM_set1_host`) and is also sent as SNI;
/// - `tlsCertFile` (+ `tlsKeyFile`, or the key in the same file): client certificate for
///   mutual TLS;
/// - the CA, certificate and key files are read by the library, close-on-exec, and given to
///   OpenSSL from memory (`TLSPEMFiles`): a program started while a context is built does
///   not inherit them;
/// - client session cache without OpenSSL's internal store: every new session (TLS 1.2
///   session id/ticket, TLS 1.3 ticket) replaces the kept one, and every new connection
///   offers the kept one.
public final class TLSClientContext: @unchecked Sendable {
    public let ctx: OpaquePointer
    public let serverName: String
    public let serverNameIsIP: Bool
    public let verify: Bool
    private let sessionLock = ConditionLock(forkRank: .tlsSession)
    private var session: OpaquePointer?

    private init(ctx: OpaquePointer, serverName: String, serverNameIsIP: Bool, verify: Bool) {
        self.ctx = ctx
        self.serverName = serverName
        self.serverNameIsIP = serverNameIsIP
        self.verify = verify
    }

    deinit {
        if let s = session { SSL_SESSION_free(s) }
        SSL_CTX_free(ctx)
    }

    /// Builds the context for `settings`.
    ///
    /// - Throws: `TransportFailure(.tls)` naming the file (and OpenSSL's reason) when a CA,
    ///   certificate or key file cannot be used.
    public static func make(_ settings: TLSClientSettings) throws -> TLSClientContext {
        ERR_clear_error()
        guard let ctx = SSL_CTX_new(TLS_client_method()) else {
            throw TransportFailure(.tls, "cannot create a TLS context: \(OpenSSLErrorQueue.drain())", notSent: true)
        }
        var ok = false
        defer { if !ok { SSL_CTX_free(ctx) } }
        let tls = settings
        let prefix = settings.label
        let minimum = settings.minimumVersion == .tls13 ? TLS1_3_VERSION : TLS1_2_VERSION
        guard SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(minimum), nil) == 1 else {
            throw TransportFailure(.tls, "\(prefix) cannot set the minimum TLS version: \(OpenSSLErrorQueue.drain())", notSent: true)
        }
        // The write buffer of a retried SSL_write is the same bytes but may be another pointer.
        _ = SSL_CTX_ctrl(ctx, SSL_CTRL_MODE, Int(SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER), nil)

        let name = tls.serverName ?? settings.host
        let isIP = TLSClientContext.isIPAddress(name)
        if tls.verify {
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
            if let ca = tls.caFile {
                try checkReadable(ca, key: "tlsCAFile", prefix: prefix)
                try loaded(TLSPEMFiles.loadCAs(ctx, ca), "\(prefix) tlsCAFile \(ca)", "no usable CA certificate")
            } else if SSL_CTX_set_default_verify_paths(ctx) != 1 {
                throw TransportFailure(.tls, "\(prefix) cannot load the system CA store: \(OpenSSLErrorQueue.drain())", notSent: true)
            }
            guard let param = SSL_CTX_get0_param(ctx) else {
                throw TransportFailure(.tls, "\(prefix) no verification parameters: \(OpenSSLErrorQueue.drain())", notSent: true)
            }
            let set = isIP ? X509_VERIFY_PARAM_set1_ip_asc(param, name) : X509_VERIFY_PARAM_set1_host(param, name, 0)
            guard set == 1 else {
                throw TransportFailure(.tls, "\(prefix) tlsServerName \(Self.printable(name)) cannot be used for verification: \(OpenSSLErrorQueue.drain())",
                                       notSent: true)
            }
        } else {
            SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nil)
        }

        if let cert = tls.certFile {
            try checkReadable(cert, key: "tlsCertFile", prefix: prefix)
            try loaded(TLSPEMFiles.useCertificateChain(ctx, cert), "\(prefix) tlsCertFile \(cert)", "no usable certificate")
            let keyFile = tls.keyFile ?? cert
            let keyName = tls.keyFile == nil ? "tlsCertFile" : "tlsKeyFile"
            try checkReadable(keyFile, key: keyName, prefix: prefix)
            try loaded(TLSPEMFiles.usePrivateKey(ctx, keyFile), "\(prefix) \(keyName) \(keyFile)", "no usable private key")
            guard SSL_CTX_check_private_key(ctx) == 1 else {
                throw TransportFailure(.tls, "\(prefix) \(keyName) \(keyFile): the key does not match the certificate in \(cert)",
                                       notSent: true)
            }
        } else if let key = tls.keyFile {
            throw TransportFailure(.tls, "\(prefix) tlsKeyFile \(key) is set but tlsCertFile is not", notSent: true)
        }

        _ = SSL_CTX_ctrl(ctx, SSL_CTRL_SET_SESS_CACHE_MODE,
                         Int(SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE), nil)
        SSL_CTX_sess_set_new_cb(ctx) { ssl, session -> Int32 in
            guard let ssl, let session, let ctx = SSL_get_SSL_CTX(ssl),
                  let p = SSL_CTX_get_ex_data(ctx, 0) else { return 0 }
            Unmanaged<TLSClientContext>.fromOpaque(p).takeUnretainedValue().keep(session)
            return 1  // we own the reference now
        }
        let context = TLSClientContext(ctx: ctx, serverName: name, serverNameIsIP: isIP, verify: tls.verify)
        // Unretained: every stream holds its context, so the context outlives its handshakes.
        _ = SSL_CTX_set_ex_data(ctx, 0, Unmanaged.passUnretained(context).toOpaque())
        ERR_clear_error()
        ok = true
        return context
    }

    /// Takes ownership of `s` as the session to offer next.
    private func keep(_ s: OpaquePointer) {
        sessionLock.lock()
        let old = session
        session = s
        sessionLock.unlock()
        if let old { SSL_SESSION_free(old) }
    }

    /// Puts the kept session on `ssl` (a resumption attempt), if there is one.
    public func offerSession(on ssl: OpaquePointer) {
        sessionLock.lock()
        defer { sessionLock.unlock() }
        if let s = session { _ = SSL_set_session(ssl, s) }
    }

    /// Forgets the kept session (after a failed handshake that offered it).
    public func forgetSession() {
        sessionLock.lock()
        let old = session
        session = nil
        sessionLock.unlock()
        if let old { SSL_SESSION_free(old) }
    }

    public var hasSession: Bool {
        sessionLock.lock()
        defer { sessionLock.unlock() }
        return session != nil
    }

    public static func isIPAddress(_ s: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, s, &v4) == 1 || inet_pton(AF_INET6, s, &v6) == 1
    }

    /// Throws for a PEM file that could not be read or used (`what`: "no usable ...").
    private static func loaded(_ outcome: TLSPEMFiles.Outcome, _ file: String, _ what: String) throws {
        switch outcome {
        case .loaded: return
        case let .unreadable(e):
            throw TransportFailure(.tls, "\(file): cannot read: \(String(cString: strerror(e)))", notSent: true)
        case .unusable:
            throw TransportFailure(.tls, "\(file): \(what): \(OpenSSLErrorQueue.drain())", notSent: true)
        }
    }

    private static func checkReadable(_ path: String, key: String, prefix: String) throws {
        guard access(path, R_OK) == 0 else {
            throw TransportFailure(.tls, "\(prefix) \(key) \(path): cannot read: \(errnoText())", notSent: true)
        }
    }

    /// A name for messages (control characters shown as `?`).
    public static func printable(_ s: String) -> String {
        String(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) }.prefix(100))
    }
}
