import HSMCrypto
import HostProtocol

/// Keys under the LMK: the variant method for 3DES (payShield-compatible), the SM4/AES
/// storage keys for `R`/`L` keys.
///
/// - Variant v (1..9) XORs byte 0 of the LMK pair with `A6 5A 6A DE 2B 50 74 9C FA`[v-1].
/// - `U`: each 8-byte half separately, 3DES-ECB under the variant LMK with byte 8 XORed
///   with `A6` (left half) / `5A` (right half). `T`: thirds with `6A`, `DE`, `2B` - the
///   values payShield uses (wire.md's `A6 5A 6A` for `T` does not match payShield test
///   units; public payShield-compatible code such as jPOS JCESecurityModule and
///   leachbj/hsm-emulator use `6A DE 2B`, and so does this emulator).
/// - `X`/`Y` (X9.17) and single keys (`Z`/no tag): 3DES-ECB under the variant LMK.
/// - `R`: SM4-ECB under the SM4 storage key of the key type, `L`: AES-128-ECB under the AES
///   storage key of the key type; each followed by an 8-byte authenticator,
///   HMAC-SHA256(auth key, scheme letter || key type 3H (ASCII) || encrypted key), first 8
///   bytes. 3DES keys of the wrong type are refused because they fail the parity check; a
///   16-byte SM4/AES key has no parity, so the authenticator is what refuses an `R`/`L` key
///   of another type (or from another DMK, or altered): `R`/`L` + 48H under the LMK.
/// - `P` (SM1): error 26.
enum LMKCipher {
    static let variants: [UInt8] = [0xA6, 0x5A, 0x6A, 0xDE, 0x2B, 0x50, 0x74, 0x9C, 0xFA]
    static let doubleSchemeVariants: [UInt8] = [0xA6, 0x5A]
    static let tripleSchemeVariants: [UInt8] = [0x6A, 0xDE, 0x2B]

    /// The scheme variants for a key of `count` bytes (16: U, 24: T).
    static func schemeVariants(forKeyLength count: Int) -> [UInt8] {
        count == 24 ? tripleSchemeVariants : doubleSchemeVariants
    }

    /// The variant LMK for a key type: the pair with byte 0 XORed by the variant.
    static func variantLMK(_ keys: StorageKeys, _ type: KeyType) throws -> [UInt8] {
        guard let p = type.lmkPairIndex, let pair = keys.lmkPair(p), pair.count == 16 else {
            throw HostFailure(.keyTypeNotPermitted)
        }
        var lmk = pair.withUnsafeBytes { [UInt8]($0) }  // per-command scratch: the caller zeroes it
        if type.variant > 0 { lmk[0] ^= variants[Int(type.variant) - 1] }
        return lmk
    }

    /// Bytes of the authenticator after an `R`/`L` key under the LMK.
    static let authenticatorLength = 8

    /// The key under the LMK of `type`: `scheme.materialLength(.underLMK)` bytes.
    static func encrypt(_ keys: StorageKeys, clear: [UInt8], type: KeyType, scheme: KeyScheme) throws -> [UInt8] {
        guard clear.count == scheme.keyLength else { throw HostFailure(.invalidInput) }
        let c = try crypt(keys, clear, type: type, scheme: scheme, encrypt: true)
        guard scheme.authenticatorLength(.underLMK) > 0 else { return c }
        return c + (try authenticator(keys, ciphertext: c, type: type, scheme: scheme))
    }

    /// The clear key of a key under the LMK of `type`. An `R`/`L` key whose authenticator
    /// does not verify (a key of another type, another DMK, or altered) throws `failure`.
    static func decrypt(_ keys: StorageKeys, material: [UInt8], type: KeyType, scheme: KeyScheme,
                        failure: HostErrorCode = .sourceKeyParity) throws -> [UInt8] {
        guard material.count == scheme.materialLength(.underLMK) else { throw HostFailure(.invalidInput) }
        let n = scheme.authenticatorLength(.underLMK)
        guard n > 0 else { return try crypt(keys, material, type: type, scheme: scheme, encrypt: false) }
        let c = Array(material.prefix(scheme.keyLength))
        let expected = try authenticator(keys, ciphertext: c, type: type, scheme: scheme)
        guard Prim.equal(expected, Array(material.suffix(n))) else { throw HostFailure(failure) }
        return try crypt(keys, c, type: type, scheme: scheme, encrypt: false)
    }

    /// HMAC-SHA256(auth key, scheme letter || key type 3H || ciphertext), first 8 bytes.
    static func authenticator(_ keys: StorageKeys, ciphertext: [UInt8], type: KeyType, scheme: KeyScheme) throws -> [UInt8] {
        var input: [UInt8] = [scheme.tag]
        input += Array(type.description.utf8)
        input += ciphertext
        return Array(try Prim.hmacSHA256(key: keys.lmkAuth, data: input).prefix(authenticatorLength))
    }

    private static func crypt(_ keys: StorageKeys, _ data: [UInt8], type: KeyType, scheme: KeyScheme, encrypt: Bool) throws -> [UInt8] {
        guard data.count == scheme.keyLength else { throw HostFailure(.invalidInput) }
        switch scheme.algorithm {
        case .sm1:
            throw HostFailure(.invalidKeyScheme)
        case .sm4:
            guard let k = keys.sm4Key(type) else { throw HostFailure(.keyTypeNotPermitted) }
            return try Prim.crypt(.sm4, key: k, data: data, encrypt: encrypt)
        case .aes:
            guard let k = keys.aesKey(type) else { throw HostFailure(.keyTypeNotPermitted) }
            return try Prim.crypt(.aes, key: k, data: data, encrypt: encrypt)
        case .des:
            var lmk = try variantLMK(keys, type)
            defer { SecureBytes.wipe(&lmk) }
            switch scheme {
            case .doubleVariant, .tripleVariant:
                var out: [UInt8] = []
                for i in 0..<(data.count / 8) {
                    var l = lmk
                    l[8] ^= schemeVariants(forKeyLength: data.count)[i]
                    out += try Prim.crypt(.des, key: l, data: Array(data[(i * 8)..<(i * 8 + 8)]), encrypt: encrypt)
                    SecureBytes.wipe(&l)
                }
                return out
            default:
                return try Prim.crypt(.des, key: lmk, data: data, encrypt: encrypt)
            }
        }
    }
}
