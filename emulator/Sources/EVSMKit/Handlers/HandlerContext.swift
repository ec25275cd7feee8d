import HSMCrypto
import HostProtocol

/// A clear working key, decrypted for one command. `wipe()` when done.
struct ClearKey {
    var bytes: [UInt8]
    var scheme: KeyScheme
    var cipher: Prim.Cipher {
        switch scheme.algorithm {
        case .sm4: return .sm4
        case .aes: return .aes
        default: return .des
        }
    }
    var blockSize: Int { Prim.blockSize(cipher) }
    mutating func wipe() { SecureBytes.wipe(&bytes) }
}

/// What a handler sees: the device (for stored keys) and the derived keys.
struct HandlerContext {
    let device: Device
    let keysOrNil: StorageKeys?

    init(device: Device, keys: StorageKeys?) {
        self.device = device
        self.keysOrNil = keys
    }

    var keys: StorageKeys {
        get throws {
            guard let k = keysOrNil else { throw HostFailure(.notInitialised) }
            return k
        }
    }

    /// Resolves a key field to its form under the LMK of `type`: the field itself, or the
    /// key stored at a `K` index (which must have been stored as that type: else `27`).
    func underLMK(_ field: KeyField, type: KeyType) throws -> (scheme: KeyScheme, material: [UInt8]) {
        switch field {
        case let .encrypted(s, m): return (s, m)
        case let .stored(i):
            guard let k = device.storedKey(i, kind: .symmetric) else { throw HostFailure(.noKeyAtIndex) }
            guard k.kind == .symmetric, k.keyType == type.description,
                  let tag = k.scheme.utf8.first, let s = KeyScheme(tag: tag) else {
                throw HostFailure(.keyTypeNotPermitted)
            }
            return (s, k.material)
        }
    }

    /// Decrypts a key presented for a command under the LMK of the type the command requires.
    /// A key of another type is refused with `parity` (normally `10`, `11` for a destination
    /// key): DES keys must have odd parity after decryption (a key of another type decrypts
    /// to garbage), SM4/AES keys must carry a valid authenticator for the type.
    func clearKey(_ field: KeyField, type: KeyType, parity: HostErrorCode = .sourceKeyParity) throws -> ClearKey {
        let (s, m) = try underLMK(field, type: type)
        if s == .sm1 { throw HostFailure(.invalidKeyScheme) }
        var clear = try LMKCipher.decrypt(try keys, material: m, type: type, scheme: s, failure: parity)
        if s.algorithm == .des, !Prim.isOddParity(clear) {
            SecureBytes.wipe(&clear)
            throw HostFailure(parity)
        }
        return ClearKey(bytes: clear, scheme: s)
    }

    /// A fresh random key for a scheme (DES keys with odd parity).
    static func generate(_ scheme: KeyScheme) throws -> [UInt8] {
        if scheme == .sm1 { throw HostFailure(.invalidKeyScheme) }
        var k = try Prim.random(scheme.keyLength)
        if scheme.algorithm == .des { Prim.adjustParity(&k) }
        return k
    }

    /// The 16H check value of a clear key (8 bytes; zero block of the key's block size).
    static func checkValue(_ k: ClearKey) throws -> [UInt8] {
        try Prim.checkValue(k.cipher, key: k.bytes, count: 8)
    }

    /// Encrypts a clear key under a ZMK (key-exchange form). DES-family ZMKs: `U`/`T` with
    /// the payShield variant method on the ZMK (the same rules as under the LMK, applied to
    /// the ZMK), `X`/`Y`/single: plain 3DES-ECB. SM4/AES ZMKs: ECB. A key of the other
    /// family: plain ECB under the ZMK when it is whole blocks of the ZMK's cipher, else `26`.
    static func underZMK(_ clear: [UInt8], zmk: ClearKey, scheme: KeyScheme, encrypt: Bool) throws -> [UInt8] {
        guard clear.count == scheme.keyLength else { throw HostFailure(.invalidInput) }
        if scheme == .sm1 { throw HostFailure(.invalidKeyScheme) }
        let keyFamily: KeyAlgorithm = scheme.algorithm
        let zmkFamily: KeyAlgorithm = zmk.scheme.algorithm
        if zmkFamily == .sm1 { throw HostFailure(.invalidKeyScheme) }
        // A key of the other family (a DES key under an SM4/AES ZMK, as the vendor's test
        // program imports an X key under an L ZMK, or an SM4/AES key under a 3DES ZMK): plain
        // ECB under the ZMK over whole blocks of its cipher; a 24-byte DES key under a
        // 16-byte-block ZMK is not whole blocks (26).
        if (keyFamily == .des) != (zmkFamily == .des), clear.count % zmk.blockSize != 0 { throw HostFailure(.invalidKeyScheme) }
        if zmkFamily == .des, scheme == .doubleVariant || scheme == .tripleVariant, zmk.bytes.count == 16 {
            var out: [UInt8] = []
            for i in 0..<(clear.count / 8) {
                var z = zmk.bytes
                z[8] ^= LMKCipher.schemeVariants(forKeyLength: clear.count)[i]
                out += try Prim.crypt(.des, key: z, data: Array(clear[(i * 8)..<(i * 8 + 8)]), encrypt: encrypt)
                SecureBytes.wipe(&z)
            }
            return out
        }
        return try Prim.crypt(zmk.cipher, key: zmk.bytes, data: clear, encrypt: encrypt)
    }
}
