import HSMCrypto

/// EVSMKit's one bridge to the OpenSSL-backed HSMCrypto primitives.
///
/// Handlers name algorithms (`.des`, `.sm4`, `.aes`), not HSMCrypto types; every cipher call
/// of the emulator goes through here: block ciphers without padding, KCVs, HKDF,
/// AES-256-GCM, random bytes, digests, cleansing, DES parity.
enum Prim {
    enum Failure: Error { case cipher, digest }

    enum Cipher { case des, sm4, aes }

    /// The feedback modes of the IC data commands: whole-block CFB, OFB.
    enum Feedback { case cfb, ofb }

    /// Block size of a cipher family in bytes.
    static func blockSize(_ c: Cipher) -> Int { c == .des ? 8 : 16 }

    static func algorithm(_ c: Cipher, keyLength: Int) throws -> BlockCipherAlgorithm {
        switch c {
        case .des: return .des
        case .sm4: return .sm4
        case .aes:
            switch keyLength {
            case 16: return .aes128
            case 24: return .aes192
            case 32: return .aes256
            default: throw Failure.cipher
            }
        }
    }

    /// Raw block-cipher operation without padding (ECB, or CBC with `iv`). DES keys of
    /// 8/16/24 bytes run as 3DES (K, K1K2K1, K1K2K3).
    static func crypt(_ c: Cipher, key: [UInt8], iv: [UInt8]? = nil, data: [UInt8], encrypt: Bool) throws -> [UInt8] {
        guard data.count % blockSize(c) == 0 else { throw Failure.cipher }
        if data.isEmpty { return [] }
        let bc = try BlockCipher(algorithm: try algorithm(c, keyLength: key.count), key: key)
        if let iv = iv {
            return encrypt ? try bc.encryptCBC(data, iv: iv) : try bc.decryptCBC(data, iv: iv)
        }
        return encrypt ? try bc.encryptECB(data) : try bc.decryptECB(data)
    }

    /// `crypt` under a key held in a secret buffer (the device's storage keys): the key is
    /// lent to the cipher, not copied into an array.
    static func crypt(_ c: Cipher, key: SecureBytes, data: [UInt8], encrypt: Bool) throws -> [UInt8] {
        guard data.count % blockSize(c) == 0 else { throw Failure.cipher }
        if data.isEmpty { return [] }
        let a = try algorithm(c, keyLength: key.count)
        let bc = try key.withUnsafeBytes { try BlockCipher(algorithm: a, key: $0) }
        return encrypt ? try bc.encryptECB(data) : try bc.decryptECB(data)
    }

    /// Full-block CFB (`cfb`: CFB64 / CFB128) or OFB over data of any length, from `iv`
    /// (one block); no padding. DES keys as in `crypt`.
    static func crypt(_ c: Cipher, feedback: Feedback, key: [UInt8], iv: [UInt8], data: [UInt8],
                      encrypt: Bool) throws -> [UInt8] {
        let a = try algorithm(c, keyLength: key.count)
        let mode: FeedbackCipher.Mode = feedback == .cfb ? .cfb : .ofb
        return encrypt ? try FeedbackCipher.encrypt(a, mode, key: key, iv: iv, data) : try FeedbackCipher.decrypt(a, mode, key: key, iv: iv, data)
    }

    /// Key check value: the first `count` bytes of the key's encryption of a zero block.
    static func checkValue(_ c: Cipher, key: [UInt8], count: Int = 8) throws -> [UInt8] {
        Array(try KeyCheckValue.compute(key: key, algorithm: try algorithm(c, keyLength: key.count)).prefix(count))
    }

    /// HKDF-SHA256 (RFC 5869).
    static func hkdfSHA256(ikm: [UInt8], salt: [UInt8], info: [UInt8], length: Int) throws -> [UInt8] {
        try KDF.hkdfSHA256(key: ikm, salt: salt, info: info, length: length)
    }

    /// HKDF-SHA256 from a key held in a secret buffer (lent, not copied).
    static func hkdfSHA256(ikm: SecureBytes, salt: [UInt8], info: [UInt8], length: Int) throws -> [UInt8] {
        try ikm.withUnsafeBytes { try KDF.hkdfSHA256(key: $0, salt: salt, info: info, length: length) }
    }

    /// AES-256-GCM seal: ciphertext || 16-byte tag.
    static func gcmSeal(key: [UInt8], nonce: [UInt8], plain: [UInt8], aad: [UInt8]) throws -> [UInt8] {
        let (c, t) = try AEAD.sealAES256GCM(key: key, nonce: nonce, plaintext: plain, aad: aad)
        return c + t
    }

    /// AES-256-GCM open of ciphertext || tag; throws when the tag does not verify.
    static func gcmOpen(key: [UInt8], nonce: [UInt8], sealed: [UInt8], aad: [UInt8]) throws -> [UInt8] {
        guard sealed.count >= AEAD.tagLength else { throw Failure.cipher }
        return try AEAD.openAES256GCM(key: key, nonce: nonce, ciphertext: Array(sealed.dropLast(AEAD.tagLength)),
                                      tag: Array(sealed.suffix(AEAD.tagLength)), aad: aad)
    }

    /// HMAC-SHA256 (RFC 2104).
    static func hmacSHA256(key: [UInt8], data: [UInt8]) throws -> [UInt8] { try HMAC.compute(.sha256, key: key, data: data) }

    /// HMAC-SHA256 under a key held in a secret buffer (lent, not copied).
    static func hmacSHA256(key: SecureBytes, data: [UInt8]) throws -> [UInt8] {
        try key.withUnsafeBytes { try HMAC.compute(.sha256, key: $0, data: data) }
    }

    /// Constant-time equality (`CRYPTO_memcmp`).
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool { Secure.equal(a, b) }

    /// Bytes from OpenSSL's CSPRNG.
    static func random(_ count: Int) throws -> [UInt8] { count == 0 ? [] : try Random.bytes(count) }

    static func digest(_ alg: DigestAlgorithm, _ data: [UInt8]) throws -> [UInt8] { try Digest.hash(alg, data) }

    /// Sets odd parity on every byte (DES key parity).
    static func adjustParity(_ k: inout [UInt8]) { k = DES.adjustParity(k) }

    /// True when every byte of a DES key has odd parity.
    static func isOddParity(_ k: [UInt8]) -> Bool { DES.hasOddParity(k) }
}
