import COpenSSL
import Glibc
import HostProtocol

/// EVSMKit's private bridge to OpenSSL-backed primitives.
///
/// Every cipher call in the emulator goes through here, so the device code names
/// algorithms, not OpenSSL calls. These are thin: block ciphers without padding, HKDF,
/// AES-256-GCM, random bytes, digests, cleansing. (HSMCrypto was being written in
/// parallel; this file is the single place to switch over to it.)
/// C strings with a lifetime as long as the process, for OSSL_PARAM names and values
/// (an OSSL_PARAM keeps the pointer, so a temporary bridged Swift string will not do).
enum CName {
    static let digest = strdup("digest")!
    static let sha256 = strdup("SHA256")!
    static let key = strdup("key")!
    static let salt = strdup("salt")!
    static let info = strdup("info")!
    static let group = strdup("group")!
    static let sm2 = strdup("SM2")!
    static let pub = strdup("pub")!
    static let priv = strdup("priv")!
}

enum Prim {
    enum Failure: Error { case cipher, kdf, random, digest, aead }

    enum Cipher { case des, sm4, aes }

    /// Block size of a cipher family in bytes.
    static func blockSize(_ c: Cipher) -> Int { c == .des ? 8 : 16 }

    /// Raw block-cipher operation without padding. `data.count` must be a multiple of the block.
    /// DES keys of 8/16/24 bytes run as 3DES (K, K1K2K1, K1K2K3), the standard equivalence.
    static func crypt(_ c: Cipher, key: [UInt8], iv: [UInt8]? = nil, data: [UInt8], encrypt: Bool) throws -> [UInt8] {
        let bs = blockSize(c)
        guard data.count % bs == 0 else { throw Failure.cipher }
        if data.isEmpty { return [] }
        var k = key
        defer { cleanse(&k) }
        let evp: OpaquePointer?
        switch c {
        case .des:
            switch key.count {
            case 8: k = key + key + key
            case 16: k = key + key[0..<8]
            case 24: break
            default: throw Failure.cipher
            }
            evp = iv == nil ? EVP_des_ede3_ecb() : EVP_des_ede3_cbc()
        case .sm4:
            guard key.count == 16 else { throw Failure.cipher }
            evp = iv == nil ? EVP_sm4_ecb() : EVP_sm4_cbc()
        case .aes:
            switch key.count {
            case 16: evp = iv == nil ? EVP_aes_128_ecb() : EVP_aes_128_cbc()
            case 24: evp = iv == nil ? EVP_aes_192_ecb() : EVP_aes_192_cbc()
            case 32: evp = iv == nil ? EVP_aes_256_ecb() : EVP_aes_256_cbc()
            default: throw Failure.cipher
            }
        }
        if let iv = iv { guard iv.count == bs else { throw Failure.cipher } }
        guard let ctx = EVP_CIPHER_CTX_new() else { throw Failure.cipher }
        defer { EVP_CIPHER_CTX_free(ctx) }
        guard EVP_CipherInit_ex(ctx, evp, nil, k, iv, encrypt ? 1 : 0) == 1 else { throw Failure.cipher }
        EVP_CIPHER_CTX_set_padding(ctx, 0)
        var out = [UInt8](repeating: 0, count: data.count + bs)
        var n1: Int32 = 0, n2: Int32 = 0
        let ok = out.withUnsafeMutableBufferPointer { o -> Bool in
            guard EVP_CipherUpdate(ctx, o.baseAddress, &n1, data, Int32(data.count)) == 1 else { return false }
            return EVP_CipherFinal_ex(ctx, o.baseAddress! + Int(n1), &n2) == 1
        }
        guard ok else { cleanse(&out); throw Failure.cipher }
        out.removeLast(out.count - Int(n1 + n2))
        return out
    }

    /// Key check value: the first `count` bytes of the key's encryption of a zero block.
    static func checkValue(_ c: Cipher, key: [UInt8], count: Int = 8) throws -> [UInt8] {
        let e = try crypt(c, key: key, data: [UInt8](repeating: 0, count: blockSize(c)), encrypt: true)
        return Array(e.prefix(count))
    }

    /// HKDF-SHA256 (RFC 5869).
    static func hkdfSHA256(ikm: [UInt8], salt: [UInt8], info: [UInt8], length: Int) throws -> [UInt8] {
        guard let kdf = EVP_KDF_fetch(nil, "HKDF", nil) else { throw Failure.kdf }
        defer { EVP_KDF_free(kdf) }
        guard let ctx = EVP_KDF_CTX_new(kdf) else { throw Failure.kdf }
        defer { EVP_KDF_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: length)
        var ikmC = ikm, saltC = salt.isEmpty ? [UInt8](repeating: 0, count: 32) : salt, infoC = info
        defer { cleanse(&ikmC) }
        let rc: Int32 = ikmC.withUnsafeMutableBytes { ib in
            saltC.withUnsafeMutableBytes { sb in
                infoC.withUnsafeMutableBytes { nb in
                    var params: [OSSL_PARAM] = [
                        OSSL_PARAM_construct_utf8_string(CName.digest, CName.sha256, 0),
                        OSSL_PARAM_construct_octet_string(CName.key, ib.baseAddress, ib.count),
                        OSSL_PARAM_construct_octet_string(CName.salt, sb.baseAddress, sb.count),
                        OSSL_PARAM_construct_octet_string(CName.info, nb.baseAddress, nb.count),
                        OSSL_PARAM_construct_end(),
                    ]
                    return EVP_KDF_derive(ctx, &out, out.count, &params)
                }
            }
        }
        guard rc == 1 else { throw Failure.kdf }
        return out
    }

    /// AES-256-GCM seal: returns ciphertext || 16-byte tag.
    static func gcmSeal(key: [UInt8], nonce: [UInt8], plain: [UInt8], aad: [UInt8]) throws -> [UInt8] {
        guard key.count == 32, nonce.count == 12, let ctx = EVP_CIPHER_CTX_new() else { throw Failure.aead }
        defer { EVP_CIPHER_CTX_free(ctx) }
        guard EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nil, key, nonce) == 1 else { throw Failure.aead }
        var n: Int32 = 0
        if !aad.isEmpty { guard EVP_EncryptUpdate(ctx, nil, &n, aad, Int32(aad.count)) == 1 else { throw Failure.aead } }
        var out = [UInt8](repeating: 0, count: plain.count + 16)
        var n1: Int32 = 0, n2: Int32 = 0
        let ok = out.withUnsafeMutableBufferPointer { o -> Bool in
            if !plain.isEmpty { guard EVP_EncryptUpdate(ctx, o.baseAddress, &n1, plain, Int32(plain.count)) == 1 else { return false } }
            guard EVP_EncryptFinal_ex(ctx, o.baseAddress! + Int(n1), &n2) == 1 else { return false }
            return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, o.baseAddress! + plain.count) == 1
        }
        guard ok else { throw Failure.aead }
        return out
    }

    /// AES-256-GCM open of ciphertext || tag; throws when the tag does not verify.
    static func gcmOpen(key: [UInt8], nonce: [UInt8], sealed: [UInt8], aad: [UInt8]) throws -> [UInt8] {
        guard key.count == 32, nonce.count == 12, sealed.count >= 16, let ctx = EVP_CIPHER_CTX_new() else { throw Failure.aead }
        defer { EVP_CIPHER_CTX_free(ctx) }
        guard EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nil, key, nonce) == 1 else { throw Failure.aead }
        var n: Int32 = 0
        if !aad.isEmpty { guard EVP_DecryptUpdate(ctx, nil, &n, aad, Int32(aad.count)) == 1 else { throw Failure.aead } }
        let body = Array(sealed.dropLast(16))
        var tag = Array(sealed.suffix(16))
        var out = [UInt8](repeating: 0, count: body.count + 16)
        var n1: Int32 = 0, n2: Int32 = 0
        let ok = out.withUnsafeMutableBufferPointer { o -> Bool in
            if !body.isEmpty { guard EVP_DecryptUpdate(ctx, o.baseAddress, &n1, body, Int32(body.count)) == 1 else { return false } }
            guard EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, &tag) == 1 else { return false }
            return EVP_DecryptFinal_ex(ctx, o.baseAddress! + Int(n1), &n2) == 1
        }
        guard ok else { cleanse(&out); throw Failure.aead }
        out.removeLast(out.count - Int(n1 + n2))
        return out
    }

    /// Bytes from OpenSSL's CSPRNG.
    static func random(_ count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        if count == 0 { return out }
        guard RAND_bytes(&out, Int32(count)) == 1 else { throw Failure.random }
        return out
    }

    /// A digest by OpenSSL name ("SHA1", "SHA256", "SM3", ...).
    static func digest(_ name: String, _ data: [UInt8]) throws -> [UInt8] {
        guard let md = EVP_MD_fetch(nil, name, nil) else { throw Failure.digest }
        defer { EVP_MD_free(md) }
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var len: UInt32 = 0
        guard EVP_Digest(data, data.count, &out, &len, md, nil) == 1 else { throw Failure.digest }
        return Array(out.prefix(Int(len)))
    }

    /// Overwrites a buffer holding a secret (OPENSSL_cleanse), then empties it.
    static func cleanse(_ b: inout [UInt8]) {
        if b.isEmpty { return }
        b.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) }
        b.removeAll()
    }

    /// Sets odd parity on every byte (DES key parity).
    static func adjustParity(_ k: inout [UInt8]) {
        for i in k.indices { k[i] = (k[i] & 0xFE) | (hasOddParity(k[i] & 0xFE) ? 0 : 1) }
    }

    static func hasOddParity(_ b: UInt8) -> Bool { b.nonzeroBitCount % 2 == 1 }

    /// True when every byte of a DES key has odd parity.
    static func isOddParity(_ k: [UInt8]) -> Bool { k.allSatisfy(hasOddParity) }
}
