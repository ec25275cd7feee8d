import COpenSSL

/// Key derivation functions via OpenSSL `EVP_KDF` (algorithms fetched once).
public enum KDF {
    /// HKDF-SHA256 (RFC 5869), extract-then-expand. Empty `salt` / `info` are allowed
    /// (an empty salt means HashLen zero bytes, per RFC 5869). `length` 1...8160.
    public static func hkdfSHA256(key: [UInt8], salt: [UInt8], info: [UInt8], length: Int) throws -> [UInt8] {
        try key.withUnsafeBytes { try hkdfSHA256(key: $0, salt: salt, info: info, length: length) }
    }

    /// HKDF-SHA256 as above with the key lent as bytes (a ``SecureBytes``' `withUnsafeBytes`),
    /// so a long-lived key is not copied into an array per call.
    public static func hkdfSHA256(key: UnsafeRawBufferPointer, salt: [UInt8], info: [UInt8], length: Int) throws -> [UInt8] {
        guard length > 0, length <= 255 * 32 else { throw CryptoError.invalidArgument("HKDF output length") }
        guard key.count > 0, let kb = key.baseAddress else { throw CryptoError.invalidArgument("HKDF key") }
        let k: Octets = (UnsafeMutableRawPointer(mutating: kb), key.count)
        return try withOctets([], salt, info) { _, s, i in
            var params = [OSSL_PARAM_construct_utf8_string(CStr.digest, CStr.sha256, 0),
                          OSSL_PARAM_construct_octet_string(CStr.key, k.0, k.1)]
            if s.1 > 0 { params.append(OSSL_PARAM_construct_octet_string(CStr.salt, s.0, s.1)) }
            if i.1 > 0 { params.append(OSSL_PARAM_construct_octet_string(CStr.info, i.0, i.1)) }
            params.append(OSSL_PARAM_construct_end())
            return try derive(EVPCache.hkdf, "HKDF", &params, length)
        }
    }

    /// PBKDF2-HMAC-SHA256 (RFC 8018). `iterations` >= 1, `length` >= 1. An empty password
    /// or salt is allowed. (OpenSSL's SP 800-132 lower-bound checks are not enforced here;
    /// callers choose strong parameters, e.g. >= 200 000 iterations and a 16-byte salt.)
    public static func pbkdf2SHA256(password: [UInt8], salt: [UInt8], iterations: Int, length: Int) throws -> [UInt8] {
        guard iterations >= 1 else { throw CryptoError.invalidArgument("PBKDF2 iterations") }
        guard length > 0, length <= 1 << 20 else { throw CryptoError.invalidArgument("PBKDF2 output length") }
        return try withOctets(password, salt, []) { p, s, _ in
            var iter = UInt64(iterations)
            var noChecks: Int32 = 1
            var params = [OSSL_PARAM_construct_utf8_string(CStr.digest, CStr.sha256, 0),
                          OSSL_PARAM_construct_octet_string(CStr.pass, p.0, p.1),
                          OSSL_PARAM_construct_octet_string(CStr.salt, s.0, s.1),
                          OSSL_PARAM_construct_uint64(CStr.iter, &iter),
                          OSSL_PARAM_construct_int(CStr.pkcs5, &noChecks),
                          OSSL_PARAM_construct_end()]
            return try derive(EVPCache.pbkdf2, "PBKDF2", &params, length)
        }
    }

    /// scrypt (RFC 7914). `n` must be a power of two > 1; `r`, `p` >= 1. Memory use is
    /// about 128 * r * n bytes; the memory cap passed to OpenSSL is 1 GiB.
    public static func scrypt(password: [UInt8], salt: [UInt8], n: UInt64, r: UInt32, p: UInt32, length: Int) throws -> [UInt8] {
        guard n > 1, n & (n - 1) == 0, r >= 1, p >= 1 else { throw CryptoError.invalidArgument("scrypt parameters") }
        guard length > 0, length <= 1 << 20 else { throw CryptoError.invalidArgument("scrypt output length") }
        return try withOctets(password, salt, []) { pw, s, _ in
            var nn = n, rr = r, pp = p
            var maxmem: UInt64 = 1 << 30
            var params = [OSSL_PARAM_construct_octet_string(CStr.pass, pw.0, pw.1),
                          OSSL_PARAM_construct_octet_string(CStr.salt, s.0, s.1),
                          OSSL_PARAM_construct_uint64(CStr.n, &nn),
                          OSSL_PARAM_construct_uint32(CStr.r, &rr),
                          OSSL_PARAM_construct_uint32(CStr.p, &pp),
                          OSSL_PARAM_construct_uint64(CStr.maxmem, &maxmem),
                          OSSL_PARAM_construct_end()]
            return try derive(EVPCache.scrypt, "SCRYPT", &params, length)
        }
    }

    typealias Octets = (UnsafeMutableRawPointer?, Int)

    /// Gives stable pointers to three byte arrays for the duration of `body`. Empty arrays
    /// get a pointer to a dummy byte (OpenSSL dislikes NULL octet strings).
    private static func withOctets<R>(_ a: [UInt8], _ b: [UInt8], _ c: [UInt8],
                                      _ body: (Octets, Octets, Octets) throws -> R) throws -> R {
        var dummy: UInt8 = 0
        return try withUnsafeMutablePointer(to: &dummy) { d in
            try a.withUnsafeBytes { pa in
                try b.withUnsafeBytes { pb in
                    try c.withUnsafeBytes { pc in
                        func o(_ p: UnsafeRawBufferPointer) -> Octets {
                            (p.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) } ?? UnsafeMutableRawPointer(d), p.count)
                        }
                        return try body(o(pa), o(pb), o(pc))
                    }
                }
            }
        }
    }

    private static func derive(_ kdf: OpaquePointer?, _ name: String, _ params: inout [OSSL_PARAM], _ length: Int) throws -> [UInt8] {
        guard let kdf = kdf else { throw openSSLFailure("EVP_KDF_fetch \(name)") }
        guard let ctx = EVP_KDF_CTX_new(kdf) else { throw openSSLFailure("EVP_KDF_CTX_new") }
        defer { EVP_KDF_CTX_free(ctx) }
        return try [UInt8](unsafeUninitializedCapacity: length) { out, count in
            guard EVP_KDF_derive(ctx, out.baseAddress, length, &params) == 1 else {
                count = 0
                throw openSSLFailure("EVP_KDF_derive \(name)")
            }
            count = length
        }
    }
}
