import COpenSSL

/// Algorithms fetched from the default provider once per process (Swift global `let`s are
/// lazily and thread-safely initialised) and never freed. Nothing calls `EVP_*_fetch` per
/// operation.
enum EVPCache {
    static let desEDE3ECB = EVP_CIPHER_fetch(nil, "DES-EDE3-ECB", nil)
    static let desEDE3CBC = EVP_CIPHER_fetch(nil, "DES-EDE3-CBC", nil)
    static let sm4ECB = EVP_CIPHER_fetch(nil, "SM4-ECB", nil)
    static let sm4CBC = EVP_CIPHER_fetch(nil, "SM4-CBC", nil)
    static let aes128ECB = EVP_CIPHER_fetch(nil, "AES-128-ECB", nil)
    static let aes128CBC = EVP_CIPHER_fetch(nil, "AES-128-CBC", nil)
    static let aes192ECB = EVP_CIPHER_fetch(nil, "AES-192-ECB", nil)
    static let aes192CBC = EVP_CIPHER_fetch(nil, "AES-192-CBC", nil)
    static let aes256ECB = EVP_CIPHER_fetch(nil, "AES-256-ECB", nil)
    static let aes256CBC = EVP_CIPHER_fetch(nil, "AES-256-CBC", nil)
    static let aes256GCM = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil)
    // Full-block feedback modes (FeedbackCipher): CFB64 / CFB128 and OFB.
    static let desEDE3CFB = EVP_CIPHER_fetch(nil, "DES-EDE3-CFB", nil)
    static let desEDE3OFB = EVP_CIPHER_fetch(nil, "DES-EDE3-OFB", nil)
    static let sm4CFB = EVP_CIPHER_fetch(nil, "SM4-CFB", nil)
    static let sm4OFB = EVP_CIPHER_fetch(nil, "SM4-OFB", nil)
    static let aes128CFB = EVP_CIPHER_fetch(nil, "AES-128-CFB", nil)
    static let aes128OFB = EVP_CIPHER_fetch(nil, "AES-128-OFB", nil)
    static let aes192CFB = EVP_CIPHER_fetch(nil, "AES-192-CFB", nil)
    static let aes192OFB = EVP_CIPHER_fetch(nil, "AES-192-OFB", nil)
    static let aes256CFB = EVP_CIPHER_fetch(nil, "AES-256-CFB", nil)
    static let aes256OFB = EVP_CIPHER_fetch(nil, "AES-256-OFB", nil)

    static let sha1 = EVP_MD_fetch(nil, "SHA1", nil)
    static let sha224 = EVP_MD_fetch(nil, "SHA2-224", nil)
    static let sha256 = EVP_MD_fetch(nil, "SHA2-256", nil)
    static let sha384 = EVP_MD_fetch(nil, "SHA2-384", nil)
    static let sha512 = EVP_MD_fetch(nil, "SHA2-512", nil)
    static let sm3 = EVP_MD_fetch(nil, "SM3", nil)

    static let hmac = EVP_MAC_fetch(nil, "HMAC", nil)
    static let hkdf = EVP_KDF_fetch(nil, "HKDF", nil)
    static let pbkdf2 = EVP_KDF_fetch(nil, "PBKDF2", nil)
    static let scrypt = EVP_KDF_fetch(nil, "SCRYPT", nil)
}

/// NUL-terminated C strings with process lifetime, for `OSSL_PARAM` keys and values
/// (an `OSSL_PARAM` stores the pointer, so a temporary bridged Swift string would dangle).
enum CStr {
    static func make(_ s: String) -> UnsafeMutablePointer<CChar> {
        let u = Array(s.utf8CString)
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: u.count)
        p.initialize(from: u, count: u.count)
        return p
    }
    static let digest = make("digest")
    static let key = make("key")
    static let salt = make("salt")
    static let info = make("info")
    static let pass = make("pass")
    static let iter = make("iter")
    static let mode = make("mode")
    static let n = make("n")
    static let r = make("r")
    static let p = make("p")
    static let distid = make("distid")
    static let pkcs5 = make("pkcs5")
    static let group = make("group")
    static let pub = make("pub")
    static let priv = make("priv")
    static let sm2 = make("SM2")
    static let maxmem = make("maxmem_bytes")
    static let sha1 = make("SHA1")
    static let sha224 = make("SHA2-224")
    static let sha256 = make("SHA2-256")
    static let sha384 = make("SHA2-384")
    static let sha512 = make("SHA2-512")
    static let sm3 = make("SM3")
}
