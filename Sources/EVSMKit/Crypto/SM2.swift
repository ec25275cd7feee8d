import COpenSSL
import HostProtocol

/// SM2 (GB/T 32918) over OpenSSL's EVP interface: key pairs from a 32-byte scalar, the
/// Z value, signatures (SM3, r || s), public-key encryption (GM/T 0009 DER).
enum SM2 {
    enum Failure: Error { case key, sign, verifyInput, encrypt, decrypt }

    static let a = Hex.decode("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC") ?? []
    static let b = Hex.decode("28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93") ?? []
    static let gx = Hex.decode("32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7") ?? []
    static let gy = Hex.decode("BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0") ?? []
    static let n = Hex.decode("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123") ?? []
    /// GB/T 32918 default user id.
    static let defaultUserID = Array("1234567812345678".utf8)

    /// A fresh private scalar d in [1, n-2].
    static func generatePrivate() throws -> [UInt8] {
        for _ in 0..<16 {
            let d = try Prim.random(32)
            if isValidPrivate(d) { return d }
        }
        throw Failure.key
    }

    /// 1 <= d <= n-2 (big-endian compare).
    static func isValidPrivate(_ d: [UInt8]) -> Bool {
        guard d.count == 32, d.contains(where: { $0 != 0 }) else { return false }
        var nm2 = n
        nm2[31] &-= 2  // n ends in 0x23, no borrow
        return d.lexicographicallyPrecedes(nm2) || d == nm2
    }

    /// X || Y (64 bytes) of d*G.
    static func publicKey(ofPrivate d: [UInt8]) throws -> [UInt8] {
        guard isValidPrivate(d), let group = EC_GROUP_new_by_curve_name(NID_sm2) else { throw Failure.key }
        defer { EC_GROUP_free(group) }
        guard let pt = EC_POINT_new(group), let bn = BN_bin2bn(d, 32, nil) else { throw Failure.key }
        defer { EC_POINT_free(pt); BN_clear_free(bn) }
        guard EC_POINT_mul(group, pt, bn, nil, nil, nil) == 1 else { throw Failure.key }
        var out = [UInt8](repeating: 0, count: 65)
        guard EC_POINT_point2oct(group, pt, POINT_CONVERSION_UNCOMPRESSED, &out, 65, nil) == 65 else { throw Failure.key }
        return Array(out[1...])
    }

    /// True when X || Y is a point on the curve.
    static func isValidPublic(_ q: [UInt8]) -> Bool {
        guard q.count == 64, let group = EC_GROUP_new_by_curve_name(NID_sm2) else { return false }
        defer { EC_GROUP_free(group) }
        guard let pt = EC_POINT_new(group) else { return false }
        defer { EC_POINT_free(pt) }
        let oct = [UInt8(4)] + q
        return EC_POINT_oct2point(group, pt, oct, 65, nil) == 1 && EC_POINT_is_on_curve(group, pt, nil) == 1
    }

    /// Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA).
    static func z(userID: [UInt8], publicKey q: [UInt8]) throws -> [UInt8] {
        guard q.count == 64, userID.count < 8192 else { throw Failure.key }
        let bits = userID.count * 8
        var m: [UInt8] = [UInt8(bits >> 8), UInt8(bits & 0xFF)]
        m += userID + a + b + gx + gy + q
        return try Prim.digest("SM3", m)
    }

    /// e = SM3(Z || M).
    static func e(userID: [UInt8], publicKey q: [UInt8], message: [UInt8]) throws -> [UInt8] {
        try Prim.digest("SM3", try z(userID: userID, publicKey: q) + message)
    }

    /// An EVP_PKEY for a key pair (private given) or a public key only.
    private static func pkey(privateKey d: [UInt8]?, publicKey q: [UInt8]) throws -> OpaquePointer {
        // OSSL_KEYMGMT_SELECT_*: private 0x01, public 0x02, all parameters 0x84.
        let selection: Int32 = d == nil ? 0x86 : 0x87
        var pub = [UInt8(4)] + q
        var privLE = (d ?? []).reversed().map { $0 }   // OSSL_PARAM BN: native (little-endian) order
        defer { Prim.cleanse(&privLE) }
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, "SM2", nil) else { throw Failure.key }
        defer { EVP_PKEY_CTX_free(ctx) }
        var key: OpaquePointer? = nil
        let rc: Int32 = pub.withUnsafeMutableBytes { pb in
            privLE.withUnsafeMutableBytes { db in
                var params: [OSSL_PARAM] = [
                    OSSL_PARAM_construct_utf8_string(CName.group, CName.sm2, 0),
                    OSSL_PARAM_construct_octet_string(CName.pub, pb.baseAddress, pb.count),
                ]
                if d != nil { params.append(OSSL_PARAM_construct_BN(CName.priv, db.baseAddress?.assumingMemoryBound(to: UInt8.self), db.count)) }
                params.append(OSSL_PARAM_construct_end())
                guard EVP_PKEY_fromdata_init(ctx) == 1 else { return 0 }
                return EVP_PKEY_fromdata(ctx, &key, selection, &params)
            }
        }
        guard rc == 1, let k = key else { throw Failure.key }
        return k
    }

    /// Signs M with user id: returns r || s (64 bytes).
    static func sign(privateKey d: [UInt8], userID: [UInt8], message: [UInt8]) throws -> [UInt8] {
        let q = try publicKey(ofPrivate: d)
        let digest = try e(userID: userID, publicKey: q, message: message)
        let key = try pkey(privateKey: d, publicKey: q)
        defer { EVP_PKEY_free(key) }
        guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else { throw Failure.sign }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_sign_init(ctx) == 1 else { throw Failure.sign }
        var len = 0
        guard EVP_PKEY_sign(ctx, nil, &len, digest, digest.count) == 1 else { throw Failure.sign }
        var der = [UInt8](repeating: 0, count: len)
        guard EVP_PKEY_sign(ctx, &der, &len, digest, digest.count) == 1 else { throw Failure.sign }
        var p: UnsafePointer<UInt8>? = der.withUnsafeBufferPointer { $0.baseAddress }
        // der stays alive for the call below; d2i reads it synchronously.
        let sig: OpaquePointer? = withExtendedLifetime(der) { d2i_ECDSA_SIG(nil, &p, len) }
        guard let s = sig else { throw Failure.sign }
        defer { ECDSA_SIG_free(s) }
        var out = [UInt8](repeating: 0, count: 64)
        guard BN_bn2binpad(ECDSA_SIG_get0_r(s), &out, 32) == 32 else { throw Failure.sign }
        var sPart = [UInt8](repeating: 0, count: 32)
        guard BN_bn2binpad(ECDSA_SIG_get0_s(s), &sPart, 32) == 32 else { throw Failure.sign }
        out.replaceSubrange(32..<64, with: sPart)
        return out
    }

    /// Verifies r || s over M with user id and public key X || Y.
    static func verify(publicKey q: [UInt8], userID: [UInt8], message: [UInt8], signature: [UInt8]) throws -> Bool {
        guard signature.count == 64, isValidPublic(q) else { throw Failure.verifyInput }
        let digest = try e(userID: userID, publicKey: q, message: message)
        guard let sig = ECDSA_SIG_new() else { throw Failure.verifyInput }
        defer { ECDSA_SIG_free(sig) }
        guard let r = BN_bin2bn(Array(signature[0..<32]), 32, nil) else { throw Failure.verifyInput }
        guard let s = BN_bin2bn(Array(signature[32..<64]), 32, nil) else { BN_free(r); throw Failure.verifyInput }
        guard ECDSA_SIG_set0(sig, r, s) == 1 else { BN_free(r); BN_free(s); throw Failure.verifyInput }
        var derPtr: UnsafeMutablePointer<UInt8>? = nil
        let derLen = i2d_ECDSA_SIG(sig, &derPtr)
        guard derLen > 0, let dp = derPtr else { throw Failure.verifyInput }
        defer { CRYPTO_free(dp, #file, #line) }
        let key = try pkey(privateKey: nil, publicKey: q)
        defer { EVP_PKEY_free(key) }
        guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else { throw Failure.verifyInput }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_verify_init(ctx) == 1 else { throw Failure.verifyInput }
        return EVP_PKEY_verify(ctx, dp, Int(derLen), digest, digest.count) == 1
    }

    static func encrypt(publicKey q: [UInt8], plain: [UInt8]) throws -> [UInt8] {
        guard isValidPublic(q), !plain.isEmpty else { throw Failure.encrypt }
        let key = try pkey(privateKey: nil, publicKey: q)
        defer { EVP_PKEY_free(key) }
        guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, key, nil), EVP_PKEY_encrypt_init(ctx) == 1 else { throw Failure.encrypt }
        defer { EVP_PKEY_CTX_free(ctx) }
        var len = 0
        guard EVP_PKEY_encrypt(ctx, nil, &len, plain, plain.count) == 1 else { throw Failure.encrypt }
        var out = [UInt8](repeating: 0, count: len)
        guard EVP_PKEY_encrypt(ctx, &out, &len, plain, plain.count) == 1 else { throw Failure.encrypt }
        return Array(out.prefix(len))
    }

    static func decrypt(privateKey d: [UInt8], cipher: [UInt8]) throws -> [UInt8] {
        let q = try publicKey(ofPrivate: d)
        let key = try pkey(privateKey: d, publicKey: q)
        defer { EVP_PKEY_free(key) }
        guard !cipher.isEmpty, let ctx = EVP_PKEY_CTX_new_from_pkey(nil, key, nil), EVP_PKEY_decrypt_init(ctx) == 1 else { throw Failure.decrypt }
        defer { EVP_PKEY_CTX_free(ctx) }
        var len = 0
        guard EVP_PKEY_decrypt(ctx, nil, &len, cipher, cipher.count) == 1 else { throw Failure.decrypt }
        var out = [UInt8](repeating: 0, count: len)
        guard EVP_PKEY_decrypt(ctx, &out, &len, cipher, cipher.count) == 1 else { Prim.cleanse(&out); throw Failure.decrypt }
        return Array(out.prefix(len))
    }
}
