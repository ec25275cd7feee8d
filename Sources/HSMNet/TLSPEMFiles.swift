import COpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The PEM files of a TLS client context (CA certificates, certificate chain, private key),
/// read by the library (`CloseOnExecFile`, close-on-exec) and given to OpenSSL from memory:
/// the same effect as `SSL_CTX_load_verify_locations`, `SSL_CTX_use_certificate_chain_file`
/// and `SSL_CTX_use_PrivateKey_file` (PEM), whose own `fopen` a program started meanwhile
/// would inherit. Each returns false with OpenSSL's reason on its error queue, or the
/// `errno` when the file cannot be read.
enum TLSPEMFiles {
    enum Outcome: Equatable {
        case loaded
        /// The file could not be read (`errno`).
        case unreadable(Int32)
        /// OpenSSL found nothing usable (its reason is on the error queue).
        case unusable
    }

    /// Runs `body` on a read-only memory BIO over the file's bytes (zeroed afterwards).
    private static func withFile(_ path: String, _ body: (OpaquePointer) -> Bool) -> Outcome {
        let run = CloseOnExecFile.withContents(path) { bytes -> Bool in
            guard let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else { return false }
            defer { BIO_free(bio) }
            return body(bio)
        }
        switch run {
        case let .failure(.errno(e)): return .unreadable(e)
        case let .success(ok): return ok ? .loaded : .unusable
        }
    }

    /// After a loop of PEM reads: the queue's last error is "no start line" at the end of the
    /// data (cleared: not a failure); any other error is a malformed block.
    private static func endedCleanly() -> Bool {
        let e = ERR_peek_last_error()
        guard e != 0 else { return true }
        if ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE {
            ERR_clear_error()
            return true
        }
        return false
    }

    /// Every certificate of the file into the context's trust store (at least one).
    static func loadCAs(_ ctx: OpaquePointer, _ path: String) -> Outcome {
        withFile(path) { bio in
            guard let store = SSL_CTX_get_cert_store(ctx) else { return false }
            var added = 0
            while let x = PEM_read_bio_X509_AUX(bio, nil, nil, nil) {
                defer { X509_free(x) }
                guard X509_STORE_add_cert(store, x) == 1 else { return false }
                added += 1
            }
            return endedCleanly() && added > 0
        }
    }

    /// The first certificate of the file as the context's own, the rest as its chain.
    static func useCertificateChain(_ ctx: OpaquePointer, _ path: String) -> Outcome {
        withFile(path) { bio in
            guard let leaf = PEM_read_bio_X509_AUX(bio, nil, nil, nil) else { return false }
            defer { X509_free(leaf) }
            guard SSL_CTX_use_certificate(ctx, leaf) == 1 else { return false }
            _ = SSL_CTX_ctrl(ctx, SSL_CTRL_CHAIN, 0, nil)  // SSL_CTX_clear_chain_certs
            while let ca = PEM_read_bio_X509(bio, nil, nil, nil) {
                // add0: the context owns `ca` on success.
                guard SSL_CTX_ctrl(ctx, SSL_CTRL_CHAIN_CERT, 0, UnsafeMutableRawPointer(ca)) == 1 else {
                    X509_free(ca)
                    return false
                }
            }
            return endedCleanly()
        }
    }

    /// The file's private key as the context's (the file's bytes are zeroed afterwards).
    static func usePrivateKey(_ ctx: OpaquePointer, _ path: String) -> Outcome {
        withFile(path) { bio in
            guard let key = PEM_read_bio_PrivateKey(bio, nil, SSL_CTX_get_default_passwd_cb(ctx),
                                                    SSL_CTX_get_default_passwd_cb_userdata(ctx)) else { return false }
            defer { EVP_PKEY_free(key) }
            return SSL_CTX_use_PrivateKey(ctx, key) == 1
        }
    }
}
