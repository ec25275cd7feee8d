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

/// The error of the management channel's TLS steps and stream (HSMNet's `TLSStreamError`).
public typealias ManagementTLSError = TLSStreamError

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
        try ManagementCertificate.fingerprint(ofCertificateIn: directory)
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

/// A write to a socket the peer closed must fail with EPIPE, not kill the process.
public func ignoreSIGPIPE() { _ = signal(SIGPIPE, SIG_IGN) }
