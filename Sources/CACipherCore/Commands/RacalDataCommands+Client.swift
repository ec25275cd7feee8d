import HostProtocol

/// Racal-style data encryption and MACs as TASS devices take them: `E0` encrypt / decrypt
/// with a ZEK, `UQ` UnionPay POS MAC with a ZPK, `MS` X9.9 / X9.19 MAC with a TAK or ZAK
/// (docs/wire.md, "Racal data and MAC commands"). Data travels in binary; IVs travel as hex.
/// None of these commands stores anything in the HSM: all are idempotent.
///
/// Messages of several parts: `part` `.first` and `.middle` return the chaining value (one
/// block) to pass as `iv` of the next part; each of those parts must be whole blocks.
extension CACipherClient {
    /// Largest data per `E0` / `UQ` call (a 3H length; `E0` counts the padded output too).
    public static let maxRacalDataBytes = 0xFFF
    /// Largest data per `MS` call (the TASS limit of the vendor library).
    public static let maxRacalMACDataBytes = 4096

    /// `E0` direction 0: encrypts `data` under a ZEK/DEK (key type `00A`). `mode` `.cbc`
    /// needs `iv`. With `padded` (the vendor library's `180000`) the only or last part gets
    /// `80` then zeros (ISO/IEC 9797-1 method 2); without it, data must be whole blocks.
    @available(*, noasync)
    public func racalEncryptData(key: KeyField, mode: CipherMode, iv: [UInt8]? = nil, data: [UInt8],
                                 part: MACPart = .only, padded: Bool = true) throws -> DataCipherResult {
        try racalCipher(encrypt: true, key: key, mode: mode, iv: iv, data: data, part: part, padded: padded)
    }

    /// `E0` direction 1: decrypts `data` (whole blocks); with `padded` the method-2 padding
    /// of the only or last part is removed (the HSM answers 15 when it is not there).
    @available(*, noasync)
    public func racalDecryptData(key: KeyField, mode: CipherMode, iv: [UInt8]? = nil, data: [UInt8],
                                 part: MACPart = .only, padded: Bool = true) throws -> DataCipherResult {
        try racalCipher(encrypt: false, key: key, mode: mode, iv: iv, data: data, part: part, padded: padded)
    }

    /// `UQ`: the UnionPay POS MAC of `data` under a ZPK (key type `001`): the first
    /// `macBytes` bytes (4 = the UnionPay MAC, `08` on the wire; up to one block). For
    /// `.first` / `.middle` parts: the chaining value (one block) to pass as `iv`.
    @available(*, noasync)
    public func zpkMAC(key: KeyField, data: [UInt8], part: MACPart = .only, iv: [UInt8]? = nil, macBytes: Int = 4) throws -> [UInt8] {
        let name = "ZPK MAC"
        try TypedCommand.checkKey(key, "ZPK", name)
        let bs = Self.racalBlockSize(key, iv: iv)
        guard macBytes >= 4, macBytes <= bs else { throw TypedCommand.invalid(name, "MAC length \(macBytes) is out of range (4 to \(bs) bytes)") }
        try Self.racalCheckParts(name, data: data, part: part, iv: iv, key: key, blockSize: bs, max: Self.maxRacalDataBytes)
        let req = ZPKMACRequest(blockFlag: part.rawValue, key: key, iv: iv.map(Self.hexBytes), data: data, macLength: 2 * macBytes)
        let mac = try command(req, name, ZPKMACResponse.self).mac
        let want = part.isFinal ? macBytes : bs
        guard mac.count == want else { throw CACipherError(.badFrame, "\(name) (UQ): reply has \(mac.count) bytes, expected \(want)") }
        return mac
    }

    /// `MS`: the ANSI X9.9 (single DES) / X9.19 (double- or triple-length DES) MAC of `data`
    /// under a TAK (`.tak`) or ZAK (`.zak`); SM4/AES keys: ISO/IEC 9797-1 algorithm 1. Zero
    /// padding. Returns one block (8 bytes DES, 16 SM4/AES), or the chaining value for
    /// `.first` / `.middle`. `iv` defaults to zeros for `.only` / `.first`; it is required
    /// for a key held at a `K` index, as is `keyLengthFlag` (0 single DES, 1 double DES / SM4
    /// / AES, 2 triple DES), which is otherwise taken from the key's scheme.
    @available(*, noasync)
    public func zakTakMAC(key: KeyField, keyType: KeyType = .zak, data: [UInt8], part: MACPart = .only,
                          iv: [UInt8]? = nil, keyLengthFlag: Int? = nil) throws -> [UInt8] {
        let name = "ZAK/TAK MAC"
        try TypedCommand.checkKey(key, "key", name)
        let kind: Int
        switch keyType {
        case .tak: kind = 0
        case .zak: kind = 1
        default: throw TypedCommand.invalid(name, "key type must be TAK (003) or ZAK (008)")
        }
        var flag = keyLengthFlag
        var start = iv
        if case let .encrypted(s, _) = key {
            let own = s.keyLength == 8 ? 0 : s.keyLength == 24 ? 2 : 1
            if let f = flag, f != own { throw TypedCommand.invalid(name, "key length flag \(f) does not match the key's scheme") }
            flag = own
            if start == nil, !part.needsIV { start = [UInt8](repeating: 0, count: s.algorithm.blockSize) }
        } else if flag == nil || iv == nil {
            throw TypedCommand.invalid(name, "a key held at a K index needs keyLengthFlag and iv (its length and block size are not known here)")
        }
        guard let f = flag, (0...2).contains(f) else { throw TypedCommand.invalid(name, "key length flag must be 0, 1 or 2") }
        guard let v = start else { throw TypedCommand.invalid(name, "IV (the chaining value of the previous part) is required for this part", naming: "IV") }
        try TypedCommand.checkIV(v, key: key, name)
        let bs = v.count
        guard data.count <= Self.maxRacalMACDataBytes else {
            throw TypedCommand.invalid(name, "data of \(data.count) bytes is longer than \(Self.maxRacalMACDataBytes): send it in parts")
        }
        if !part.isFinal, data.isEmpty || data.count % bs != 0 {
            throw TypedCommand.invalid(name, "a first or middle part must be whole \(bs)-byte blocks")
        }
        if part != .last, data.isEmpty { throw TypedCommand.invalid(name, "data is empty") }
        let req = ZAKTAKMACRequest(blockFlag: part.rawValue, keyKind: kind, keyLength: f, dataType: 0, key: key,
                                   iv: Self.hexBytes(v), data: data)
        let mac = try command(req, name, ZAKTAKMACResponse.self).mac
        guard mac.count == bs else { throw CACipherError(.badFrame, "\(name) (MS): reply has \(mac.count) bytes, expected \(bs)") }
        return mac
    }

    private func racalCipher(encrypt: Bool, key: KeyField, mode: CipherMode, iv: [UInt8]?, data: [UInt8],
                             part: MACPart, padded: Bool) throws -> DataCipherResult {
        let name = encrypt ? "Racal encrypt data" : "Racal decrypt data"
        try TypedCommand.checkKey(key, "ZEK", name)
        switch (mode, iv) {
        case (.cbc, nil): throw TypedCommand.invalid(name, "CBC needs an IV", naming: "IV")
        case let (.cbc, v?): try TypedCommand.checkIV(v, key: key, name)
        case (.ecb, _?): throw TypedCommand.invalid(name, "ECB takes no IV", naming: "IV")
        case (.ecb, nil): break
        }
        let bs = Self.racalBlockSize(key, iv: iv)
        let padsHere = padded && part.isFinal
        let sent = padsHere && encrypt ? (data.count / bs + 1) * bs : data.count
        guard sent <= Self.maxRacalDataBytes else {
            throw TypedCommand.invalid(name, "data of \(data.count) bytes is too long (at most \(Self.maxRacalDataBytes) bytes with padding): send it in parts")
        }
        if !(padsHere && encrypt), data.count % bs != 0 {
            throw TypedCommand.invalid(name, "data of \(data.count) bytes must be whole \(bs)-byte blocks here")
        }
        if data.isEmpty, !(padsHere && encrypt && part == .last) { throw TypedCommand.invalid(name, "data is empty") }
        let req = RacalDataRequest(blockFlag: part.rawValue, direction: encrypt ? 0 : 1, algorithm: mode.rawValue, keyType: 0, key: key,
                                   padding: padded ? .method2 : .none, iv: iv.map(Self.hexBytes), data: data)
        var rsp = try command(req, name, RacalDataResponse.self, secret: true)
        var handedOut = false
        defer { if !handedOut { SecureBytes.wipe(&rsp.data) } }
        let code = RacalDataRequest.command
        guard rsp.outputFormat == 0 else { throw CACipherError(.badFrame, "\(name) (\(code)): reply output format is not binary") }
        let expected = encrypt ? sent : nil
        if let e = expected, rsp.data.count != e {
            throw CACipherError(.badFrame, "\(name) (\(code)): reply has \(rsp.data.count) bytes, expected \(e)")
        }
        if !encrypt, rsp.data.count > data.count || (!padsHere && rsp.data.count != data.count) {
            throw CACipherError(.badFrame, "\(name) (\(code)): reply has \(rsp.data.count) bytes for \(data.count) sent")
        }
        var next: [UInt8]?
        if mode == .cbc, !part.isFinal {
            guard let field = rsp.iv, let v = Hex.decode(field), v.count == iv?.count else {
                throw CACipherError(.badFrame, "\(name) (\(code)): reply has no IV of the request's length for the next part")
            }
            next = v
        } else if rsp.iv != nil {
            throw CACipherError(.badFrame, "\(name) (\(code)): reply carries an unexpected IV")
        }
        handedOut = true
        return DataCipherResult(data: rsp.data, nextIV: next)
    }

    /// The block size of a key (8 DES, 16 SM4/AES); for a `K` index key the IV's length
    /// when one is given, else 8.
    static func racalBlockSize(_ key: KeyField, iv: [UInt8]?) -> Int {
        if case let .encrypted(s, _) = key { return s.algorithm.blockSize }
        return iv?.count == 16 ? 16 : 8
    }

    static func racalCheckParts(_ name: String, data: [UInt8], part: MACPart, iv: [UInt8]?, key: KeyField, blockSize bs: Int, max: Int) throws {
        guard data.count <= max else { throw TypedCommand.invalid(name, "data of \(data.count) bytes is longer than \(max): send it in parts") }
        if part.needsIV {
            guard let v = iv else { throw TypedCommand.invalid(name, "IV (the chaining value of the previous part) is required for this part", naming: "IV") }
            try TypedCommand.checkIV(v, key: key, name)
        } else if iv != nil {
            throw TypedCommand.invalid(name, "IV is only used for middle and last parts", naming: "IV")
        }
        if !part.isFinal, data.isEmpty || data.count % bs != 0 {
            throw TypedCommand.invalid(name, "a first or middle part must be whole \(bs)-byte blocks")
        }
        if part != .last, data.isEmpty { throw TypedCommand.invalid(name, "data is empty") }
    }

    static func hexBytes(_ v: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        Hex.encode(v, into: &out)
        return out
    }
}
