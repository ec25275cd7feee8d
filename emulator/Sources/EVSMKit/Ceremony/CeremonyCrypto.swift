// The few cryptographic primitives the ceremony needs, in one place. Everything forwards to
// HSMCrypto (OpenSSL); the rest of the ceremony code calls `CeremonyCrypto` and nothing else.
import HSMCrypto

enum CeremonyCrypto {
    /// `count` bytes from OpenSSL's CSPRNG.
    static func random(_ count: Int) throws -> [UInt8] {
        if count == 0 { return [] }
        return try Random.bytes(count)
    }

    /// Constant-time comparison (length is not secret).
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool { Secure.equal(a, b) }

    /// PBKDF2-HMAC-SHA256.
    static func pbkdf2SHA256(password: [UInt8], salt: [UInt8], iterations: Int, length: Int) throws -> [UInt8] {
        try KDF.pbkdf2SHA256(password: password, salt: salt, iterations: iterations, length: length)
    }

    /// HMAC-SHA256(key, data).
    static func hmacSHA256(key: [UInt8], data: [UInt8]) throws -> [UInt8] {
        try HMAC.compute(.sha256, key: key, data: data)
    }

    /// AES-256-GCM: returns (ciphertext, 16-byte tag).
    static func sealAES256GCM(key: [UInt8], nonce: [UInt8], plaintext: [UInt8], aad: [UInt8]) throws -> (ciphertext: [UInt8], tag: [UInt8]) {
        try AEAD.sealAES256GCM(key: key, nonce: nonce, plaintext: plaintext, aad: aad)
    }

    /// AES-256-GCM open: nil when the tag does not verify (wrong key or altered data).
    static func openAES256GCM(key: [UInt8], nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8], aad: [UInt8]) throws -> [UInt8]? {
        do {
            return try AEAD.openAES256GCM(key: key, nonce: nonce, ciphertext: ciphertext, tag: tag, aad: aad)
        } catch CryptoError.authenticationFailed {
            return nil
        } catch CryptoError.invalidArgument {
            return nil
        }
    }

    /// Key check value: first 8 bytes of 3DES-ECB (2-key) of a zero block under a 16-byte key.
    static func checkValue(of key: [UInt8]) throws -> [UInt8] {
        guard key.count == 16 else { throw CryptoError.invalidKeyLength(algorithm: "3DES", length: key.count) }
        return Array(try KeyCheckValue.compute(key: key, algorithm: .des).prefix(8))
    }

    // MARK: Shamir secret sharing over GF(2^8)

    typealias Share = Shamir.Share

    /// Splits `secret` into `count` shares (x = 1...count), any `threshold` of which recover it.
    static func shamirSplit(secret: [UInt8], threshold: Int, count: Int) throws -> [Share] {
        try Shamir.split(secret: secret, threshold: threshold, shares: count)
    }

    /// Recovers the secret from distinct shares.
    static func shamirCombine(_ shares: [Share]) throws -> [UInt8] { try Shamir.combine(shares) }
}
