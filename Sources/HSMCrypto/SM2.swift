import COpenSSL

/// SM2 public-key cryptography (GB/T 32918, curve sm2p256v1) through OpenSSL's "SM2"
/// EVP_PKEY. Keys are raw bytes: private key = 32-byte big-endian scalar d (1 <= d <= n-2);
/// public key = 64 bytes X||Y (65 bytes `04`||X||Y also accepted everywhere).
///
/// Signatures are raw r||s (64 bytes; ``signatureToDER(_:)`` / ``signatureFromDER(_:)``
/// convert). Ciphertexts are GM/T 0009 / GB/T 32918.4 order C1||C3||C2:
/// `04`||x1||y1 (65) || C3 = SM3 hash (32) || C2 (same length as the plaintext), i.e.
/// plaintext length + 97 bytes (``ciphertextToDER(_:)`` / ``ciphertextFromDER(_:)``
/// convert to OpenSSL's ASN.1 form).
public enum SM2 {
    /// The default user id of GM/T 0009-2012: "1234567812345678".
    public static let defaultUserID: [UInt8] = Array("1234567812345678".utf8)

    /// A generated key pair.
    public struct KeyPair: Sendable {
        /// 32-byte private scalar. Zero it (``SecureBytes/wipe(_:)``) when done.
        public var privateKey: [UInt8]
        /// 64-byte public key X||Y.
        public var publicKey: [UInt8]
    }

    // GB/T 32918.5-2017 recommended curve parameters.
    static let a = hex("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC")
    static let b = hex("28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93")
    static let xG = hex("32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7")
    static let yG = hex("BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0")

    static let group: OpaquePointer? = EC_GROUP_new_by_curve_name(NID_sm2)

    private static func hex(_ s: String) -> [UInt8] { Hex.decode(s) ?? [] }

    // MARK: keys

    /// Generates a key pair (OpenSSL keygen on curve SM2).
    public static func generateKeyPair() throws -> KeyPair {
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, "SM2", nil) else { throw openSSLFailure("EVP_PKEY_CTX_new_from_name SM2") }
        defer { EVP_PKEY_CTX_free(ctx) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_keygen_init(ctx) == 1, EVP_PKEY_generate(ctx, &pkey) == 1, let key = pkey else {
            throw openSSLFailure("SM2 keygen")
        }
        defer { EVP_PKEY_free(key) }
        var bn: OpaquePointer?
        guard EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &bn) == 1, let d = bn else {
            throw openSSLFailure("SM2 get private key")
        }
        defer { BN_clear_free(d) }
        var priv = [UInt8](repeating: 0, count: 32)
        guard BN_bn2binpad(d, &priv, 32) == 32 else { SecureBytes.wipe(&priv); throw openSSLFailure("BN_bn2binpad") }
        var pub = [UInt8](repeating: 0, count: 65)
        var len = 0
        guard EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, &pub, 65, &len) == 1, len == 65, pub[0] == 4 else {
            SecureBytes.wipe(&priv)
            throw openSSLFailure("SM2 get public key")
        }
        return KeyPair(privateKey: priv, publicKey: Array(pub[1...]))
    }

    /// Computes the 64-byte public key X||Y of a 32-byte private key. Throws
    /// ``CryptoError/invalidKeyLength(algorithm:length:)`` for a wrong length and
    /// `invalidArgument("SM2 private key")` when d is not in 1...n-2.
    public static func publicKey(fromPrivateKey d: [UInt8]) throws -> [UInt8] {
        let pub65 = try derivePublic(d)
        return Array(pub65[1...])
    }

    /// 65-byte uncompressed encoding `04`||X||Y of a 64- or 65-byte public key.
    public static func uncompressedPublicKey(_ publicKey: [UInt8]) throws -> [UInt8] {
        try normalisedPublic(publicKey)
    }

    /// Checks that a public key (64 or 65 bytes) is a valid point on the SM2 curve.
    public static func isValidPublicKey(_ publicKey: [UInt8]) -> Bool {
        guard let p = try? normalisedPublic(publicKey), let g = group, let pt = EC_POINT_new(g) else { return false }
        defer { EC_POINT_free(pt) }
        return EC_POINT_oct2point(g, pt, p, 65, nil) == 1 && EC_POINT_is_at_infinity(g, pt) == 0
    }

    // MARK: Z value and digests

    /// Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA) (GB/T 32918.2 section 5.5),
    /// where ENTL is the bit length of `userID` as 2 bytes big-endian. `userID` at most
    /// 8191 bytes.
    public static func zValue(userID: [UInt8] = defaultUserID, publicKey: [UInt8]) throws -> [UInt8] {
        guard userID.count <= 8191 else { throw CryptoError.invalidArgument("SM2 user id length") }
        let p = try normalisedPublic(publicKey)
        let bits = userID.count * 8
        var input = [UInt8(bits >> 8), UInt8(bits & 0xFF)]
        input.reserveCapacity(2 + userID.count + 192)
        input += userID
        input += a
        input += b
        input += xG
        input += yG
        input += p[1...]
        return try Digest.hash(.sm3, input)
    }

    /// e = SM3(Z || message): the digest SM2 signs.
    public static func messageDigest(_ message: [UInt8], userID: [UInt8] = defaultUserID, publicKey: [UInt8]) throws -> [UInt8] {
        try Digest.hash(.sm3, zValue(userID: userID, publicKey: publicKey) + message)
    }

    // MARK: signatures

    /// Signs `message` for `userID` (default "1234567812345678"): computes
    /// e = SM3(Z||M) and signs it. Returns r||s (64 bytes).
    public static func sign(message: [UInt8], privateKey: [UInt8], userID: [UInt8] = defaultUserID) throws -> [UInt8] {
        let pub65 = try derivePublic(privateKey)
        let e = try messageDigest(message, userID: userID, publicKey: pub65)
        return try signDigest(e, privateKey: privateKey, publicKey: pub65)
    }

    /// Signs `message` with a key pair whose public key (64 or 65 bytes) the caller knows to
    /// be d*G (generated with it, or checked): as ``sign(message:privateKey:userID:)``
    /// without the scalar multiplication that derives the public key. Returns r||s.
    public static func sign(message: [UInt8], privateKey: [UInt8], publicKey: [UInt8],
                            userID: [UInt8] = defaultUserID) throws -> [UInt8] {
        guard privateKey.count == 32 else { throw CryptoError.invalidKeyLength(algorithm: "SM2 private key", length: privateKey.count) }
        let pub65 = try normalisedPublic(publicKey)
        let e = try messageDigest(message, userID: userID, publicKey: pub65)
        return try signDigest(e, privateKey: privateKey, publicKey: pub65)
    }

    /// Verifies a raw r||s signature over `message` for `userID`. Returns false for a
    /// signature that does not verify (including malformed r||s); throws for a bad key.
    public static func verify(signature: [UInt8], message: [UInt8], publicKey: [UInt8], userID: [UInt8] = defaultUserID) throws -> Bool {
        let e = try messageDigest(message, userID: userID, publicKey: publicKey)
        return try verifyDigest(signature: signature, digest: e, publicKey: publicKey)
    }

    /// Signs a precomputed 32-byte digest e (= SM3(Z||M)). Returns r||s.
    public static func signDigest(_ digest: [UInt8], privateKey: [UInt8]) throws -> [UInt8] {
        try signDigest(digest, privateKey: privateKey, publicKey: derivePublic(privateKey))
    }

    /// Verifies r||s over a precomputed 32-byte digest e.
    public static func verifyDigest(signature: [UInt8], digest: [UInt8], publicKey: [UInt8]) throws -> Bool {
        guard digest.count == 32 else { throw CryptoError.invalidArgument("SM2 digest length") }
        let pub65 = try normalisedPublic(publicKey)
        guard signature.count == 64, let der = try? signatureToDER(signature) else { return false }
        let pkey = try makePKey(privateKey: nil, publicKey65: pub65)
        defer { EVP_PKEY_free(pkey) }
        guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, pkey, nil) else { throw openSSLFailure("EVP_PKEY_CTX_new_from_pkey") }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_verify_init(ctx) == 1 else { throw openSSLFailure("EVP_PKEY_verify_init") }
        let rc = EVP_PKEY_verify(ctx, der, der.count, digest, digest.count)
        ERR_clear_error()
        return rc == 1
    }

    private static func signDigest(_ digest: [UInt8], privateKey: [UInt8], publicKey pub65: [UInt8]) throws -> [UInt8] {
        guard digest.count == 32 else { throw CryptoError.invalidArgument("SM2 digest length") }
        let pkey = try makePKey(privateKey: privateKey, publicKey65: pub65)
        defer { EVP_PKEY_free(pkey) }
        guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, pkey, nil) else { throw openSSLFailure("EVP_PKEY_CTX_new_from_pkey") }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_sign_init(ctx) == 1 else { throw openSSLFailure("EVP_PKEY_sign_init") }
        var sig = [UInt8](repeating: 0, count: 80)
        var len = sig.count
        guard EVP_PKEY_sign(ctx, &sig, &len, digest, digest.count) == 1 else { throw openSSLFailure("EVP_PKEY_sign") }
        return try signatureFromDER(Array(sig[0..<len]))
    }

    /// DER ECDSA-Sig-Value (SEQUENCE { r INTEGER, s INTEGER }) of a raw r||s signature.
    public static func signatureToDER(_ rs: [UInt8]) throws -> [UInt8] {
        guard rs.count == 64 else { throw CryptoError.invalidArgument("SM2 signature length") }
        return DER.tlv(0x30, DER.integer(Array(rs[0..<32])) + DER.integer(Array(rs[32..<64])))
    }

    /// Raw r||s (64 bytes) of a DER ECDSA-Sig-Value; rejects trailing data and oversize
    /// integers.
    public static func signatureFromDER(_ der: [UInt8]) throws -> [UInt8] {
        var outer = DER.Reader(der)
        let body = try outer.read(tag: 0x30)
        guard outer.atEnd else { throw CryptoError.invalidArgument("DER trailing data") }
        var r = DER.Reader(body)
        let rr = try r.readUnsigned(width: 32)
        let ss = try r.readUnsigned(width: 32)
        guard r.atEnd else { throw CryptoError.invalidArgument("DER trailing data") }
        return rr + ss
    }

    // MARK: encryption

    /// Encrypts `plaintext` (non-empty) to `publicKey`. Returns C1||C3||C2 (see type docs).
    public static func encrypt(_ plaintext: [UInt8], publicKey: [UInt8]) throws -> [UInt8] {
        guard !plaintext.isEmpty else { throw CryptoError.invalidArgument("SM2 empty plaintext") }
        let pub65 = try normalisedPublic(publicKey)
        let pkey = try makePKey(privateKey: nil, publicKey65: pub65)
        defer { EVP_PKEY_free(pkey) }
        guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, pkey, nil) else { throw openSSLFailure("EVP_PKEY_CTX_new_from_pkey") }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_encrypt_init(ctx) == 1 else { throw openSSLFailure("EVP_PKEY_encrypt_init") }
        var len = 0
        guard EVP_PKEY_encrypt(ctx, nil, &len, plaintext, plaintext.count) == 1 else { throw openSSLFailure("EVP_PKEY_encrypt") }
        var out = [UInt8](repeating: 0, count: len)
        guard EVP_PKEY_encrypt(ctx, &out, &len, plaintext, plaintext.count) == 1 else { throw openSSLFailure("EVP_PKEY_encrypt") }
        return try ciphertextFromDER(Array(out[0..<len]))
    }

    /// Decrypts C1||C3||C2. Throws ``CryptoError/authenticationFailed`` when decryption
    /// fails (C3 mismatch, C1 not on the curve, wrong key).
    public static func decrypt(_ ciphertext: [UInt8], privateKey: [UInt8]) throws -> [UInt8] {
        guard ciphertext.count > 97 else { throw CryptoError.invalidArgument("SM2 ciphertext length") }
        let der = try ciphertextToDER(ciphertext)
        let pkey = try makePKey(privateKey: privateKey, publicKey65: derivePublic(privateKey))
        defer { EVP_PKEY_free(pkey) }
        guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, pkey, nil) else { throw openSSLFailure("EVP_PKEY_CTX_new_from_pkey") }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_decrypt_init(ctx) == 1 else { throw openSSLFailure("EVP_PKEY_decrypt_init") }
        var len = 0
        guard EVP_PKEY_decrypt(ctx, nil, &len, der, der.count) == 1 else {
            ERR_clear_error()
            throw CryptoError.authenticationFailed
        }
        var out = [UInt8](repeating: 0, count: len)
        guard EVP_PKEY_decrypt(ctx, &out, &len, der, der.count) == 1 else {
            SecureBytes.wipe(&out)
            ERR_clear_error()
            throw CryptoError.authenticationFailed
        }
        if len < out.count {
            let result = Array(out[0..<len])
            SecureBytes.wipe(&out)
            return result
        }
        return out
    }

    /// Converts raw C1||C3||C2 into OpenSSL's / GM/T 0009 ASN.1 form
    /// `SEQUENCE { INTEGER x1, INTEGER y1, OCTET STRING C3, OCTET STRING C2 }`.
    public static func ciphertextToDER(_ raw: [UInt8]) throws -> [UInt8] {
        guard raw.count > 97, raw[0] == 0x04 else { throw CryptoError.invalidArgument("SM2 ciphertext") }
        let x = Array(raw[1..<33]), y = Array(raw[33..<65])
        let c3 = Array(raw[65..<97]), c2 = Array(raw[97...])
        return DER.tlv(0x30, DER.integer(x) + DER.integer(y) + DER.tlv(0x04, c3) + DER.tlv(0x04, c2))
    }

    /// Converts the ASN.1 form into raw C1||C3||C2.
    public static func ciphertextFromDER(_ der: [UInt8]) throws -> [UInt8] {
        var outer = DER.Reader(der)
        let body = try outer.read(tag: 0x30)
        guard outer.atEnd else { throw CryptoError.invalidArgument("DER trailing data") }
        var r = DER.Reader(body)
        let x = try r.readUnsigned(width: 32)
        let y = try r.readUnsigned(width: 32)
        let c3 = try r.read(tag: 0x04)
        let c2 = try r.read(tag: 0x04)
        guard r.atEnd, c3.count == 32, !c2.isEmpty else { throw CryptoError.invalidArgument("SM2 ciphertext") }
        return [0x04] + x + y + c3 + c2
    }

    // MARK: internals

    static func normalisedPublic(_ p: [UInt8]) throws -> [UInt8] {
        if p.count == 64 { return [0x04] + p }
        if p.count == 65, p[0] == 0x04 { return p }
        throw CryptoError.invalidKeyLength(algorithm: "SM2 public key", length: p.count)
    }

    /// Validates d (1...n-2) and returns 04||X||Y of d*G.
    static func derivePublic(_ d: [UInt8]) throws -> [UInt8] {
        guard d.count == 32 else { throw CryptoError.invalidKeyLength(algorithm: "SM2 private key", length: d.count) }
        guard let g = group else { throw openSSLFailure("EC_GROUP_new_by_curve_name SM2") }
        guard let bn = BN_secure_new() else { throw openSSLFailure("BN_secure_new") }
        defer { BN_clear_free(bn) }
        guard BN_bin2bn(d, 32, bn) != nil else { throw openSSLFailure("BN_bin2bn") }
        guard let order = EC_GROUP_get0_order(g), let limit = BN_dup(order) else { throw openSSLFailure("EC_GROUP_get0_order") }
        defer { BN_free(limit) }
        guard BN_sub_word(limit, 1) == 1 else { throw openSSLFailure("BN_sub_word") }
        guard BN_is_zero(bn) == 0, BN_cmp(bn, limit) < 0 else { throw CryptoError.invalidArgument("SM2 private key") }
        guard let pt = EC_POINT_new(g) else { throw openSSLFailure("EC_POINT_new") }
        defer { EC_POINT_free(pt) }
        guard EC_POINT_mul(g, pt, bn, nil, nil, nil) == 1 else { throw openSSLFailure("EC_POINT_mul") }
        var out = [UInt8](repeating: 0, count: 65)
        guard EC_POINT_point2oct(g, pt, POINT_CONVERSION_UNCOMPRESSED, &out, 65, nil) == 65 else {
            throw openSSLFailure("EC_POINT_point2oct")
        }
        return out
    }

    /// Builds an SM2 EVP_PKEY from raw parts (caller frees). The public key is validated
    /// as a curve point by OpenSSL.
    static func makePKey(privateKey: [UInt8]?, publicKey65: [UInt8]) throws -> OpaquePointer {
        guard let bld = OSSL_PARAM_BLD_new() else { throw openSSLFailure("OSSL_PARAM_BLD_new") }
        defer { OSSL_PARAM_BLD_free(bld) }
        var bn: OpaquePointer?
        defer { if let b = bn { BN_clear_free(b) } }
        guard OSSL_PARAM_BLD_push_utf8_string(bld, CStr.group, CStr.sm2, 0) == 1,
              OSSL_PARAM_BLD_push_octet_string(bld, CStr.pub, publicKey65, publicKey65.count) == 1
        else { throw openSSLFailure("OSSL_PARAM_BLD_push") }
        if let d = privateKey {
            guard d.count == 32 else { throw CryptoError.invalidKeyLength(algorithm: "SM2 private key", length: d.count) }
            guard let b = BN_secure_new() else { throw openSSLFailure("BN_secure_new") }
            bn = b
            guard BN_bin2bn(d, 32, b) != nil, OSSL_PARAM_BLD_push_BN(bld, CStr.priv, b) == 1 else {
                throw openSSLFailure("OSSL_PARAM_BLD_push_BN")
            }
        }
        guard let params = OSSL_PARAM_BLD_to_param(bld) else { throw openSSLFailure("OSSL_PARAM_BLD_to_param") }
        // OpenSSL 3.0 OSSL_PARAM_free cleanses the secure-heap block holding the BN.
        defer { OSSL_PARAM_free(params) }
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, "SM2", nil) else { throw openSSLFailure("EVP_PKEY_CTX_new_from_name SM2") }
        defer { EVP_PKEY_CTX_free(ctx) }
        var pkey: OpaquePointer?
        // EVP_PKEY_PUBLIC_KEY (0x86) / EVP_PKEY_KEYPAIR (0x87): macros Swift cannot import.
        let selection: Int32 = privateKey == nil ? 0x86 : 0x87
        guard EVP_PKEY_fromdata_init(ctx) == 1, EVP_PKEY_fromdata(ctx, &pkey, selection, params) == 1, let k = pkey else {
            ERR_clear_error()
            throw CryptoError.invalidArgument("SM2 key")
        }
        return k
    }
}
