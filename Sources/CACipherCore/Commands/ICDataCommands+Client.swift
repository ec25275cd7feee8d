import HostProtocol

/// `S0` general MAC, `S3` encrypt, `S4` decrypt, `S5` translate a cryptogram: the IC-card
/// style commands whose key may be derived per card (DERIVE) and turned into a session key
/// (SESSION) inside the HSM, with the padding done by the HSM (docs/wire.md, "IC data and
/// MAC commands"). Data travels in binary both ways. None of them stores into the HSM.

/// Padding mode of `S0`/`S3`/`S4`/`S5` (2N on the wire).
public enum ICPadding: Int, Sendable, CaseIterable {
    /// PBOC / EMV encipherment: a length byte, the data, then `80` and zeros when that is
    /// not whole blocks (data of at most 255 bytes).
    case pbocEncryption = 0
    /// PBOC MAC / ISO 9797-1 method 2: `80`, then zeros to a whole block (always added).
    case pbocMAC = 1
    /// ANSI X9.19 / ISO 9797-1 method 1: zeros to a whole block (none if aligned; not
    /// removed on decryption).
    case zeros = 2
    /// ANSI X9.23: zeros, then a byte with the count of added bytes (always added).
    case ansiX923 = 3
    /// PKCS#5 (PKCS#7 for 16-byte blocks): n bytes of value n (always added).
    case pkcs5 = 4
    /// None: the data must be whole blocks.
    case none = 5
}

/// Cipher mode of `S3`/`S4` (2N on the wire): the data modes' ECB and CBC, and the
/// whole-block feedback modes CFB (CFB64 under DES keys, CFB128 under SM4/AES keys) and OFB.
/// CFB and OFB are stream modes: with `.none` padding the data may have any length.
/// `S5` takes ECB and CBC only.
public enum ICCipherMode: Int, Sendable, CaseIterable {
    case ecb = 0, cbc = 1, cfb = 2, ofb = 3

    /// True for the modes that take an IV (CBC, CFB, OFB).
    public var needsIV: Bool { self != .ecb }
    /// True for the stream modes (CFB, OFB).
    public var isStream: Bool { self == .cfb || self == .ofb }
}

/// One side of an IC cipher operation: the key (with type, derivation and session key),
/// the cipher mode, the padding and, for CBC, the IV.
public struct ICCipherKey: Equatable, Sendable {
    public var key: KeyField
    public var keyType: KeyType
    public var mode: ICCipherMode
    /// One 16-byte factor per derivation level (at most 8).
    public var derivation: [[UInt8]]
    public var session: ICSessionKey
    public var padding: ICPadding
    /// CBC, CFB, OFB: one block (8 bytes under DES keys, 16 under SM4/AES keys).
    public var iv: [UInt8]?
    public init(key: KeyField, keyType: KeyType = .zek, mode: ICCipherMode = .ecb, derivation: [[UInt8]] = [],
                session: ICSessionKey = .none, padding: ICPadding, iv: [UInt8]? = nil) {
        self.key = key
        self.keyType = keyType
        self.mode = mode
        self.derivation = derivation
        self.session = session
        self.padding = padding
        self.iv = iv
    }
}

extension CACipherClient {
    /// Largest data per `S0`/`S3`/`S4`/`S5` call (binary; the frame must fit 65535 bytes
    /// with keys, derivation data and IVs).
    public static let maxICDataBytes = 60_000
    /// Most derivation levels `S0` takes (TASS: 3).
    public static let maxICMACDerivationLevels = 3
    /// Most derivation levels `S3`/`S4`/`S5` take (TASS: 8).
    public static let maxICDerivationLevels = 8

    /// `S0`: the MAC of `data` under the working key (the key, derived by each factor of
    /// `derivation`, then turned into a session key by `session`), after `padding`.
    ///
    /// - `keyType`: `.zak` (default) or `.tak`; `109` (MK-AC / MDK) and `209` (MK-SMI) are
    ///   also taken by `evsm`.
    /// - `macLength`: bytes of MAC, 1...9 or 16 (MAC type `0n`, or `10`: the whole block); at
    ///   most the key's block size (8 DES, 16 SM4/AES; a DES key at a `K` index with 16
    ///   gives its 8-byte block).
    /// - `algorithm`: `.alg1` (ISO 9797-1 algorithm 1, X9.9 with a single DES key) or
    ///   `.alg3` (algorithm 3, X9.19; DES keys of double or triple length).
    /// - `iv`: the initial chaining value (one block); nil = zeros (a key at a `K` index then
    ///   needs an explicit IV, since its block size is not known here).
    @available(*, noasync)
    public func icGenerateMAC(key: KeyField, keyType: KeyType = .zak, algorithm: MACAlgorithm, macLength: Int = 8,
                              derivation: [[UInt8]] = [], session: ICSessionKey = .none, padding: ICPadding,
                              data: [UInt8], iv: [UInt8]? = nil) throws -> [UInt8] {
        let name = "IC generate MAC"
        try TypedCommand.checkKey(key, "key", name)
        try Self.checkICKeyParts(derivation, session, max: Self.maxICMACDerivationLevels, name)
        guard (1...9).contains(macLength) || macLength == 16 else {
            throw TypedCommand.invalid(name, "MAC length \(macLength) is not one of 1 to 9 or 16 bytes")
        }
        let block = Self.blockSize(of: key)
        if let b = block, macLength > b {
            throw TypedCommand.invalid(name, "MAC length \(macLength) is longer than the key's \(b)-byte block")
        }
        if algorithm == .alg3, case let .encrypted(s, _) = key, s.algorithm != .des || s.keyLength < 16 {
            throw TypedCommand.invalid(name, "algorithm 3 needs a double- or triple-length DES key")
        }
        try Self.checkICData(data, padding: padding, block: block, name)
        let chain: [UInt8]
        if let v = iv {
            try TypedCommand.checkIV(v, key: key, name)
            chain = v
        } else if let b = block {
            chain = [UInt8](repeating: 0, count: b)
        } else {
            throw TypedCommand.invalid(name, "a key at a K index needs an explicit IV (8 or 16 bytes)")
        }
        let macType = macLength == 16 ? 10 : macLength
        let req = ICGenerateMACRequest(macMode: algorithm.rawValue, macType: macType,
                                       key: ICKeySpec(keyType: keyType, key: key, derivation: derivation, session: session),
                                       padding: padding.rawValue, data: data, iv: chain)
        return try exchange(req, name, idempotent: true, secret: false) { code, fields in
            guard code == .ok else { throw TypedCommand.hsmError(code, ICGenerateMACRequest.command, name) }
            do {
                var r = FieldReader(fields)
                // MAC type 10 under a key at a `K` index: the whole block, 8 or 16 bytes.
                let rsp = macType == 10 && block == nil ? try ICGenerateMACResponse.decode(&r)
                    : try ICGenerateMACResponse.decode(&r, macHexLength: 2 * macLength)
                try r.expectEnd()
                return rsp.mac
            } catch let e as FieldError {
                throw CACipherError(.badFrame, "\(name) (\(ICGenerateMACRequest.command)): reply does not decode: \(e)")
            }
        }
    }

    /// `S3`: `data` padded and encrypted under the working key of `key`.
    @available(*, noasync)
    public func icEncrypt(_ key: ICCipherKey, data: [UInt8]) throws -> [UInt8] {
        let name = "IC encrypt data"
        let side = try Self.icSide(key, "key", name)
        try Self.checkICData(data, padding: key.padding, block: Self.blockSize(of: key.key), stream: key.mode.isStream, name)
        let f = ICCipherFields(mode: side.mode, key: side.key, padding: side.padding, data: data, iv: side.iv)
        return try command(ICEncryptRequest(f), name, ICCipherResponse.self, secret: true).data
    }

    /// `S4`: `data` (whole blocks) decrypted under the working key of `key`, its padding
    /// removed (`.zeros` padding stays: zeros cannot be told from data).
    @available(*, noasync)
    public func icDecrypt(_ key: ICCipherKey, data: [UInt8]) throws -> [UInt8] {
        let name = "IC decrypt data"
        let side = try Self.icSide(key, "key", name)
        try Self.checkICCryptogram(data, block: Self.blockSize(of: key.key), stream: key.mode.isStream && key.padding == .none, name)
        let f = ICCipherFields(mode: side.mode, key: side.key, padding: side.padding, data: data, iv: side.iv)
        return try command(ICDecryptRequest(f), name, ICCipherResponse.self, secret: true).data
    }

    /// `S5`: the cryptogram `data` under `source` re-encrypted under `destination`; the clear
    /// data never leaves the HSM.
    @available(*, noasync)
    public func icTranslate(from source: ICCipherKey, to destination: ICCipherKey, data: [UInt8]) throws -> [UInt8] {
        let name = "IC translate cryptogram"
        guard !source.mode.isStream, !destination.mode.isStream else {
            throw TypedCommand.invalid(name, "translation takes ECB or CBC on both sides")
        }
        let s = try Self.icSide(source, "source key", name)
        let d = try Self.icSide(destination, "destination key", name)
        try Self.checkICCryptogram(data, block: Self.blockSize(of: source.key), name)
        return try command(ICTranslateRequest(source: s, destination: d, data: data), name, ICCipherResponse.self).data
    }

    // MARK: argument checks

    /// The block size a key field implies (nil for a key at a `K` index).
    static func blockSize(of key: KeyField) -> Int? {
        if case let .encrypted(s, _) = key { return s.algorithm.blockSize }
        return nil
    }

    static func icSide(_ k: ICCipherKey, _ argument: String, _ name: String) throws -> ICCipherSide {
        try TypedCommand.checkKey(k.key, argument, name)
        try checkICKeyParts(k.derivation, k.session, max: maxICDerivationLevels, name)
        let iv = argument == "key" ? "IV" : "\(argument) IV"
        switch (k.mode.needsIV, k.iv) {
        case (true, nil): throw TypedCommand.invalid(name, "\(argument): \(String(describing: k.mode).uppercased()) needs an IV", naming: iv)
        case let (true, v?): try TypedCommand.checkIV(v, key: k.key, name, argument: iv)
        case (false, _?): throw TypedCommand.invalid(name, "\(argument): ECB takes no IV", naming: iv)
        case (false, nil): break
        }
        return ICCipherSide(mode: k.mode.rawValue,
                            key: ICKeySpec(keyType: k.keyType, key: k.key, derivation: k.derivation, session: k.session),
                            padding: k.padding.rawValue, iv: k.iv)
    }

    static func checkICKeyParts(_ derivation: [[UInt8]], _ session: ICSessionKey, max: Int, _ name: String) throws {
        guard derivation.count <= max else {
            throw TypedCommand.invalid(name, "\(derivation.count) derivation levels: at most \(max)")
        }
        for (i, f) in derivation.enumerated() where f.count != ICKeySpec.factorLength {
            throw TypedCommand.invalid(name, "derivation factor \(i + 1) must be \(ICKeySpec.factorLength) bytes, got \(f.count)")
        }
        guard let n = ICSessionKey.dataLength(mode: session.mode) else {
            throw TypedCommand.invalid(name, "session key mode \(session.mode) is not one of 0 to 5")
        }
        guard session.data.count == n else {
            throw TypedCommand.invalid(name, "session key mode \(session.mode) needs \(n) bytes of session data, got \(session.data.count)")
        }
    }

    static func checkICData(_ data: [UInt8], padding: ICPadding, block: Int?, stream: Bool = false, _ name: String) throws {
        guard !data.isEmpty, data.count <= maxICDataBytes else {
            throw TypedCommand.invalid(name, "data of \(data.count) bytes is out of range (1 to \(maxICDataBytes))")
        }
        if padding == .pbocEncryption, data.count > 255 {
            throw TypedCommand.invalid(name, "PBOC encryption padding takes at most 255 bytes (its length byte), got \(data.count)")
        }
        if padding == .none, !stream, data.count % (block ?? 8) != 0 {
            throw TypedCommand.invalid(name, "data of \(data.count) bytes without padding must be whole \(block ?? 8)-byte blocks")
        }
    }

    /// `stream`: CFB / OFB without padding, any length.
    static func checkICCryptogram(_ data: [UInt8], block: Int?, stream: Bool = false, _ name: String) throws {
        guard !data.isEmpty, data.count <= maxICDataBytes, stream || data.count % (block ?? 8) == 0 else {
            throw TypedCommand.invalid(name, "cryptogram of \(data.count) bytes: must be whole \(block ?? 8)-byte blocks, 1 to \(maxICDataBytes) bytes")
        }
    }
}
