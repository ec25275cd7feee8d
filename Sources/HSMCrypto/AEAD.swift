import COpenSSL

/// Authenticated encryption: AES-256-GCM (NIST SP 800-38D) via a cached `EVP_CIPHER`.
public enum AEAD {
    /// Tag length produced and required (bytes).
    public static let tagLength = 16

    /// Encrypts `plaintext` under a 32-byte `key` with `nonce` (12 bytes recommended; 1...128
    /// accepted) and authenticates `aad`. Returns the ciphertext (same length as the
    /// plaintext) and the 16-byte tag. Never reuse a nonce with the same key.
    public static func sealAES256GCM(key: [UInt8], nonce: [UInt8], plaintext: [UInt8], aad: [UInt8] = []) throws -> (ciphertext: [UInt8], tag: [UInt8]) {
        let ctx = try setUp(key: key, nonce: nonce, encrypt: true)
        defer { EVP_CIPHER_CTX_free(ctx) }
        try feedAAD(ctx, aad)
        let ct = try update(ctx, plaintext)
        var outl: Int32 = 0
        var scratch = [UInt8](repeating: 0, count: 16)
        guard EVP_EncryptFinal_ex(ctx, &scratch, &outl) == 1 else { throw openSSLFailure("EVP_EncryptFinal_ex") }
        var tag = [UInt8](repeating: 0, count: tagLength)
        guard EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, Int32(tagLength), &tag) == 1 else {
            throw openSSLFailure("GCM get tag")
        }
        return (ct, tag)
    }

    /// Decrypts and verifies. Throws ``CryptoError/authenticationFailed`` when the tag does
    /// not match (wrong key, nonce, aad, tag or modified ciphertext); no plaintext is
    /// returned in that case (the partial output is cleansed).
    public static func openAES256GCM(key: [UInt8], nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8], aad: [UInt8] = []) throws -> [UInt8] {
        guard tag.count == tagLength else { throw CryptoError.invalidArgument("GCM tag length") }
        let ctx = try setUp(key: key, nonce: nonce, encrypt: false)
        defer { EVP_CIPHER_CTX_free(ctx) }
        try feedAAD(ctx, aad)
        var pt = try update(ctx, ciphertext)
        var t = tag
        guard EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, Int32(tagLength), &t) == 1 else {
            SecureBytes.wipe(&pt)
            throw openSSLFailure("GCM set tag")
        }
        var outl: Int32 = 0
        var scratch = [UInt8](repeating: 0, count: 16)
        guard EVP_DecryptFinal_ex(ctx, &scratch, &outl) == 1 else {
            SecureBytes.wipe(&pt)
            throw CryptoError.authenticationFailed
        }
        return pt
    }

    private static func setUp(key: [UInt8], nonce: [UInt8], encrypt: Bool) throws -> OpaquePointer {
        guard key.count == 32 else { throw CryptoError.invalidKeyLength(algorithm: "AES-256-GCM", length: key.count) }
        guard nonce.count >= 1, nonce.count <= 128 else { throw CryptoError.invalidArgument("GCM nonce length") }
        guard let gcm = EVPCache.aes256GCM else { throw openSSLFailure("EVP_CIPHER_fetch AES-256-GCM") }
        guard let ctx = EVP_CIPHER_CTX_new() else { throw openSSLFailure("EVP_CIPHER_CTX_new") }
        let enc: Int32 = encrypt ? 1 : 0
        guard EVP_CipherInit_ex2(ctx, gcm, nil, nil, enc, nil) == 1,
              EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, Int32(nonce.count), nil) == 1,
              EVP_CipherInit_ex2(ctx, nil, key, nonce, enc, nil) == 1
        else {
            EVP_CIPHER_CTX_free(ctx)
            throw openSSLFailure("GCM init")
        }
        return ctx
    }

    private static func feedAAD(_ ctx: OpaquePointer, _ aad: [UInt8]) throws {
        guard !aad.isEmpty else { return }
        guard aad.count <= Int(Int32.max) else { throw CryptoError.invalidArgument("AAD length") }
        var outl: Int32 = 0
        guard EVP_CipherUpdate(ctx, nil, &outl, aad, Int32(aad.count)) == 1 else { throw openSSLFailure("GCM AAD") }
    }

    private static func update(_ ctx: OpaquePointer, _ data: [UInt8]) throws -> [UInt8] {
        guard data.count <= Int(Int32.max) - 16 else { throw CryptoError.invalidArgument("data length") }
        if data.isEmpty { return [] }
        let n = data.count
        return try [UInt8](unsafeUninitializedCapacity: n) { out, count in
            var outl: Int32 = 0
            guard EVP_CipherUpdate(ctx, out.baseAddress, &outl, data, Int32(n)) == 1, Int(outl) == n else {
                count = 0
                throw openSSLFailure("GCM update")
            }
            count = n
        }
    }
}
