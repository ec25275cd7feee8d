import COpenSSL

/// Hash algorithms supported by ``Digest`` and ``HMAC``.
public enum DigestAlgorithm: String, Sendable, CaseIterable {
    case sha1, sha224, sha256, sha384, sha512
    /// SM3 (GB/T 32905-2016).
    case sm3

    /// Digest length in bytes.
    public var outputLength: Int {
        switch self {
        case .sha1: return 20
        case .sha224: return 28
        case .sha256, .sm3: return 32
        case .sha384: return 48
        case .sha512: return 64
        }
    }

    var md: OpaquePointer? {
        switch self {
        case .sha1: return EVPCache.sha1
        case .sha224: return EVPCache.sha224
        case .sha256: return EVPCache.sha256
        case .sha384: return EVPCache.sha384
        case .sha512: return EVPCache.sha512
        case .sm3: return EVPCache.sm3
        }
    }

    /// OpenSSL name, as a C string with process lifetime (for OSSL_PARAM).
    var cName: UnsafeMutablePointer<CChar> {
        switch self {
        case .sha1: return CStr.sha1
        case .sha224: return CStr.sha224
        case .sha256: return CStr.sha256
        case .sha384: return CStr.sha384
        case .sha512: return CStr.sha512
        case .sm3: return CStr.sm3
        }
    }
}

/// One-shot message digests (OpenSSL `EVP_Digest` with a cached `EVP_MD`).
public enum Digest {
    /// Returns the digest of `data`.
    public static func hash(_ alg: DigestAlgorithm, _ data: [UInt8]) throws -> [UInt8] {
        guard let md = alg.md else { throw openSSLFailure("EVP_MD_fetch \(alg.rawValue)") }
        let n = alg.outputLength
        return try [UInt8](unsafeUninitializedCapacity: n) { out, count in
            var len: UInt32 = 0
            let ok = data.withUnsafeBytes { d in
                EVP_Digest(d.baseAddress, d.count, out.baseAddress, &len, md, nil)
            }
            guard ok == 1, Int(len) == n else { count = 0; throw openSSLFailure("EVP_Digest") }
            count = n
        }
    }
}

/// HMAC (RFC 2104) via OpenSSL `EVP_MAC` "HMAC" (fetched once).
public enum HMAC {
    /// Returns HMAC-`alg`(key, data). An empty key is allowed.
    public static func compute(_ alg: DigestAlgorithm, key: [UInt8], data: [UInt8]) throws -> [UInt8] {
        try key.withUnsafeBytes { try compute(alg, key: $0, data: data) }
    }

    /// Returns HMAC-`alg`(key, data) with the key lent as bytes (a ``SecureBytes``'
    /// `withUnsafeBytes`), so a long-lived key is not copied into an array per call.
    public static func compute(_ alg: DigestAlgorithm, key: UnsafeRawBufferPointer, data: [UInt8]) throws -> [UInt8] {
        guard let mac = EVPCache.hmac else { throw openSSLFailure("EVP_MAC_fetch HMAC") }
        guard let ctx = EVP_MAC_CTX_new(mac) else { throw openSSLFailure("EVP_MAC_CTX_new") }
        defer { EVP_MAC_CTX_free(ctx) }
        var params = [
            OSSL_PARAM_construct_utf8_string(CStr.digest, alg.cName, 0),
            OSSL_PARAM_construct_end(),
        ]
        var dummy: UInt8 = 0
        let okInit: Int32
        if let kp = key.baseAddress, key.count > 0 {
            okInit = EVP_MAC_init(ctx, kp.assumingMemoryBound(to: UInt8.self), key.count, &params)
        } else {
            // Empty key: OpenSSL needs a non-NULL pointer to set a zero-length key.
            okInit = withUnsafePointer(to: &dummy) { EVP_MAC_init(ctx, $0, 0, &params) }
        }
        guard okInit == 1 else { throw openSSLFailure("EVP_MAC_init") }
        let okUpd = data.withUnsafeBufferPointer { d in
            d.count == 0 ? 1 : EVP_MAC_update(ctx, d.baseAddress, d.count)
        }
        guard okUpd == 1 else { throw openSSLFailure("EVP_MAC_update") }
        let n = alg.outputLength
        return try [UInt8](unsafeUninitializedCapacity: n) { out, count in
            var len = 0
            guard EVP_MAC_final(ctx, out.baseAddress, &len, n) == 1, len == n else {
                count = 0
                throw openSSLFailure("EVP_MAC_final")
            }
            count = n
        }
    }
}
