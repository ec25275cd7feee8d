import COpenSSL

/// The block ciphers' full-block feedback modes (NIST SP 800-38A), through OpenSSL:
/// CFB with a feedback of one whole block (CFB64 for DES, CFB128 for SM4 and AES) and OFB.
/// Both turn the block cipher into a stream cipher: the data may have any length (the last
/// block is used in part), the output is as long as the input, and nothing is padded.
///
/// Keys as ``BlockCipher`` (DES keys of 8/16/24 bytes run as DES-EDE3: K|K|K, K1|K2|K1);
/// the IV is one block. Each call keys its own OpenSSL context and frees it; the expanded
/// key copy is cleansed before returning.
public enum FeedbackCipher {
    /// The feedback mode.
    public enum Mode: String, Sendable, CaseIterable {
        /// Cipher feedback, one whole block of feedback (CFB64 / CFB128).
        case cfb
        /// Output feedback.
        case ofb
    }

    /// Encrypts `data` (any length) in `mode` under `key` from `iv` (one block).
    public static func encrypt(_ algorithm: BlockCipherAlgorithm, _ mode: Mode, key: [UInt8], iv: [UInt8], _ data: [UInt8]) throws -> [UInt8] {
        try run(algorithm, mode, key: key, iv: iv, data, encrypt: true)
    }

    /// Decrypts `data` (any length) in `mode` under `key` from `iv` (one block).
    public static func decrypt(_ algorithm: BlockCipherAlgorithm, _ mode: Mode, key: [UInt8], iv: [UInt8], _ data: [UInt8]) throws -> [UInt8] {
        try run(algorithm, mode, key: key, iv: iv, data, encrypt: false)
    }

    static func cipher(_ algorithm: BlockCipherAlgorithm, _ mode: Mode) -> OpaquePointer? {
        switch (algorithm, mode) {
        case (.des, .cfb): return EVPCache.desEDE3CFB
        case (.des, .ofb): return EVPCache.desEDE3OFB
        case (.sm4, .cfb): return EVPCache.sm4CFB
        case (.sm4, .ofb): return EVPCache.sm4OFB
        case (.aes128, .cfb): return EVPCache.aes128CFB
        case (.aes128, .ofb): return EVPCache.aes128OFB
        case (.aes192, .cfb): return EVPCache.aes192CFB
        case (.aes192, .ofb): return EVPCache.aes192OFB
        case (.aes256, .cfb): return EVPCache.aes256CFB
        case (.aes256, .ofb): return EVPCache.aes256OFB
        }
    }

    private static func run(_ algorithm: BlockCipherAlgorithm, _ mode: Mode, key: [UInt8], iv: [UInt8], _ data: [UInt8],
                            encrypt: Bool) throws -> [UInt8] {
        guard algorithm.keyLengths.contains(key.count) else {
            throw CryptoError.invalidKeyLength(algorithm: algorithm.rawValue, length: key.count)
        }
        let bs = algorithm.blockSize
        guard iv.count == bs else { throw CryptoError.invalidIVLength(expected: bs, actual: iv.count) }
        guard data.count <= Int(Int32.max) - bs else { throw CryptoError.invalidArgument("data length") }
        if data.isEmpty { return [] }
        guard let evp = cipher(algorithm, mode) else { throw openSSLFailure("EVP_CIPHER_fetch \(algorithm.rawValue)-\(mode.rawValue)") }
        // DES keys expanded to the 24 bytes of DES-EDE3, as BlockCipher does.
        var k: [UInt8]
        switch (algorithm, key.count) {
        case (.des, 8): k = key + key + key
        case (.des, 16): k = key + key[0..<8]
        default: k = key
        }
        defer { SecureBytes.wipe(&k) }
        guard let ctx = EVP_CIPHER_CTX_new() else { throw openSSLFailure("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        let ok = k.withUnsafeBufferPointer { kp in
            iv.withUnsafeBufferPointer { ivp in
                EVP_CipherInit_ex2(ctx, evp, kp.baseAddress, ivp.baseAddress, encrypt ? 1 : 0, nil)
            }
        }
        guard ok == 1 else { throw openSSLFailure("EVP_CipherInit_ex2") }
        EVP_CIPHER_CTX_set_padding(ctx, 0)
        let n = data.count
        return try [UInt8](unsafeUninitializedCapacity: n + bs) { out, count in
            count = 0
            guard let base = out.baseAddress else { throw CryptoError.invalidArgument("output buffer") }
            var outl: Int32 = 0
            let updated = data.withUnsafeBufferPointer { inp in
                EVP_CipherUpdate(ctx, base, &outl, inp.baseAddress, Int32(n))
            }
            guard updated == 1 else {
                OPENSSL_cleanse(base, n + bs)
                throw openSSLFailure("EVP_CipherUpdate")
            }
            var finl: Int32 = 0
            guard EVP_CipherFinal_ex(ctx, base + Int(outl), &finl) == 1, Int(outl) + Int(finl) == n else {
                OPENSSL_cleanse(base, n + bs)
                throw openSSLFailure("EVP_CipherFinal_ex")
            }
            count = n
        }
    }
}
