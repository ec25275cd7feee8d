// The few cryptographic primitives the ceremony needs, in one place.
//
// Everything goes through OpenSSL. Once HSMCrypto's wrappers are merged this file only
// forwards to them; the rest of the ceremony code calls `CeremonyCrypto` and nothing else.
import COpenSSL
import Foundation
import HSMCrypto

enum CeremonyCrypto {
    enum Failure: Error { case openssl(String) }

    /// `count` bytes from OpenSSL's CSPRNG.
    static func random(_ count: Int) throws -> [UInt8] {
        if count == 0 { return [] }
        return try Random.bytes(count)
    }

    /// Overwrites a buffer holding a secret (OPENSSL_cleanse, not optimised away).
    static func zero(_ bytes: inout [UInt8]) { Secure.zero(&bytes) }

    /// Constant-time comparison (length is not secret).
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool { Secure.equal(a, b) }

    /// PBKDF2-HMAC-SHA256.
    static func pbkdf2SHA256(password: [UInt8], salt: [UInt8], iterations: Int, length: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        let rc = password.withUnsafeBufferPointer { pw in
            pw.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(pw.count, 1)) { pwc in
                PKCS5_PBKDF2_HMAC(pwc, Int32(password.count), salt, Int32(salt.count),
                                  Int32(iterations), EVP_sha256(), Int32(length), &out)
            }
        }
        guard rc == 1 else { throw Failure.openssl("PKCS5_PBKDF2_HMAC") }
        return out
    }

    /// HMAC-SHA256(key, data).
    static func hmacSHA256(key: [UInt8], data: [UInt8]) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var len: UInt32 = 32
        guard HMAC(EVP_sha256(), key, Int32(key.count), data, data.count, &out, &len) != nil, len == 32 else {
            throw Failure.openssl("HMAC")
        }
        return out
    }

    /// AES-256-GCM: returns (ciphertext, 16-byte tag).
    static func sealAES256GCM(key: [UInt8], nonce: [UInt8], plaintext: [UInt8], aad: [UInt8]) throws -> (ciphertext: [UInt8], tag: [UInt8]) {
        guard key.count == 32, nonce.count == 12, let ctx = EVP_CIPHER_CTX_new() else { throw Failure.openssl("GCM setup") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        var outl: Int32 = 0
        var ct = [UInt8](repeating: 0, count: plaintext.count + 16)
        var tag = [UInt8](repeating: 0, count: 16)
        guard EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nil, key, nonce) == 1 else { throw Failure.openssl("EncryptInit") }
        if !aad.isEmpty {
            guard EVP_EncryptUpdate(ctx, nil, &outl, aad, Int32(aad.count)) == 1 else { throw Failure.openssl("AAD") }
        }
        var total = 0
        if !plaintext.isEmpty {
            guard EVP_EncryptUpdate(ctx, &ct, &outl, plaintext, Int32(plaintext.count)) == 1 else { throw Failure.openssl("EncryptUpdate") }
            total = Int(outl)
        }
        let rc = ct.withUnsafeMutableBufferPointer { p in EVP_EncryptFinal_ex(ctx, p.baseAddress! + total, &outl) }
        guard rc == 1 else { throw Failure.openssl("EncryptFinal") }
        total += Int(outl)
        guard EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, &tag) == 1 else { throw Failure.openssl("GET_TAG") }
        return (Array(ct[0..<total]), tag)
    }

    /// AES-256-GCM open: nil when the tag does not verify (wrong key or tampered data).
    static func openAES256GCM(key: [UInt8], nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8], aad: [UInt8]) throws -> [UInt8]? {
        guard key.count == 32, nonce.count == 12, tag.count == 16 else { return nil }
        guard let ctx = EVP_CIPHER_CTX_new() else { throw Failure.openssl("GCM setup") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        var outl: Int32 = 0
        var pt = [UInt8](repeating: 0, count: ciphertext.count + 16)
        guard EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nil, key, nonce) == 1 else { throw Failure.openssl("DecryptInit") }
        if !aad.isEmpty {
            guard EVP_DecryptUpdate(ctx, nil, &outl, aad, Int32(aad.count)) == 1 else { return nil }
        }
        var total = 0
        if !ciphertext.isEmpty {
            guard EVP_DecryptUpdate(ctx, &pt, &outl, ciphertext, Int32(ciphertext.count)) == 1 else { zero(&pt); return nil }
            total = Int(outl)
        }
        var t = tag
        guard EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, &t) == 1 else { zero(&pt); return nil }
        let rc = pt.withUnsafeMutableBufferPointer { p in EVP_DecryptFinal_ex(ctx, p.baseAddress! + total, &outl) }
        guard rc == 1 else { zero(&pt); return nil }
        total += Int(outl)
        let out = Array(pt[0..<total])
        zero(&pt)
        return out
    }

    /// Key check value: first 8 bytes of 3DES-ECB (2-key) of a zero block under a 16-byte key.
    static func checkValue(of key: [UInt8]) throws -> [UInt8] {
        guard key.count == 16 else { throw Failure.openssl("KCV key length") }
        return Array(try KeyCheckValue.compute(key: key, algorithm: .des).prefix(8))
    }

    // MARK: Shamir secret sharing over GF(2^8) (AES polynomial x^8+x^4+x^3+x+1)

    struct Share: Equatable {
        var x: UInt8
        var y: [UInt8]
    }

    private static func gfMul(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var a = a, b = b, p: UInt8 = 0
        for _ in 0..<8 {
            // Branch-free on the secret bits.
            p ^= a & (0 &- (b & 1))
            let hi = a >> 7
            a = (a << 1) ^ (0x1B & (0 &- hi))
            b >>= 1
        }
        return p
    }

    private static func gfInv(_ a: UInt8) -> UInt8 {
        // a^254 = a^-1 in GF(2^8).
        var result: UInt8 = 1, base = a, e = 254
        while e > 0 {
            if e & 1 == 1 { result = gfMul(result, base) }
            base = gfMul(base, base)
            e >>= 1
        }
        return result
    }

    /// Splits `secret` into `count` shares (x = 1...count), any `threshold` of which recover it.
    static func shamirSplit(secret: [UInt8], threshold: Int, count: Int) throws -> [Share] {
        guard threshold >= 1, count >= threshold, count <= 255 else { throw Failure.openssl("Shamir parameters") }
        var shares = (1...count).map { Share(x: UInt8($0), y: [UInt8](repeating: 0, count: secret.count)) }
        for (i, s) in secret.enumerated() {
            var coeffs = try random(threshold - 1)
            for j in 0..<count {
                let x = shares[j].x
                var acc: UInt8 = 0
                for c in coeffs.reversed() { acc = gfMul(acc, x) ^ c }
                acc = gfMul(acc, x) ^ s
                shares[j].y[i] = acc
            }
            zero(&coeffs)
        }
        return shares
    }

    /// Recovers the secret from `threshold` or more distinct shares (Lagrange at x = 0).
    static func shamirCombine(_ shares: [Share]) throws -> [UInt8] {
        guard let first = shares.first else { throw Failure.openssl("no shares") }
        let len = first.y.count
        guard shares.allSatisfy({ $0.y.count == len && $0.x != 0 }),
              Set(shares.map(\.x)).count == shares.count else { throw Failure.openssl("bad shares") }
        var out = [UInt8](repeating: 0, count: len)
        for (j, sj) in shares.enumerated() {
            var num: UInt8 = 1, den: UInt8 = 1
            for (m, sm) in shares.enumerated() where m != j {
                num = gfMul(num, sm.x)
                den = gfMul(den, sm.x ^ sj.x)
            }
            let l = gfMul(num, gfInv(den))
            for i in 0..<len { out[i] ^= gfMul(sj.y[i], l) }
        }
        return out
    }
}
