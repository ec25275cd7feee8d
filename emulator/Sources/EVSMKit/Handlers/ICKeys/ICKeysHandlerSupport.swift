import Foundation
import HSMCrypto
import HostProtocol

/// Shared rules of the IC key commands `KG`, `KR`, `KD`, `SH`, `SI`, `AN`, `AM`:
/// derivation (PBOC / EMV option A), protection keys, storage with SAVED-KEY, and the key
/// type pairs `AN` may convert between.
enum ICKeysHandlerSupport {
    /// At most this many derivation levels (DERIVE count); more is `15`.
    static let maxLevels = 8

    /// Stores a key when SAVED-KEY asks for it. Index 9999 is the TASS library's "not
    /// stored" value (`K9999` + `00`): nothing is stored.
    static func store(_ ctx: HandlerContext, _ target: StoreTarget?, type: KeyType, scheme: KeyScheme, material: [UInt8]) throws {
        guard let t = target, t.index != 9999 else { return }
        try KeyHandlerSupport.storeIfAsked(ctx, t, type: type, scheme: scheme, material: material)
    }

    /// Source key types a key may be derived from (`KD`) or a protection key may have
    /// (`SH`/`SI`): `000` ZMK/KEK and the issuer master keys `x09` with variant 1...9
    /// (`109` MK-AC, `209` MK-SMI, `309` MK-SMC, `409` MK-DAK, `509` MK-DN, ...).
    static func requireDerivationParent(_ t: KeyType) throws {
        try KeyHandlerSupport.requireKnownType(t)
        guard t == .zmk || (t.pairCode == 0x09 && t.variant >= 1) else { throw HostFailure(.keyTypeNotPermitted) }
    }

    /// One level of derivation: the child is the ECB encryption of the level's data under
    /// the parent (two 3DES blocks for a DES parent, one SM4/AES block for a 16-byte
    /// block cipher). An 8-byte factor F gives the data F || ~F (PBOC / EMV option A); a
    /// 16-byte factor is used as is. DES children get odd parity.
    static func deriveOnce(_ parent: ClearKey, factor: [UInt8]) throws -> ClearKey {
        var data: [UInt8]
        switch factor.count {
        case 8: data = factor + factor.map { ~$0 }
        case 16: data = factor
        default: throw HostFailure(.invalidInput)
        }
        defer { SecureBytes.wipe(&data) }
        var child = try Prim.crypt(parent.cipher, key: parent.bytes, data: data, encrypt: true)
        let scheme: KeyScheme
        switch parent.cipher {
        case .des:
            Prim.adjustParity(&child)
            scheme = .doubleX917
        case .sm4: scheme = .sm4
        case .aes: scheme = .aes128
        }
        return ClearKey(bytes: child, scheme: scheme)
    }

    /// All levels, in order; each level's child is the next level's parent. `key` is
    /// replaced by the result (each replaced key is wiped). Zero levels leave it unchanged.
    static func derive(_ key: inout ClearKey, _ d: ICKeyDerive) throws {
        guard d.factors.count <= maxLevels else { throw HostFailure(.invalidInput) }
        for f in d.factors {
            let next = try deriveOnce(key, factor: f)
            key.wipe()
            key = next
        }
    }

    /// The clear protection key of `SH`/`SI`: decrypted under its type's LMK, then derived.
    /// Session keys (SESSION mode other than 00) are not implemented by `evsm`: `15`.
    static func protectionKey(_ ctx: HandlerContext, _ p: ICProtectionKey) throws -> ClearKey {
        try requireDerivationParent(p.keyType)
        guard p.session.mode == 0 else { throw HostFailure(.invalidInput) }
        guard p.derivation.factors.count <= maxLevels else { throw HostFailure(.invalidInput) }
        var k = try ctx.clearKey(p.key, type: p.keyType, parity: .sourceKeyParity)
        do { try derive(&k, p.derivation) } catch {
            k.wipe()
            throw error
        }
        return k
    }

    /// A key and the protection key it travels under must be of the same family (DES with
    /// DES, SM4/AES with SM4/AES): else `26`, as for keys under a ZMK.
    static func requireSameFamily(_ key: KeyScheme, _ protection: ClearKey) throws {
        guard (key.algorithm == .des) == (protection.cipher == .des) else { throw HostFailure(.invalidKeyScheme) }
    }

    /// ECB (mode 0) or CBC (mode 1, IV zero unless given) under the protection key; the
    /// data must be whole blocks (else `80`).
    static func crypt(_ k: ClearKey, mode: Int, iv: [UInt8]?, data: [UInt8], encrypt: Bool) throws -> [UInt8] {
        guard !data.isEmpty, data.count % k.blockSize == 0 else { throw HostFailure(.lengthError) }
        var v: [UInt8]?
        if mode == 1 {
            v = iv ?? [UInt8](repeating: 0, count: k.blockSize)
            guard v?.count == k.blockSize else { throw HostFailure(.invalidInput) }
        }
        return try Prim.crypt(k.cipher, key: k.bytes, iv: v, data: data, encrypt: encrypt)
    }

    /// Key type pairs `AN` converts between. Key separation holds: nothing becomes a ZMK/KEK
    /// or a TMK/PVK (`002`), and a ZMK, TMK/PVK, BDK, CVK, HMAC key or issuer master key is
    /// never converted to another type. Allowed: the same type (scheme change only, e.g.
    /// `U` <-> `X`) except `000` and `002`, and within the two payShield usage pairs of
    /// equal power: MAC keys `003` TAK <-> `008` ZAK, data keys `00A` ZEK/DEK <-> `00B` TEK.
    static func conversionAllowed(from s: KeyType, to d: KeyType) -> Bool {
        if s == .zmk || d == .zmk || s == .tpk || d == .tpk { return false }
        if s == d { return true }
        let groups: [Set<KeyType>] = [[.tak, .zak], [.zek, .tek]]
        return groups.contains { $0.contains(s) && $0.contains(d) }
    }
}

extension StoredKey {
    /// Now, as `KG` reports a key's storage time: `YYYYMMDDhhmmss`, UTC.
    static func timestamp(_ date: Date = Date()) -> String {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC") ?? c.timeZone
        let p = c.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ v: Int?) -> String { let x = v ?? 0; return x < 10 ? "0\(x)" : "\(x)" }
        return "\(p.year ?? 0)" + two(p.month) + two(p.day) + two(p.hour) + two(p.minute) + two(p.second)
    }
}
