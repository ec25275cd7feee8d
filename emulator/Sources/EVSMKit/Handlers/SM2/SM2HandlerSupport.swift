import HSMCrypto
import HostProtocol

/// Shared by the SM2 family (`E1`..`E7`, `TT`, `TU`, `TQ`, `TX`, `TY`; vendor layouts,
/// docs/wire.md).
///
/// The private key blob under the LMK (40 bytes, this project's form): the 32-byte scalar d,
/// SM4-ECB under the SM2 storage key, then an 8-byte authenticator, the first 8 bytes of
/// HMAC-SHA256(`cacipher/lmk-auth` key, ASCII `SM2` || the 32 encrypted bytes). Both keys
/// come from the DMK, so a blob of another device (DMK) or an altered blob is refused with
/// `10`, as an `R`/`L` key whose authenticator fails; a blob of another length is `15`.
///
/// Resolving key references answers `12` (nothing at the index), `27` (the index holds no
/// SM2 pair), `15` (the DER is not an SM2 public key, not a curve point, or does not belong
/// to the private key it travels with).
enum SM2HandlerSupport {
    static let blobLength = 40
    static let authLength = 8

    static func authenticator(_ ctx: HandlerContext, _ c: [UInt8]) throws -> [UInt8] {
        Array(try Prim.hmacSHA256(key: try ctx.keys.lmkAuth, data: Array("SM2".utf8) + c).prefix(authLength))
    }

    /// The private key blob of a clear scalar.
    static func wrap(_ ctx: HandlerContext, _ d: [UInt8]) throws -> [UInt8] {
        let c = try Prim.crypt(.sm4, key: try ctx.keys.sm2Storage, data: d, encrypt: true)
        return c + (try authenticator(ctx, c))
    }

    /// The clear scalar of a blob: `15` wrong length or not a valid scalar, `10` the
    /// authenticator does not verify.
    static func unwrap(_ ctx: HandlerContext, _ blob: [UInt8]) throws -> [UInt8] {
        guard blob.count == blobLength else { throw HostFailure(.invalidInput) }
        let c = Array(blob.prefix(32))
        guard Prim.equal(try authenticator(ctx, c), Array(blob.suffix(authLength))) else {
            throw HostFailure(.sourceKeyParity)
        }
        return try clearScalar(ctx, c)
    }

    private static func clearScalar(_ ctx: HandlerContext, _ c: [UInt8]) throws -> [UInt8] {
        var d = try Prim.crypt(.sm4, key: try ctx.keys.sm2Storage, data: c, encrypt: false)
        guard SM2Ops.isValidPrivate(d) else {
            SecureBytes.wipe(&d)
            throw HostFailure(.invalidInput)
        }
        return d
    }

    /// The SM2 pair stored at an index: `12` nothing there, `27` not an SM2 pair.
    static func stored(_ ctx: HandlerContext, _ i: Int) throws -> StoredKey {
        guard let k = ctx.device.storedKey(i, kind: .sm2) else { throw HostFailure(.noKeyAtIndex) }
        guard k.kind == .sm2, k.publicKey != nil else { throw HostFailure(.keyTypeNotPermitted) }
        return k
    }

    /// The clear scalar of a stored pair (material: the blob; 32 bytes = a key stored
    /// before the blob had an authenticator, trusted as the device's own).
    static func storedScalar(_ ctx: HandlerContext, _ k: StoredKey) throws -> [UInt8] {
        k.material.count == 32 ? try clearScalar(ctx, k.material) : try unwrap(ctx, k.material)
    }

    /// X || Y of a DER public key: `15` when it is not an SM2 SubjectPublicKeyInfo of a point
    /// on the curve.
    static func point(_ der: [UInt8]) throws -> [UInt8] {
        guard let q = SM2PublicKeyDER.point(der), SM2Ops.isValidPublic(q) else { throw HostFailure(.invalidInput) }
        return q
    }

    static func der(_ q: [UInt8]) throws -> [UInt8] {
        guard let d = SM2PublicKeyDER.encode(q) else { throw HostFailure(.internalError) }
        return d
    }

    static func publicKey(_ ctx: HandlerContext, _ ref: SM2PublicKeyRef) throws -> [UInt8] {
        switch ref {
        case let .carried(der): return try point(der)
        case let .stored(i):
            guard let q = try stored(ctx, i).publicKey else { throw HostFailure(.keyTypeNotPermitted) }
            return q
        }
    }

    static func privateKey(_ ctx: HandlerContext, _ ref: SM2PrivateKeyRef) throws -> [UInt8] {
        switch ref {
        case let .carried(blob): return try unwrap(ctx, blob)
        case let .stored(i): return try storedScalar(ctx, try stored(ctx, i))
        }
    }

    /// The clear scalar and public key of a pair; a carried public key must be the private
    /// key's (`15`). That check (a scalar multiplication) is made once per pair: a carried
    /// blob whose authenticator verified, with the same point, is found in
    /// `StorageKeys.sm2CheckedPairs` the next time. The point's curve check and the blob's
    /// authenticator are checked on every call.
    static func keyPair(_ ctx: HandlerContext, _ ref: SM2KeyPairRef) throws -> (d: [UInt8], q: [UInt8]) {
        switch ref {
        case let .stored(i):
            let k = try stored(ctx, i)
            guard let q = k.publicKey else { throw HostFailure(.keyTypeNotPermitted) }
            return (try storedScalar(ctx, k), q)
        case let .carried(der, blob):
            let q = try point(der)
            var d = try unwrap(ctx, blob)
            let checked = try ctx.keys.sm2CheckedPairs
            let pairKey = blob + q
            if checked.get(pairKey) == nil {
                guard let own = try? SM2Ops.publicKey(ofPrivate: d), own == q else {
                    SecureBytes.wipe(&d)
                    throw HostFailure(.invalidInput)
                }
                checked.put(pairKey, true)
            }
            return (d, q)
        }
    }

    /// Keeps a pair at an index (1...9998; 9999 means "not stored" and is never kept).
    static func store(_ ctx: HandlerContext, index: Int, label: String, blob: [UInt8], q: [UInt8]) throws {
        guard index >= 1, index < sm2CarriedIndex else { throw HostFailure(.invalidInput) }
        try ctx.device.store(StoredKey(index: index, label: label, kind: .sm2, keyType: "", scheme: "",
                                       material: blob, publicKey: q))
    }

    static func uid(_ u: [UInt8]) -> [UInt8] { u.isEmpty ? SM2Ops.defaultUserID : u }

    // MARK: transport keys (TT, TU)

    static let transportKeyTypes: Set<KeyType> = [.zmk, .mkAC]

    /// The clear transport key after the DERIVE levels. Each level replaces the key with the
    /// ECB encryption of the level's 16-byte factor under it (3DES keys: odd parity set on
    /// the 16-byte result, a double-length key; SM4/AES: the 16-byte result). `27` a TK type
    /// other than `000`/`109`, `10` a TK that is not of that type, `26` SM1.
    static func transportKey(_ ctx: HandlerContext, _ t: SM2TransportKey) throws -> ClearKey {
        guard transportKeyTypes.contains(t.keyType) else { throw HostFailure(.keyTypeNotPermitted) }
        return try derived(ctx, key: t.key, type: t.keyType, derive: t.derive)
    }

    /// A key of `type` after DERIVE levels (the same rule as the TK of `TT`/`TU`).
    static func derived(_ ctx: HandlerContext, key: KeyField, type: KeyType, derive: DeriveField) throws -> ClearKey {
        var k = try ctx.clearKey(key, type: type)
        for f in derive.factors {
            var next = try Prim.crypt(k.cipher, key: k.bytes, data: f, encrypt: true)
            if k.cipher == .des { Prim.adjustParity(&next) }
            k.wipe()
            k.bytes = next
            if k.cipher == .des, k.scheme.keyLength != 16 { k.scheme = .doubleVariant }
            SecureBytes.wipe(&next)
        }
        return k
    }

    /// The `TQ` MAC (this project's form): the first 4 bytes of HMAC-SHA256(`cacipher/lmk-auth`
    /// key, ASCII `SM2-PKMAC` || DER public key || authentication data).
    static func publicKeyMAC(_ ctx: HandlerContext, der: [UInt8], authData: [UInt8]) throws -> [UInt8] {
        Array(try Prim.hmacSHA256(key: try ctx.keys.lmkAuth, data: Array("SM2-PKMAC".utf8) + der + authData).prefix(4))
    }

    /// d under the TK: ECB (`00`) or CBC with a zero IV (`01`), no padding (32 bytes are whole
    /// blocks for DES, SM4 and AES).
    static func crypt(_ k: ClearKey, mode: Int, _ data: [UInt8], encrypt: Bool) throws -> [UInt8] {
        let iv: [UInt8]? = mode == 1 ? [UInt8](repeating: 0, count: k.blockSize) : nil
        guard data.count % k.blockSize == 0 else { throw HostFailure(.lengthError) }
        return try Prim.crypt(k.cipher, key: k.bytes, iv: iv, data: data, encrypt: encrypt)
    }
}
