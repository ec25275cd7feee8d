import COpenSSL

/// RSA through OpenSSL's EVP_PKEY "RSA" (PKCS #1, RFC 8017). Keys are DER bytes:
/// private keys PKCS#1 `RSAPrivateKey`, public keys PKCS#1 `RSAPublicKey`
/// (SEQUENCE { INTEGER n, INTEGER e }), as TASS and payShield devices carry them.
///
/// Thin wrappers only: key generation (EVP_PKEY keygen), raw / PKCS#1 v1.5 / OAEP
/// encryption, PKCS#1 v1.5 and PSS signatures over a message (the digest is computed here),
/// the CRT components. Private-key DER is a secret: zero it (``SecureBytes/wipe(_:)``) when done.
public enum RSA {
    /// Public-key encryption padding.
    public enum EncryptionPadding: Sendable, Equatable {
        /// None: the data block must be exactly the modulus length and below n.
        case none
        /// PKCS #1 v1.5 type 2 (RFC 8017 §7.2).
        case pkcs1
        /// OAEP with SHA-1, MGF1-SHA-1 and an empty label (RFC 8017 §7.1 defaults).
        case oaepSHA1
    }

    /// Signature scheme.
    public enum SignaturePadding: Sendable, Equatable {
        /// RSASSA-PKCS1-v1_5 (DigestInfo of the digest; deterministic).
        case pkcs1
        /// RSASSA-PSS, MGF1 with the same digest, salt as long as the digest.
        case pss
    }

    /// CRT components of a private key (big-endian, no leading zeros). Zero them when done.
    public struct Components: Sendable, Equatable {
        public var n: [UInt8], e: [UInt8], d: [UInt8], p: [UInt8], q: [UInt8]
        public var dP: [UInt8], dQ: [UInt8], qInv: [UInt8]
        public init(n: [UInt8], e: [UInt8], d: [UInt8], p: [UInt8], q: [UInt8], dP: [UInt8], dQ: [UInt8], qInv: [UInt8]) {
            self.n = n; self.e = e; self.d = d; self.p = p; self.q = q
            self.dP = dP; self.dQ = dQ; self.qInv = qInv
        }
        public mutating func wipe() {
            SecureBytes.wipe(&d); SecureBytes.wipe(&p); SecureBytes.wipe(&q)
            SecureBytes.wipe(&dP); SecureBytes.wipe(&dQ); SecureBytes.wipe(&qInv)
        }
    }

    public static let minBits = 1024
    public static let maxBits = 4096

    // MARK: keys

    /// Generates a key pair of `bits` (1024...4096, a multiple of 8) with public exponent
    /// `exponent` (3 or 65537). Returns the PKCS#1 `RSAPrivateKey` DER.
    public static func generatePrivateKey(bits: Int, exponent: Int = 65537) throws -> [UInt8] {
        guard bits >= minBits, bits <= maxBits, bits % 8 == 0 else { throw CryptoError.invalidArgument("RSA modulus bits") }
        guard exponent == 3 || exponent == 65537 else { throw CryptoError.invalidArgument("RSA public exponent") }
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, "RSA", nil) else { throw openSSLFailure("EVP_PKEY_CTX_new_from_name RSA") }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard let e = BN_new() else { throw openSSLFailure("BN_new") }
        defer { BN_free(e) }
        guard BN_set_word(e, UInt(exponent)) == 1 else { throw openSSLFailure("BN_set_word") }
        var pkey: OpaquePointer?
        guard EVP_PKEY_keygen_init(ctx) == 1,
              EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, Int32(bits)) == 1,
              EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, e) == 1,
              EVP_PKEY_generate(ctx, &pkey) == 1, let key = pkey else { throw openSSLFailure("RSA keygen") }
        defer { EVP_PKEY_free(key) }
        return try privateDER(key)
    }

    /// The PKCS#1 `RSAPublicKey` DER of a private key.
    public static func publicKey(ofPrivateKey der: [UInt8]) throws -> [UInt8] {
        let key = try loadPrivate(der)
        defer { EVP_PKEY_free(key) }
        return try publicDER(key)
    }

    /// Modulus size in bits of a private (`isPrivate`) or public DER key.
    public static func modulusBits(_ der: [UInt8], isPrivate: Bool) throws -> Int {
        let key = try isPrivate ? loadPrivate(der) : loadPublic(der)
        defer { EVP_PKEY_free(key) }
        return Int(EVP_PKEY_get_bits(key))
    }

    /// Whether `der` is exactly one well-formed PKCS#1 `RSAPublicKey` (1024...4096 bits).
    public static func isValidPublicKey(_ der: [UInt8]) -> Bool {
        guard let k = try? loadPublic(der) else { return false }
        EVP_PKEY_free(k)
        return true
    }

    /// The CRT components of a private key.
    public static func components(ofPrivateKey der: [UInt8]) throws -> Components {
        let key = try loadPrivate(der)
        defer { EVP_PKEY_free(key) }
        func bn(_ name: UnsafeMutablePointer<CChar>) throws -> [UInt8] {
            var b: OpaquePointer?
            guard EVP_PKEY_get_bn_param(key, name, &b) == 1, let v = b else { throw openSSLFailure("RSA component") }
            defer { BN_clear_free(v) }
            var out = [UInt8](repeating: 0, count: Int((BN_num_bits(v) + 7) / 8))
            _ = BN_bn2bin(v, &out)
            return out
        }
        return Components(n: try bn(Names.n), e: try bn(Names.e), d: try bn(Names.d), p: try bn(Names.p), q: try bn(Names.q),
                          dP: try bn(Names.dP), dQ: try bn(Names.dQ), qInv: try bn(Names.qInv))
    }

    /// A PKCS#1 `RSAPrivateKey` DER from its components; the key is checked (primes,
    /// exponents, n = p*q) and refused with `invalidArgument` when inconsistent.
    public static func privateKey(from c: Components) throws -> [UInt8] {
        guard let bld = OSSL_PARAM_BLD_new() else { throw openSSLFailure("OSSL_PARAM_BLD_new") }
        defer { OSSL_PARAM_BLD_free(bld) }
        var bns: [OpaquePointer] = []
        defer { for b in bns { BN_clear_free(b) } }
        let parts: [(UnsafeMutablePointer<CChar>, [UInt8])] = [
            (Names.n, c.n), (Names.e, c.e), (Names.d, c.d), (Names.p, c.p), (Names.q, c.q),
            (Names.dP, c.dP), (Names.dQ, c.dQ), (Names.qInv, c.qInv),
        ]
        for (name, v) in parts {
            guard !v.isEmpty, v.count <= 1024, let b = BN_bin2bn(v, Int32(v.count), nil) else {
                throw CryptoError.invalidArgument("RSA component")
            }
            bns.append(b)
            guard OSSL_PARAM_BLD_push_BN(bld, name, b) == 1 else { throw openSSLFailure("OSSL_PARAM_BLD_push_BN") }
        }
        guard let params = OSSL_PARAM_BLD_to_param(bld) else { throw openSSLFailure("OSSL_PARAM_BLD_to_param") }
        defer { OSSL_PARAM_free(params) }  // 3.0 cleanses the BN blocks
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, "RSA", nil) else { throw openSSLFailure("EVP_PKEY_CTX_new_from_name RSA") }
        defer { EVP_PKEY_CTX_free(ctx) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_fromdata_init(ctx) == 1, EVP_PKEY_fromdata(ctx, &pkey, 0x87 /* EVP_PKEY_KEYPAIR */, params) == 1, let key = pkey else {
            throw openSSLFailure("EVP_PKEY_fromdata RSA")
        }
        defer { EVP_PKEY_free(key) }
        guard let check = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else { throw openSSLFailure("EVP_PKEY_CTX_new_from_pkey") }
        defer { EVP_PKEY_CTX_free(check) }
        let bits = Int(EVP_PKEY_get_bits(key))
        guard bits >= minBits, bits <= maxBits, EVP_PKEY_check(check) == 1 else {
            ERR_clear_error()
            throw CryptoError.invalidArgument("RSA private key")
        }
        return try privateDER(key)
    }

    // MARK: encryption

    /// Encrypts with the public key. Data limits: `.none` exactly the modulus length;
    /// `.pkcs1` at most k - 11 bytes; `.oaepSHA1` at most k - 42.
    public static func encrypt(_ data: [UInt8], publicKey der: [UInt8], padding: EncryptionPadding) throws -> [UInt8] {
        try encrypt(data, publicKey: PublicKey(der: der), padding: padding)
    }

    /// ``encrypt(_:publicKey:padding:)`` with a parsed key.
    public static func encrypt(_ data: [UInt8], publicKey pk: PublicKey, padding: EncryptionPadding) throws -> [UInt8] {
        let key = pk.pkey
        let k = pk.modulusBytes
        switch padding {
        case .none: guard data.count == k else { throw CryptoError.invalidArgument("RSA data length") }
        case .pkcs1: guard data.count <= k - 11 else { throw CryptoError.invalidArgument("RSA data length") }
        case .oaepSHA1: guard data.count <= k - 42 else { throw CryptoError.invalidArgument("RSA data length") }
        }
        guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else { throw openSSLFailure("EVP_PKEY_CTX_new_from_pkey") }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_encrypt_init(ctx) == 1, EVP_PKEY_CTX_set_rsa_padding(ctx, padding.openSSL) == 1 else {
            throw openSSLFailure("EVP_PKEY_encrypt_init")
        }
        var out = [UInt8](repeating: 0, count: k)
        var len = k
        guard EVP_PKEY_encrypt(ctx, &out, &len, data, data.count) == 1 else { throw openSSLFailure("RSA encrypt") }
        return Array(out[0..<len])
    }

    /// Decrypts with the private key; `invalidArgument("RSA ciphertext")` when the block is
    /// not the modulus length, not below n, or its padding does not decode.
    public static func decrypt(_ data: [UInt8], privateKey der: [UInt8], padding: EncryptionPadding) throws -> [UInt8] {
        try decrypt(data, privateKey: PrivateKey(der: der), padding: padding)
    }

    /// ``decrypt(_:privateKey:padding:)`` with a parsed key.
    public static func decrypt(_ data: [UInt8], privateKey pk: PrivateKey, padding: EncryptionPadding) throws -> [UInt8] {
        let key = pk.pkey
        let k = pk.modulusBytes
        guard data.count == k else { throw CryptoError.invalidArgument("RSA ciphertext") }
        guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else { throw openSSLFailure("EVP_PKEY_CTX_new_from_pkey") }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_decrypt_init(ctx) == 1, EVP_PKEY_CTX_set_rsa_padding(ctx, padding.openSSL) == 1 else {
            throw openSSLFailure("EVP_PKEY_decrypt_init")
        }
        var out = [UInt8](repeating: 0, count: k)
        var len = k
        guard EVP_PKEY_decrypt(ctx, &out, &len, data, data.count) == 1 else {
            SecureBytes.wipe(&out)
            ERR_clear_error()
            throw CryptoError.invalidArgument("RSA ciphertext")
        }
        let r = Array(out[0..<len])
        SecureBytes.wipe(&out)
        return r
    }

    // MARK: signatures

    /// Signs `message` (hashed here with `digest`). Returns a modulus-length signature.
    public static func sign(_ message: [UInt8], digest: DigestAlgorithm, privateKey der: [UInt8],
                            padding: SignaturePadding = .pkcs1) throws -> [UInt8] {
        try sign(message, digest: digest, privateKey: PrivateKey(der: der), padding: padding)
    }

    /// ``sign(_:digest:privateKey:padding:)`` with a parsed key.
    public static func sign(_ message: [UInt8], digest: DigestAlgorithm, privateKey pk: PrivateKey,
                            padding: SignaturePadding = .pkcs1) throws -> [UInt8] {
        let h = try toBeSigned(message, digest, padding)
        let key = pk.pkey
        guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else { throw openSSLFailure("EVP_PKEY_CTX_new_from_pkey") }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_sign_init(ctx) == 1 else { throw openSSLFailure("EVP_PKEY_sign_init") }
        try setSignature(ctx, digest, padding)
        var len = 0
        guard EVP_PKEY_sign(ctx, nil, &len, h, h.count) == 1 else { throw openSSLFailure("EVP_PKEY_sign") }
        var sig = [UInt8](repeating: 0, count: len)
        guard EVP_PKEY_sign(ctx, &sig, &len, h, h.count) == 1 else { throw openSSLFailure("EVP_PKEY_sign") }
        return Array(sig[0..<len])
    }

    /// Verifies a signature over `message`: `false` when it does not verify (also for a
    /// signature of the wrong length); throws for a bad key.
    public static func verify(_ signature: [UInt8], message: [UInt8], digest: DigestAlgorithm, publicKey der: [UInt8],
                              padding: SignaturePadding = .pkcs1) throws -> Bool {
        try verify(signature, message: message, digest: digest, publicKey: PublicKey(der: der), padding: padding)
    }

    /// ``verify(_:message:digest:publicKey:padding:)`` with a parsed key.
    public static func verify(_ signature: [UInt8], message: [UInt8], digest: DigestAlgorithm, publicKey pk: PublicKey,
                              padding: SignaturePadding = .pkcs1) throws -> Bool {
        let h = try toBeSigned(message, digest, padding)
        let key = pk.pkey
        guard signature.count == pk.modulusBytes else { return false }
        guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else { throw openSSLFailure("EVP_PKEY_CTX_new_from_pkey") }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_verify_init(ctx) == 1 else { throw openSSLFailure("EVP_PKEY_verify_init") }
        try setSignature(ctx, digest, padding)
        let rc = EVP_PKEY_verify(ctx, signature, signature.count, h, h.count)
        ERR_clear_error()
        return rc == 1
    }

    // MARK: internals

    enum Names {
        static let n = CStr.make("n"), e = CStr.make("e"), d = CStr.make("d")
        static let p = CStr.make("rsa-factor1"), q = CStr.make("rsa-factor2")
        static let dP = CStr.make("rsa-exponent1"), dQ = CStr.make("rsa-exponent2"), qInv = CStr.make("rsa-coefficient1")
    }

    /// DigestInfo prefix of SM3 (OID 1.2.156.10197.1.401, GM/T 0006), which OpenSSL 3.0's RSA
    /// provider does not take as a signature digest: for SM3 the DigestInfo is built here
    /// and signed with PKCS #1 v1.5 type 1 padding and no digest set.
    static let sm3DigestInfo: [UInt8] = [0x30, 0x30, 0x30, 0x0C, 0x06, 0x08, 0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x01, 0x83, 0x11,
                                         0x05, 0x00, 0x04, 0x20]

    private static func toBeSigned(_ message: [UInt8], _ digest: DigestAlgorithm, _ padding: SignaturePadding) throws -> [UInt8] {
        let h = try Digest.hash(digest, message)
        guard digest == .sm3 else { return h }
        guard padding == .pkcs1 else { throw CryptoError.unsupported("RSA PSS with SM3") }
        return sm3DigestInfo + h
    }

    private static func setSignature(_ ctx: OpaquePointer, _ digest: DigestAlgorithm, _ padding: SignaturePadding) throws {
        guard let md = digest.md else { throw openSSLFailure("digest") }
        if digest == .sm3 {
            guard EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 else { throw openSSLFailure("RSA padding") }
            return
        }
        switch padding {
        case .pkcs1:
            guard EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1,
                  EVP_PKEY_CTX_set_signature_md(ctx, md) == 1 else { throw CryptoError.unsupported("RSA PKCS#1 v1.5 with this digest") }
        case .pss:
            guard EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) == 1,
                  EVP_PKEY_CTX_set_signature_md(ctx, md) == 1,
                  EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) == 1,
                  EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST) == 1 else { throw CryptoError.unsupported("RSA PSS with this digest") }
        }
    }

    /// Parses exactly one DER `RSAPrivateKey` (nothing may follow; re-encoding must give the
    /// same bytes) of 1024...4096 bits.
    static func loadPrivate(_ der: [UInt8]) throws -> OpaquePointer {
        guard !der.isEmpty, der.count <= 8192 else { throw CryptoError.invalidArgument("RSA private key") }
        let key: OpaquePointer? = der.withUnsafeBufferPointer { b in
            var p: UnsafePointer<UInt8>? = b.baseAddress
            return d2i_PrivateKey(EVP_PKEY_RSA, nil, &p, b.count)
        }
        guard let k = key else { ERR_clear_error(); throw CryptoError.invalidArgument("RSA private key") }
        var again = (try? privateDER(k)) ?? []
        defer { SecureBytes.wipe(&again) }
        let bits = Int(EVP_PKEY_get_bits(k))
        guard EVP_PKEY_get_base_id(k) == EVP_PKEY_RSA, again == der, bits >= minBits, bits <= maxBits else {
            EVP_PKEY_free(k)
            throw CryptoError.invalidArgument("RSA private key")
        }
        return k
    }

    /// Parses exactly one DER `RSAPublicKey` of 1024...4096 bits.
    static func loadPublic(_ der: [UInt8]) throws -> OpaquePointer {
        guard !der.isEmpty, der.count <= 1100 else { throw CryptoError.invalidArgument("RSA public key") }
        let key: OpaquePointer? = der.withUnsafeBufferPointer { b in
            var p: UnsafePointer<UInt8>? = b.baseAddress
            return d2i_PublicKey(EVP_PKEY_RSA, nil, &p, b.count)
        }
        guard let k = key else { ERR_clear_error(); throw CryptoError.invalidArgument("RSA public key") }
        let bits = Int(EVP_PKEY_get_bits(k))
        guard (try? publicDER(k)) == der, bits >= minBits, bits <= maxBits else {
            EVP_PKEY_free(k)
            throw CryptoError.invalidArgument("RSA public key")
        }
        return k
    }

    static func privateDER(_ key: OpaquePointer) throws -> [UInt8] {
        let n = i2d_PrivateKey(key, nil)
        guard n > 0 else { throw openSSLFailure("i2d_PrivateKey") }
        var out = [UInt8](repeating: 0, count: Int(n))
        let m = out.withUnsafeMutableBufferPointer { b -> Int32 in
            var p: UnsafeMutablePointer<UInt8>? = b.baseAddress
            return i2d_PrivateKey(key, &p)
        }
        guard m == n else { SecureBytes.wipe(&out); throw openSSLFailure("i2d_PrivateKey") }
        return out
    }

    static func publicDER(_ key: OpaquePointer) throws -> [UInt8] {
        let n = i2d_PublicKey(key, nil)
        guard n > 0 else { throw openSSLFailure("i2d_PublicKey") }
        var out = [UInt8](repeating: 0, count: Int(n))
        let m = out.withUnsafeMutableBufferPointer { b -> Int32 in
            var p: UnsafeMutablePointer<UInt8>? = b.baseAddress
            return i2d_PublicKey(key, &p)
        }
        guard m == n else { throw openSSLFailure("i2d_PublicKey") }
        return out
    }
}

extension RSA.EncryptionPadding {
    var openSSL: Int32 {
        switch self {
        case .none: return RSA_NO_PADDING
        case .pkcs1: return RSA_PKCS1_PADDING
        case .oaepSHA1: return RSA_PKCS1_OAEP_PADDING
        }
    }
}

extension RSA {
    /// Modulus and public exponent (big-endian, no leading zeros) of a DER `RSAPublicKey`.
    public static func publicComponents(_ der: [UInt8]) throws -> (n: [UInt8], e: [UInt8]) {
        let key = try loadPublic(der)
        defer { EVP_PKEY_free(key) }
        func bn(_ name: UnsafeMutablePointer<CChar>) throws -> [UInt8] {
            var b: OpaquePointer?
            guard EVP_PKEY_get_bn_param(key, name, &b) == 1, let v = b else { throw openSSLFailure("RSA public component") }
            defer { BN_free(v) }
            var out = [UInt8](repeating: 0, count: Int((BN_num_bits(v) + 7) / 8))
            _ = BN_bn2bin(v, &out)
            return out
        }
        return (try bn(Names.n), try bn(Names.e))
    }
}
