// The management channel's TLS identity and contexts (OpenSSL libssl).
//
// The device certificate is a self-signed ECDSA P-256 certificate made with OpenSSL at the
// first start and kept in the state directory (`mgmt-key.pem` mode 0600, `mgmt-cert.pem`).
// Operators pin it by its SHA-256 fingerprint, printed as `SHA256:<64 hex>`.
import COpenSSL
import EVSMKit
import Foundation
import HSMCrypto
import HSMNet
import ManagementProtocol
#if canImport(Glibc)
import Glibc
#endif

public struct ManagementTLSError: Error, CustomStringConvertible {
    public let message: String
    public init(_ m: String) { message = m }
    public var description: String { message }
    /// A read or write waited longer than the socket's timeout.
    public static let timedOut = ManagementTLSError("timed out")
    public var isTimeout: Bool { message == ManagementTLSError.timedOut.message }
    static func openssl(_ what: String) -> ManagementTLSError {
        let reason = OpenSSLErrorQueue.take(limit: 1)
        return ManagementTLSError(reason.map { "\(what): \($0)" } ?? what)
    }
}

/// SHA-256 fingerprints as `SHA256:` + 64 upper-case hex.
public enum CertificateFingerprint {
    public static func of(_ x509: OpaquePointer) -> String? {
        var md = [UInt8](repeating: 0, count: 64)
        var len: UInt32 = 0
        guard X509_digest(x509, EVP_sha256(), &md, &len) == 1, len == 32 else { return nil }
        return "SHA256:" + md.prefix(32).map { String(format: "%02X", $0) }.joined()
    }

    /// Normalises an operator-given pin (`SHA256:` prefix optional, colons and case ignored).
    public static func normalise(_ text: String) -> String? {
        var t = text.trimmingCharacters(in: .whitespaces)
        if t.uppercased().hasPrefix("SHA256:") { t = String(t.dropFirst(7)) }
        let hex = t.replacingOccurrences(of: ":", with: "").uppercased()
        guard hex.count == 64, hex.allSatisfy({ $0.isHexDigit }) else { return nil }
        return "SHA256:" + hex
    }
}

/// The device's TLS key and certificate.
public final class ManagementIdentity: @unchecked Sendable {
    let key: OpaquePointer   // EVP_PKEY
    let cert: OpaquePointer  // X509
    public let fingerprint: String

    deinit {
        EVP_PKEY_free(key)
        X509_free(cert)
    }

    private init(key: OpaquePointer, cert: OpaquePointer) throws {
        self.key = key
        self.cert = cert
        guard let fp = CertificateFingerprint.of(cert) else {
            throw ManagementTLSError.openssl("cannot fingerprint the management certificate")
        }
        fingerprint = fp
    }

    /// Loads the identity from `directory`, making it on first use.
    public static func loadOrCreate(directory: String, commonName: String = "evsm management") throws -> ManagementIdentity {
        let keyPath = directory + "/mgmt-key.pem", certPath = directory + "/mgmt-cert.pem"
        let fm = FileManager.default
        if fm.fileExists(atPath: keyPath), fm.fileExists(atPath: certPath) {
            return try load(keyPEM: [UInt8](try Data(contentsOf: URL(fileURLWithPath: keyPath))),
                            certPEM: [UInt8](try Data(contentsOf: URL(fileURLWithPath: certPath))))
        }
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let id = try generate(commonName: commonName)
        var keyPEM = try id.pem(privateKey: true)
        defer { SecureBytes.wipe(&keyPEM) }
        try writeFile(keyPEM, keyPath, 0o600)
        try writeFile(try id.pem(privateKey: false), certPath, 0o644)
        return id
    }

    /// The fingerprint of `mgmt-cert.pem` in a state directory (no private key needed).
    public static func fingerprint(ofCertificateIn directory: String) throws -> String {
        let path = directory + "/mgmt-cert.pem"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ManagementTLSError("\(path) not found (evsm makes it at its first start)")
        }
        let pem = [UInt8](data)
        guard let b = pem.withUnsafeBytes({ BIO_new_mem_buf($0.baseAddress, Int32(pem.count)) }) else { throw ManagementTLSError.openssl("BIO") }
        defer { BIO_free(b) }
        guard let x = PEM_read_bio_X509(b, nil, nil, nil) else { throw ManagementTLSError.openssl("\(path) is unreadable") }
        defer { X509_free(x) }
        guard let fp = CertificateFingerprint.of(x) else { throw ManagementTLSError.openssl("fingerprint") }
        return fp
    }

    /// An identity only in memory (tests).
    public static func ephemeral() throws -> ManagementIdentity { try generate(commonName: "evsm management (ephemeral)") }

    static func generate(commonName: String) throws -> ManagementIdentity {
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else { throw ManagementTLSError.openssl("EC keygen context") }
        defer { EVP_PKEY_CTX_free(ctx) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_keygen_init(ctx) == 1, EVP_PKEY_CTX_set_group_name(ctx, "P-256") == 1,
              EVP_PKEY_generate(ctx, &pkey) == 1, let key = pkey else {
            throw ManagementTLSError.openssl("EC key generation")
        }
        guard let x = X509_new() else { EVP_PKEY_free(key); throw ManagementTLSError.openssl("X509_new") }
        var serial = [UInt8](repeating: 0, count: 8)
        guard RAND_bytes(&serial, 8) == 1 else { EVP_PKEY_free(key); X509_free(x); throw ManagementTLSError.openssl("RAND_bytes") }
        serial[0] &= 0x7F
        let sn = serial.reduce(0) { $0 << 8 | Int($1) }
        let name = X509_get_subject_name(x)
        guard X509_set_version(x, 2) == 1,
              ASN1_INTEGER_set(X509_get_serialNumber(x), sn) == 1,
              X509_gmtime_adj(X509_getm_notBefore(x), -3600) != nil,
              X509_gmtime_adj(X509_getm_notAfter(x), 20 * 365 * 86400) != nil,
              X509_set_pubkey(x, key) == 1,
              X509_NAME_add_entry_by_txt(name, "CN", 0x1001 /* MBSTRING_ASC */, commonName, -1, -1, 0) == 1,
              X509_set_issuer_name(x, name) == 1,
              X509_sign(x, key, EVP_sha256()) > 0 else {
            X509_free(x); EVP_PKEY_free(key)
            throw ManagementTLSError.openssl("self-signed certificate")
        }
        return try ManagementIdentity(key: key, cert: x)
    }

    static func load(keyPEM: [UInt8], certPEM: [UInt8]) throws -> ManagementIdentity {
        func bio(_ b: [UInt8]) -> OpaquePointer? { b.withUnsafeBytes { BIO_new_mem_buf($0.baseAddress, Int32(b.count)) } }
        guard let kb = bio(keyPEM) else { throw ManagementTLSError.openssl("BIO") }
        defer { BIO_free(kb) }
        guard let cb = bio(certPEM) else { throw ManagementTLSError.openssl("BIO") }
        defer { BIO_free(cb) }
        guard let key = PEM_read_bio_PrivateKey(kb, nil, nil, nil) else {
            throw ManagementTLSError.openssl("mgmt-key.pem is unreadable")
        }
        guard let cert = PEM_read_bio_X509(cb, nil, nil, nil) else {
            EVP_PKEY_free(key)
            throw ManagementTLSError.openssl("mgmt-cert.pem is unreadable")
        }
        guard X509_check_private_key(cert, key) == 1 else {
            EVP_PKEY_free(key); X509_free(cert)
            throw ManagementTLSError("mgmt-key.pem does not match mgmt-cert.pem")
        }
        return try ManagementIdentity(key: key, cert: cert)
    }

    func pem(privateKey: Bool) throws -> [UInt8] {
        guard let b = BIO_new(BIO_s_mem()) else { throw ManagementTLSError.openssl("BIO") }
        defer { BIO_free(b) }
        let ok = privateKey ? PEM_write_bio_PrivateKey(b, key, nil, nil, 0, nil, nil) : PEM_write_bio_X509(b, cert)
        guard ok == 1 else { throw ManagementTLSError.openssl("PEM write") }
        let n = Int(BIO_ctrl_pending(b))
        var out = [UInt8](repeating: 0, count: n)
        guard BIO_read(b, &out, Int32(n)) == Int32(n) else { throw ManagementTLSError.openssl("PEM read") }
        return out
    }

    /// The certificate in PEM (public).
    public var certificatePEM: String { (try? pem(privateKey: false)).map { String(decoding: $0, as: UTF8.self) } ?? "" }

    /// `HSMNet.AtomicFile` with `mode`.
    static func writeFile(_ bytes: [UInt8], _ path: String, _ mode: mode_t) throws {
        do {
            try AtomicFile.write(bytes, to: path, mode: mode)
        } catch let f as AtomicFile.Failure {
            throw ManagementTLSError("cannot write \(f.step == .create ? f.path : path)")
        }
    }

    /// A server context presenting this identity (TLS 1.2 or later).
    func serverContext() throws -> TLSServerContext {
        do {
            return try TLSServerContext.make(identity: .loaded(certificate: cert, key: key), minVersion: TLS1_2_VERSION)
        } catch let f as TLSServerContext.Failure {
            throw ManagementTLSError(f.message)
        }
    }
}

/// Blocking TLS stream over a connected socket (used by both ends).
public final class TLSStream {
    let ssl: OpaquePointer
    let fd: Int32
    /// Server side: the socket is non-blocking and reads/writes wait with these deadlines
    /// (idle timeout for a message's first byte, frame timeout for the rest; `DeadlineTLS`).
    var deadline: ReadDeadline?

    public init(ssl: OpaquePointer, fd: Int32) {
        self.ssl = ssl
        self.fd = fd
    }

    deinit {
        SSL_free(ssl)
        close(fd)
    }

    public func shutdown() { _ = SSL_shutdown(ssl) }

    func readExactly(_ n: Int) throws -> [UInt8] {
        if var d = deadline {
            var out: [UInt8] = []
            let r = DeadlineTLS.read(ssl, n, into: &out, &d)
            deadline = d
            switch r {
            case .bytes: return out
            case .closed: throw ManagementTLSError("connection closed")
            case .failed: throw ManagementTLSError("TLS read failed")
            case .expired: throw ManagementTLSError("connection closed by evsm: \(d.expiredReason)")
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
                        throw ManagementTLSError.timedOut
                    }
                    tries += 1
                    return tries < 1000
                }
            }
            switch outcome {
            case .done(let r): got += Int(r)
            case .failed(SSL_ERROR_SYSCALL) where timedOut():
                ERR_clear_error()
                throw ManagementTLSError.timedOut
            case .failed(let e):
                ERR_clear_error()
                throw ManagementTLSError(e == SSL_ERROR_ZERO_RETURN || got == 0 ? "connection closed" : "TLS read failed")
            case .stopped:
                ERR_clear_error()
                throw ManagementTLSError(got == 0 ? "connection closed" : "TLS read failed")
            }
        }
        return out
    }

    func writeAll(_ bytes: [UInt8]) throws {
        if var d = deadline {
            guard DeadlineTLS.write(ssl, bytes, &d) else { throw ManagementTLSError("TLS write failed") }
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
                throw timedOut ? ManagementTLSError.timedOut : ManagementTLSError("TLS write failed")
            }
            off += Int(r)
        }
    }

    /// Reads one management frame; nil when the peer closed cleanly before a frame.
    public func readMessage() throws -> ManagementMessage? {
        let prefix: [UInt8]
        deadline?.awaitFrame()
        do { prefix = try readExactly(4) } catch let e as ManagementTLSError where e.message == "connection closed" { return nil }
        guard let n = ManagementMessage.frameLength(prefix) else { throw ManagementTLSError("bad management frame length") }
        var body = try readExactly(n)
        defer { SecureBytes.wipe(&body) }
        return try ManagementMessage.decode(body: body)
    }

    public func writeMessage(_ m: ManagementMessage) throws {
        var frame = try m.encode()
        defer { SecureBytes.wipe(&frame) }
        try writeAll(frame)
    }
}

/// A write to a socket the peer closed must fail with EPIPE, not kill the process.
public func ignoreSIGPIPE() { _ = signal(SIGPIPE, SIG_IGN) }

/// Sets receive and send timeouts on a socket (`HSMNet.SocketMode`).
public func setSocketTimeouts(_ fd: Int32, seconds: Int) { SocketMode.setTimeouts(fd, seconds: seconds) }
