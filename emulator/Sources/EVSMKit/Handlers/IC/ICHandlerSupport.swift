import HSMCrypto
import HostProtocol

/// Code shared by the IC data and MAC commands `S0`, `S3`, `S4`, `S5` (docs/wire.md, "IC
/// data and MAC commands"):
///
/// - the working key: the key field's key (decrypted under the LMK of the command's key
///   type, key usage enforced as everywhere), derived once per DERIVE level, then turned
///   into a session key by SESSION;
/// - the padding modes (`00` PBOC encryption, `01` PBOC MAC / ISO 9797-1 method 2, `02`
///   zeros (X9.19), `03` ANSI X9.23, `04` PKCS#5/PKCS#7, `05` none);
/// - ECB / CBC encryption and decryption with padding; `02` CFB (whole-block feedback:
///   CFB64 DES, CFB128 SM4/AES) and `03` OFB with an IV of one block, the padding applied
///   alike (with `05`, none, these stream modes take data of any length).
///
/// Every buffer that held a clear key or clear data is cleansed before returning.
enum ICHandlerSupport {
    /// Key types `S0` takes: TAK, ZAK, MK-AC / MDK (`109`), MK-SMI (`209`).
    static let macTypes: Set<KeyType> = [.tak, .zak, .mkAC, KeyType(variant: 2, pairCode: 0x09)]
    /// Key types `S3`/`S4`/`S5` take: ZEK/DEK, TEK, MK-AC / MDK (`109`), MK-SMC (`309`).
    static let dataTypes: Set<KeyType> = [.zek, .tek, .mkAC, KeyType(variant: 3, pairCode: 0x09)]

    /// Most derivation levels `S3`/`S4`/`S5` accept (the vendor library sends at most 8).
    static let maxDerivationLevels = 8
    /// Most derivation levels `S0` accepts (the vendor library sends at most 3).
    static let maxMACDerivationLevels = 3

    // MARK: working key

    /// The clear working key of a key spec: the key (type `permitted`, else `27`; a key of
    /// another type `parity`), each DERIVE level, then SESSION. `wipe()` it when done.
    static func workingKey(_ ctx: HandlerContext, _ spec: ICKeySpec, permitted: Set<KeyType>, maxLevels: Int,
                           parity: HostErrorCode = .sourceKeyParity) throws -> ClearKey {
        guard permitted.contains(spec.keyType) else { throw HostFailure(.keyTypeNotPermitted) }
        guard spec.derivation.count <= maxLevels else { throw HostFailure(.invalidInput) }
        // Session modes 3, 4, 5 are not implemented: refuse before touching the key.
        guard spec.session.mode <= 2 else { throw HostFailure(.invalidInput) }
        var key = try ctx.clearKey(spec.key, type: spec.keyType, parity: parity)
        do {
            for factor in spec.derivation {
                try derive(&key, input: factor)
            }
            switch spec.session.mode {
            case 0:
                break
            case 1:
                // 8 bytes X: the session key is the key's ECB encryption of X || (X XOR FF..FF).
                var input = spec.session.data + spec.session.data.map { ~$0 }
                defer { SecureBytes.wipe(&input) }
                try derive(&key, input: input)
            default:
                // 16 bytes: their ECB encryption, as one derivation level.
                try derive(&key, input: spec.session.data)
            }
        } catch {
            key.wipe()
            throw error
        }
        return key
    }

    /// One level: the 16-byte `input` ECB-encrypted under the parent gives the child key (a
    /// DES parent of any length: two 3DES-ECB blocks, a double-length child with odd parity;
    /// SM4: one SM4-ECB block; AES: one AES-128-ECB block).
    static func derive(_ key: inout ClearKey, input: [UInt8]) throws {
        guard input.count == ICKeySpec.factorLength else { throw HostFailure(.invalidInput) }
        var child = try Prim.crypt(key.cipher, key: key.bytes, data: input, encrypt: true)
        if key.cipher == .des { Prim.adjustParity(&child) }
        let scheme: KeyScheme = key.cipher == .des ? .doubleX917 : key.scheme
        key.wipe()
        key = ClearKey(bytes: child, scheme: scheme)
    }

    // MARK: padding

    /// Pads `data` for a block size. Empty data is refused (`80`) by the callers before this.
    /// `15` for an unknown padding mode (also `10`, `11`, which the vendor check lets
    /// through with no published meaning); `80` for `05` (none) on data that is not whole
    /// blocks and for `00` with more than 255 bytes (its length byte).
    static func pad(_ data: [UInt8], mode: Int, blockSize bs: Int) throws -> [UInt8] {
        switch mode {
        case 0:  // PBOC / EMV encipherment: length byte, data, then 80 00.. if not whole blocks
            guard data.count <= 255 else { throw HostFailure(.lengthError) }
            var out = [UInt8(data.count)] + data
            if out.count % bs != 0 {
                out.append(0x80)
                out += [UInt8](repeating: 0, count: (bs - out.count % bs) % bs)
            }
            return out
        case 1:  // PBOC MAC / ISO 9797-1 method 2: 80 then zeros, always
            var out = data + [0x80]
            out += [UInt8](repeating: 0, count: (bs - out.count % bs) % bs)
            return out
        case 2:  // ANSI X9.19 / ISO 9797-1 method 1: zeros to a whole block, none if aligned
            return data + [UInt8](repeating: 0, count: (bs - data.count % bs) % bs)
        case 3:  // ANSI X9.23: zeros, then the count of added bytes (1...bs), always
            let p = bs - data.count % bs
            return data + [UInt8](repeating: 0, count: p - 1) + [UInt8(p)]
        case 4:  // PKCS#5 (PKCS#7 for 16-byte blocks): p bytes of value p, always
            let p = bs - data.count % bs
            return data + [UInt8](repeating: UInt8(p), count: p)
        case 5:
            guard data.count % bs == 0 else { throw HostFailure(.lengthError) }
            return data
        default:
            throw HostFailure(.invalidInput)
        }
    }

    /// Removes the padding of mode `mode` from decrypted whole blocks; `15` when the padding
    /// is not well formed. Mode `02` (zeros) removes nothing: zeros cannot be told from data.
    static func unpad(_ data: [UInt8], mode: Int, blockSize bs: Int) throws -> [UInt8] {
        guard !data.isEmpty, data.count % bs == 0 else { throw HostFailure(.lengthError) }
        switch mode {
        case 0:
            let n = Int(data[0])
            guard n + 1 <= data.count else { throw HostFailure(.invalidInput) }
            let tail = data[(n + 1)...]
            // Exactly the padding `pad` adds: none when length byte and data fill whole blocks.
            guard tail.count == (bs - (n + 1) % bs) % bs else { throw HostFailure(.invalidInput) }
            if !tail.isEmpty {
                guard tail.first == 0x80, tail.dropFirst().allSatisfy({ $0 == 0 }) else { throw HostFailure(.invalidInput) }
            }
            return Array(data[1..<(n + 1)])
        case 1:
            guard let i = data.lastIndex(where: { $0 != 0 }), data[i] == 0x80, data.count - i <= bs else {
                throw HostFailure(.invalidInput)
            }
            return Array(data[..<i])
        case 2, 5:
            return data
        case 3, 4:
            guard let last = data.last else { throw HostFailure(.invalidInput) }
            let p = Int(last)
            guard p >= 1, p <= bs else { throw HostFailure(.invalidInput) }
            if mode == 4 { guard data.suffix(p).allSatisfy({ $0 == last }) else { throw HostFailure(.invalidInput) } }
            return Array(data.dropLast(p))
        default:
            throw HostFailure(.invalidInput)
        }
    }

    // MARK: cipher

    /// Checks the cipher mode and IV for a working key: `00` ECB (no IV), `01` CBC, `02`
    /// CFB, `03` OFB (an IV of one block, else `15`: also when a CFB / OFB request carries
    /// none, as the vendor's C library sends them).
    static func checkMode(_ mode: Int, iv: [UInt8]?, key: ClearKey) throws -> [UInt8]? {
        switch mode {
        case 0: return nil
        case 1, 2, 3:
            guard let v = iv, v.count == key.blockSize else { throw HostFailure(.invalidInput) }
            return v
        default:
            throw HostFailure(.invalidInput)
        }
    }

    /// The feedback mode of wire mode `02` / `03` (nil for ECB / CBC).
    static func feedback(_ mode: Int) -> Prim.Feedback? {
        mode == 2 ? .cfb : mode == 3 ? .ofb : nil
    }

    /// Pads and encrypts `plain` (non-empty) under the working key. CFB / OFB with padding
    /// `05` take data of any length (stream modes); every other case whole padded blocks.
    static func encrypt(_ plain: [UInt8], key: ClearKey, mode: Int, padding: Int, iv: [UInt8]?) throws -> [UInt8] {
        let v = try checkMode(mode, iv: iv, key: key)
        guard !plain.isEmpty else { throw HostFailure(.lengthError) }
        if let fb = feedback(mode), let v, padding == 5 {
            return try Prim.crypt(key.cipher, feedback: fb, key: key.bytes, iv: v, data: plain, encrypt: true)
        }
        var padded = try pad(plain, mode: padding, blockSize: key.blockSize)
        defer { SecureBytes.wipe(&padded) }
        if let fb = feedback(mode), let v {
            return try Prim.crypt(key.cipher, feedback: fb, key: key.bytes, iv: v, data: padded, encrypt: true)
        }
        return try Prim.crypt(key.cipher, key: key.bytes, iv: v, data: padded, encrypt: true)
    }

    /// Decrypts `cipher` (non-empty whole blocks, else `80`; CFB / OFB with padding `05`:
    /// any length) and removes its padding.
    static func decrypt(_ cipher: [UInt8], key: ClearKey, mode: Int, padding: Int, iv: [UInt8]?) throws -> [UInt8] {
        let v = try checkMode(mode, iv: iv, key: key)
        guard padding >= 0, padding <= 5 else { throw HostFailure(.invalidInput) }
        guard !cipher.isEmpty else { throw HostFailure(.lengthError) }
        if let fb = feedback(mode), let v, padding == 5 {
            return try Prim.crypt(key.cipher, feedback: fb, key: key.bytes, iv: v, data: cipher, encrypt: false)
        }
        guard cipher.count % key.blockSize == 0 else { throw HostFailure(.lengthError) }
        var clear: [UInt8]
        if let fb = feedback(mode), let v {
            clear = try Prim.crypt(key.cipher, feedback: fb, key: key.bytes, iv: v, data: cipher, encrypt: false)
        } else {
            clear = try Prim.crypt(key.cipher, key: key.bytes, iv: v, data: cipher, encrypt: false)
        }
        defer { SecureBytes.wipe(&clear) }
        return try unpad(clear, mode: padding, blockSize: key.blockSize)
    }

    /// The reply of `S3`/`S4`/`S5` (the 4H length caps the data at 65535 bytes: else `80`).
    static func response(_ data: [UInt8]) throws -> ICCipherResponse {
        guard data.count <= 0xFFFF else { throw HostFailure(.lengthError) }
        return ICCipherResponse(data: data)
    }
}
