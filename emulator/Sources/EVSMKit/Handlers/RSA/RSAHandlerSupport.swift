import HSMCrypto
import HostProtocol

/// Shared by the RSA family (`EI ER 3A 3B EW EY`).
///
/// A private key under the LMK is this project's blob (docs/wire.md, "RSA private keys"):
/// `01` (format) || usage (1 byte: 0 sign, 1 key management, 2 any) || IV (16) ||
/// AES-256-CBC(RSA storage key, PKCS#7-padded PKCS#1 `RSAPrivateKey` DER) ||
/// HMAC-SHA256(RSA authenticator key, everything before it) (32).
/// RSA storage key = HKDF-SHA256(IKM = LMK pair 34-35, salt `cacipher-evsm-dmk-v1`, info
/// `cacipher/rsa/storage`, 32 bytes); authenticator key = HKDF-SHA256(IKM = the
/// `cacipher/lmk-auth` key, same salt, info `cacipher/rsa/auth`, 32 bytes). Both come from the
/// DMK, so every device sharing the DMK accepts the same blob.
///
/// Errors: `12` nothing at the index, `27` the index holds no RSA pair or the key's usage
/// does not allow the command, `10` a blob whose authenticator does not verify (another
/// device, altered, or not an RSA blob), `15` a malformed DER public key or blob, an
/// unknown algorithm / padding / hash, `80` data of a length the key and padding refuse.
enum RSAHandlerSupport {
    static let format: UInt8 = 0x01
    static let overhead = 2 + 16 + 32

    enum Usage: UInt8 { case sign = 0, keyManagement = 1, any = 2 }

    static func storageKey(_ ctx: HandlerContext) throws -> [UInt8] {
        guard let pair = try ctx.keys.lmkPair(34) else { throw HostFailure(.internalError) }
        return try Prim.hkdfSHA256(ikm: pair, salt: StorageKeys.salt, info: Array("cacipher/rsa/storage".utf8), length: 32)
    }

    static func authKey(_ ctx: HandlerContext) throws -> [UInt8] {
        try Prim.hkdfSHA256(ikm: try ctx.keys.lmkAuth, salt: StorageKeys.salt, info: Array("cacipher/rsa/auth".utf8), length: 32)
    }

    /// The blob of a clear PKCS#1 private key DER.
    static func wrap(_ ctx: HandlerContext, der: [UInt8], usage: Usage) throws -> [UInt8] {
        var k = try storageKey(ctx)
        var a = try authKey(ctx)
        defer { SecureBytes.wipe(&k); SecureBytes.wipe(&a) }
        let pad = 16 - der.count % 16
        var plain = der + [UInt8](repeating: UInt8(pad), count: pad)
        defer { SecureBytes.wipe(&plain) }
        let iv = try Prim.random(16)
        var blob = [format, usage.rawValue] + iv
        blob += try Prim.crypt(.aes, key: k, iv: iv, data: plain, encrypt: true)
        blob += try Prim.hmacSHA256(key: a, data: blob)
        return blob
    }

    /// The usage and authenticator of a blob whose authenticator verifies; `10` when it
    /// does not (another device, altered, not an RSA blob).
    static func authenticate(_ ctx: HandlerContext, _ blob: [UInt8]) throws -> (usage: Usage, mac: [UInt8]) {
        guard blob.count >= overhead + 16, (blob.count - overhead) % 16 == 0 else { throw HostFailure(.sourceKeyParity) }
        var a = try authKey(ctx)
        defer { SecureBytes.wipe(&a) }
        let mac = Array(blob[(blob.count - 32)...])
        guard Prim.equal(try Prim.hmacSHA256(key: a, data: Array(blob[0..<(blob.count - 32)])), mac), blob[0] == format,
              let usage = Usage(rawValue: blob[1]) else { throw HostFailure(.sourceKeyParity) }
        return (usage, mac)
    }

    /// The clear DER and usage of a blob; `10` when its authenticator does not verify.
    static func unwrap(_ ctx: HandlerContext, _ blob: [UInt8]) throws -> (der: [UInt8], usage: Usage) {
        let (usage, _) = try authenticate(ctx, blob)
        var k = try storageKey(ctx)
        defer { SecureBytes.wipe(&k) }
        let body = blob[0..<(blob.count - 32)]
        var plain = try Prim.crypt(.aes, key: k, iv: Array(body[2..<18]), data: Array(body[18...]), encrypt: false)
        defer { SecureBytes.wipe(&plain) }
        guard let pad = plain.last, pad >= 1, pad <= 16, Int(pad) <= plain.count,
              plain.suffix(Int(pad)).allSatisfy({ $0 == pad }) else { throw HostFailure(.sourceKeyParity) }
        return (Array(plain[0..<(plain.count - Int(pad))]), usage)
    }

    /// The clear private key DER for a command that needs `usage` (`.sign` or
    /// `.keyManagement`; `.any` for export). Zero the result when done.
    static func privateKey(_ ctx: HandlerContext, _ ref: RSAKeyReference, for need: Usage) throws -> [UInt8] {
        var (der, usage) = try unwrap(ctx, try blob(ctx, ref))
        guard need == .any || usage == .any || usage == need else {
            SecureBytes.wipe(&der)
            throw HostFailure(.keyTypeNotPermitted)
        }
        return der
    }

    /// A parsed private key and the usage its blob carries (StorageKeys.rsaPrivateKeys).
    struct CachedPrivateKey {
        let key: HSMCrypto.RSA.PrivateKey
        let usage: Usage
    }

    /// The blob of a private key reference: carried, or stored at an index (`12`, `27`).
    static func blob(_ ctx: HandlerContext, _ ref: RSAKeyReference) throws -> [UInt8] {
        switch ref {
        case let .inline(b): return b
        case let .stored(i):
            guard let k = ctx.device.storedKey(i, kind: .rsa) else { throw HostFailure(.noKeyAtIndex) }
            guard k.kind == .rsa else { throw HostFailure(.keyTypeNotPermitted) }
            return k.material
        }
    }

    /// The parsed private key for a command that needs `usage`, as ``privateKey(_:_:for:)``
    /// but without decrypting and parsing the blob again when the same blob was used before:
    /// the blob's authenticator is checked on every call, then the key parsed at its first
    /// use is taken from `StorageKeys.rsaPrivateKeys` by that authenticator.
    static func privateKeyObject(_ ctx: HandlerContext, _ ref: RSAKeyReference, for need: Usage) throws -> HSMCrypto.RSA.PrivateKey {
        let b = try blob(ctx, ref)
        let (usage, mac) = try authenticate(ctx, b)
        guard need == .any || usage == .any || usage == need else { throw HostFailure(.keyTypeNotPermitted) }
        let cache = try ctx.keys.rsaPrivateKeys
        if let hit = cache.get(mac) { return hit.key }
        var (der, _) = try unwrap(ctx, b)
        defer { SecureBytes.wipe(&der) }
        let key = try crypto { try HSMCrypto.RSA.PrivateKey(der: der) }
        cache.put(mac, CachedPrivateKey(key: key, usage: usage))
        return key
    }

    /// The parsed public key of a reference (`15` bad DER, `12`/`27` for an index), parsed
    /// once per DER (StorageKeys.rsaPublicKeys).
    static func publicKeyObject(_ ctx: HandlerContext, _ ref: RSAKeyReference) throws -> HSMCrypto.RSA.PublicKey {
        let der: [UInt8]
        switch ref {
        case let .inline(d):
            guard d.count <= 1100 else { throw HostFailure(.invalidInput) }
            der = d
        case .stored: der = try publicKey(ctx, ref)
        }
        let cache = try ctx.keys.rsaPublicKeys
        if let hit = cache.get(der) { return hit }
        let key = try crypto { try HSMCrypto.RSA.PublicKey(der: der) }
        cache.put(der, key)
        return key
    }

    static func publicKey(_ ctx: HandlerContext, _ ref: RSAKeyReference) throws -> [UInt8] {
        switch ref {
        case let .inline(der):
            guard HSMCrypto.RSA.isValidPublicKey(der) else { throw HostFailure(.invalidInput) }
            return der
        case let .stored(i):
            guard let k = ctx.device.storedKey(i, kind: .rsa) else { throw HostFailure(.noKeyAtIndex) }
            guard k.kind == .rsa, let q = k.publicKey else { throw HostFailure(.keyTypeNotPermitted) }
            return q
        }
    }

    static func store(_ ctx: HandlerContext, _ t: StoreTarget, blob: [UInt8], publicKey: [UInt8]) throws {
        guard t.index >= 1, t.index < RSAKeyReference.inlineIndex else { throw HostFailure(.invalidInput) }
        try ctx.device.store(StoredKey(index: t.index, label: t.label, kind: .rsa, keyType: "", scheme: "",
                                       material: blob, publicKey: publicKey))
    }

    /// Algorithm `01` (RSA) only.
    static func checkAlgorithm(_ a: Int) throws { guard a == 1 else { throw HostFailure(.invalidInput) } }

    /// `00` none, `01` PKCS#1 v1.5, `02` OAEP (SHA-1, MGF1-SHA-1, empty label).
    static func encryptionPadding(_ p: Int) throws -> HSMCrypto.RSA.EncryptionPadding {
        switch p {
        case 0: return .none
        case 1: return .pkcs1
        case 2: return .oaepSHA1
        default: throw HostFailure(.invalidInput)
        }
    }

    /// `01` PKCS#1 v1.5, `02` PSS (MGF1 with the same hash, salt = hash length).
    static func signaturePadding(_ p: Int) throws -> HSMCrypto.RSA.SignaturePadding {
        switch p {
        case 1: return .pkcs1
        case 2: return .pss
        default: throw HostFailure(.invalidInput)
        }
    }

    /// Vendor hash ids: 01 SHA-1, 05 SHA-224, 06 SHA-256, 07 SHA-384, 08 SHA-512, 20 SM3.
    static func digest(_ id: Int) throws -> DigestAlgorithm {
        switch id {
        case 1: return .sha1
        case 5: return .sha224
        case 6: return .sha256
        case 7: return .sha384
        case 8: return .sha512
        case 20: return .sm3
        default: throw HostFailure(.invalidInput)
        }
    }

    /// The modulus length in bytes of a (valid) public key DER.
    static func modulusBytes(publicKey der: [UInt8]) throws -> Int {
        guard let bits = try? HSMCrypto.RSA.modulusBits(der, isPrivate: false) else { throw HostFailure(.invalidInput) }
        return (bits + 7) / 8
    }

    /// Maps a crypto failure on data to `15`.
    static func crypto<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let f as HostFailure { throw f } catch { throw HostFailure(.invalidInput) }
    }
}

/// Transport keys of `TR`/`TS` (docs/wire.md, "RSA commands").
extension RSAHandlerSupport {
    /// The clear (derived) transport key: type `000` or `109` (else `27`), mode `00`/`01`
    /// (else `15`). Each derivation level replaces the key by its ECB encryption of the
    /// level's 16 bytes (DES keys: odd parity set); derivation needs a 16-byte key (double
    /// DES, SM4, AES-128), else `15`.
    static func transportKey(_ ctx: HandlerContext, _ tk: RSATransportKey) throws -> ClearKey {
        guard tk.type == .zmk || tk.type == .mkAC else { throw HostFailure(.keyTypeNotPermitted) }
        guard tk.mode == 0 || tk.mode == 1 else { throw HostFailure(.invalidInput) }
        var k = try ctx.clearKey(tk.key, type: tk.type)
        try derive(&k, tk.derivation)
        return k
    }

    /// A component under the TK: left-padded with zero bytes to whole blocks, ECB or CBC.
    static func wrapComponent(_ v: [UInt8], _ tk: ClearKey, cbcIV: [UInt8]?) throws -> [UInt8] {
        let pad = (tk.blockSize - v.count % tk.blockSize) % tk.blockSize
        var plain = [UInt8](repeating: 0, count: pad) + v
        defer { SecureBytes.wipe(&plain) }
        return try Prim.crypt(tk.cipher, key: tk.bytes, iv: cbcIV, data: plain, encrypt: true)
    }

    /// The integer of a component under the TK (leading zero bytes removed); `15` when it
    /// is empty or not whole blocks.
    static func unwrapComponent(_ c: [UInt8], _ tk: ClearKey, cbcIV: [UInt8]?) throws -> [UInt8] {
        guard !c.isEmpty, c.count % tk.blockSize == 0 else { throw HostFailure(.invalidInput) }
        var plain = try Prim.crypt(tk.cipher, key: tk.bytes, iv: cbcIV, data: c, encrypt: false)
        defer { SecureBytes.wipe(&plain) }
        let first = plain.firstIndex { $0 != 0 } ?? (plain.count - 1)
        return Array(plain[first...])
    }
}

/// `EO` public-key MACs and the derivation shared by `TR TS TV`.
extension RSAHandlerSupport {
    /// The 4-byte MAC of a public key: the first 4 bytes of HMAC-SHA256(key, DER ‖ auth
    /// data), key = HKDF-SHA256(IKM = the `cacipher/lmk-auth` key, salt
    /// `cacipher-evsm-dmk-v1`, info `cacipher/rsa/pkmac`, 32 bytes).
    static func publicKeyMAC(_ ctx: HandlerContext, publicKey: [UInt8], authData: [UInt8]) throws -> [UInt8] {
        var k = try Prim.hkdfSHA256(ikm: try ctx.keys.lmkAuth, salt: StorageKeys.salt, info: Array("cacipher/rsa/pkmac".utf8), length: 32)
        defer { SecureBytes.wipe(&k) }
        return Array(try Prim.hmacSHA256(key: k, data: publicKey + authData).prefix(4))
    }

    /// Each level replaces the key by its ECB encryption of the level's 16 bytes (DES
    /// results get odd parity); needs a 16-byte key, else `15`.
    static func derive(_ k: inout ClearKey, _ levels: [[UInt8]]) throws {
        for d in levels {
            guard k.bytes.count == 16, d.count == 16 else { k.wipe(); throw HostFailure(.invalidInput) }
            var next = try Prim.crypt(k.cipher, key: k.bytes, data: d, encrypt: true)
            if k.cipher == .des { Prim.adjustParity(&next) }
            k.wipe()
            k.bytes = next
        }
    }
}
