/// Racal-style data encryption and CBC-MAC commands as TASS devices take them (the layouts
/// the vendor C library `HSM_RCL_EncryptData` / `HSM_RCL_DecryptData` (`E0`),
/// `HSM_RCL_ZpkGenCbcMac` (`UQ`) and `HSM_RCL_ZakAndTakGenCbcMac` (`MS`) send; docs/wire.md,
/// "Racal data and MAC commands").
///
/// Block flags (all three): 0 the only block, 1 first, 2 middle, 3 last; a first or middle
/// part returns the chaining value to send as the IV of the next part.
///
/// IV fields carry the IV bytes exactly as the caller gave them to the vendor library: either
/// hex (16H under DES keys, 32H under SM4/AES keys) or binary (8 / 16 bytes). The layout
/// takes the length that makes the rest of the message consistent (hex first), see
/// `RacalIVLayout`.

/// How long the IV field of an `E0`/`UQ`/`MS` request is.
public enum RacalIVLayout {
    /// Candidate IV lengths for a key, the hex form first: 16/8 for DES keys, 32/16 for
    /// SM4/AES keys; 16, 8, 32 for a key held at a `K` index (the handler then checks the
    /// length against the stored key's block size).
    public static func candidates(for key: KeyField) -> [Int] {
        if case let .encrypted(s, _) = key { return [2 * s.algorithm.blockSize, s.algorithm.blockSize] }
        return [16, 8, 32]
    }

    /// The IV length after which a `lengthWidth`-digit hex length, that many data bytes and
    /// exactly `tail` more bytes fill the message. When no candidate fits, the first one is
    /// returned, so that decoding fails on the field that really is wrong (`80` short or
    /// trailing data, `15` a non-hex length).
    public static func length(key: KeyField, reader: FieldReader, lengthWidth: Int, tail: Int) -> Int {
        let c = candidates(for: key)
        for n in c {
            var r = reader
            guard (try? r.take(n)) != nil, let l = try? r.hexNumber(lengthWidth) else { continue }
            if r.remaining - l == tail { return n }
        }
        return c[0]
    }

    /// The IV bytes of a field as sent: hex of twice the block size, or binary of the block
    /// size; `nil` when the field has neither form.
    public static func value(_ field: [UInt8], blockSize: Int) -> [UInt8]? {
        if field.count == 2 * blockSize { return Hex.decode(field) }
        if field.count == blockSize { return field }
        return nil
    }
}

/// The 6-character padding field of `E0`: pad mode 1N, pad character 4H, pad count flag 1N.
/// The vendor library always sends `180000`: mode 1, pad characters `8000`, count flag 0,
/// i.e. `80` then zeros to a whole block (ISO/IEC 9797-1 padding method 2, "PBOC padding").
public struct RacalPadding: Equatable, Sendable {
    public var mode: Int
    public var character: Int
    public var countFlag: Int
    public init(mode: Int, character: Int, countFlag: Int) {
        self.mode = mode
        self.character = character
        self.countFlag = countFlag
    }
    /// `180000`: `80` then zeros (the only padding the vendor library sends).
    public static let method2 = RacalPadding(mode: 1, character: 0x8000, countFlag: 0)
    /// `000000`: no padding (the data must be whole blocks).
    public static let none = RacalPadding(mode: 0, character: 0, countFlag: 0)

    func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: mode, width: 1)
        try w.append(hexNumber: character, width: 4)
        try w.append(decimal: countFlag, width: 1)
    }
    static func decode(_ r: inout FieldReader) throws -> RacalPadding {
        RacalPadding(mode: try r.decimal(1, "pad mode"), character: try r.hexNumber(4, "pad character"),
                     countFlag: try r.decimal(1, "pad count flag"))
    }
}

/// `E0` encrypt or decrypt data with a ZEK (Racal form, §11.12/§11.13 of the vendor C API):
/// block flag 1N, direction 1N (0 encrypt, 1 decrypt), algorithm 1N (0 ECB, 1 CBC), key
/// type 1N (`0` ZEK), ZEK (key field), input format 1N (0 binary, 1 hex), output format 1N,
/// padding 6 (`180000`), [IV when the algorithm is not 0], data length 3H (bytes of the data
/// field as sent), data.
public struct RacalDataRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("E0")
    public var blockFlag: Int
    public var direction: Int
    public var algorithm: Int
    public var keyType: Int
    public var key: KeyField
    public var inputFormat: Int
    public var outputFormat: Int
    public var padding: RacalPadding
    /// The IV field as sent (hex or binary); present exactly when `algorithm != 0`.
    public var iv: [UInt8]?
    /// The data field as sent (hex characters when the input format is 1).
    public var data: [UInt8]
    public init(blockFlag: Int = 0, direction: Int, algorithm: Int, keyType: Int = 0, key: KeyField, inputFormat: Int = 0,
                outputFormat: Int = 0, padding: RacalPadding = .method2, iv: [UInt8]? = nil, data: [UInt8]) {
        self.blockFlag = blockFlag
        self.direction = direction
        self.algorithm = algorithm
        self.keyType = keyType
        self.key = key
        self.inputFormat = inputFormat
        self.outputFormat = outputFormat
        self.padding = padding
        self.iv = iv
        self.data = data
    }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: blockFlag, width: 1)
        try w.append(decimal: direction, width: 1)
        try w.append(decimal: algorithm, width: 1)
        try w.append(decimal: keyType, width: 1)
        w.append(key: key)
        try w.append(decimal: inputFormat, width: 1)
        try w.append(decimal: outputFormat, width: 1)
        try padding.encode(into: &w)
        if algorithm != 0 {
            guard let iv = iv else { throw FieldError.missing("IV", need: 8, have: 0) }
            w.append(raw: iv)
        }
        try w.append(hexNumber: data.count, width: 3)
        w.append(raw: data)
    }
    public static func decode(_ r: inout FieldReader) throws -> RacalDataRequest {
        let flag = try r.decimal(1, "block flag")
        let dir = try r.decimal(1, "direction")
        let alg = try r.decimal(1, "algorithm")
        let type = try r.decimal(1, "key type")
        guard flag <= 3, dir <= 1 else { throw FieldError.invalid("block flag/direction") }
        let k = try r.keyField("ZEK")
        let inF = try r.decimal(1, "input format")
        let outF = try r.decimal(1, "output format")
        guard inF <= 1, outF <= 1 else { throw FieldError.invalid("input/output format") }
        let pad = try RacalPadding.decode(&r)
        var iv: [UInt8]?
        if alg != 0 { iv = Array(try r.take(RacalIVLayout.length(key: k, reader: r, lengthWidth: 3, tail: 0), "IV")) }
        let n = try r.hexNumber(3, "data length")
        return RacalDataRequest(blockFlag: flag, direction: dir, algorithm: alg, keyType: type, key: k, inputFormat: inF,
                                outputFormat: outF, padding: pad, iv: iv, data: Array(try r.take(n, "data")))
    }
}

/// `E1`: output format 1N, data length 3H, data, then [the IV for the next part: CBC, block
/// flags 1 and 2 only, in the form (hex or binary) of the request's IV].
public struct RacalDataResponse: HostCommandResponse, Equatable, Sendable {
    public var outputFormat: Int
    public var data: [UInt8]
    public var iv: [UInt8]?
    public init(outputFormat: Int, data: [UInt8], iv: [UInt8]? = nil) {
        self.outputFormat = outputFormat
        self.data = data
        self.iv = iv
    }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: outputFormat, width: 1)
        try w.append(hexNumber: data.count, width: 3)
        w.append(raw: data)
        if let iv = iv { w.append(raw: iv) }
    }
    public static func decode(_ r: inout FieldReader) throws -> RacalDataResponse {
        let f = try r.decimal(1, "output format")
        let n = try r.hexNumber(3, "data length")
        let d = Array(try r.take(n, "data"))
        let rest = Array(r.rest())
        return RacalDataResponse(outputFormat: f, data: d, iv: rest.isEmpty ? nil : rest)
    }
}

/// `UQ` ZPK MAC (UnionPay POS MAC, §11.14): block flag 1N, ZPK (key field), [IV for block
/// flags 2 and 3: the chaining value of the previous part], data length 3H, data (binary),
/// MAC length 2H (hex characters of the MAC wanted: `08` = 4 bytes, the UnionPay MAC).
public struct ZPKMACRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("UQ")
    public var blockFlag: Int
    public var key: KeyField
    /// The IV field as sent (hex or binary); present exactly for block flags 2 and 3.
    public var iv: [UInt8]?
    public var data: [UInt8]
    public var macLength: Int
    public init(blockFlag: Int = 0, key: KeyField, iv: [UInt8]? = nil, data: [UInt8], macLength: Int = 8) {
        self.blockFlag = blockFlag
        self.key = key
        self.iv = iv
        self.data = data
        self.macLength = macLength
    }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: blockFlag, width: 1)
        w.append(key: key)
        if blockFlag == 2 || blockFlag == 3 {
            guard let iv = iv else { throw FieldError.missing("IV", need: 8, have: 0) }
            w.append(raw: iv)
        }
        try w.append(hexNumber: data.count, width: 3)
        w.append(raw: data)
        try w.append(hexNumber: macLength, width: 2)
    }
    public static func decode(_ r: inout FieldReader) throws -> ZPKMACRequest {
        let flag = try r.decimal(1, "block flag")
        guard flag <= 3 else { throw FieldError.invalid("block flag") }
        let k = try r.keyField("ZPK")
        var iv: [UInt8]?
        if flag == 2 || flag == 3 { iv = Array(try r.take(RacalIVLayout.length(key: k, reader: r, lengthWidth: 3, tail: 2), "IV")) }
        let n = try r.hexNumber(3, "data length")
        let d = Array(try r.take(n, "data"))
        return ZPKMACRequest(blockFlag: flag, key: k, iv: iv, data: d, macLength: try r.hexNumber(2, "MAC length"))
    }
}

/// `UR` / `MT`: the whole payload is the MAC in hex (block flags 0 and 3), or for flags 1
/// and 2 the chaining value (one block, hex) to send as the IV of the next part.
public struct RacalMACResponse: HostCommandResponse, Equatable, Sendable {
    public var mac: [UInt8]
    public init(mac: [UInt8]) { self.mac = mac }
    public func encode(into w: inout FieldWriter) throws { w.append(hex: mac) }
    public static func decode(_ r: inout FieldReader) throws -> RacalMACResponse {
        let n = r.remaining
        guard n > 0, n <= 64, n % 2 == 0 else { throw FieldError.invalid("MAC") }
        return RacalMACResponse(mac: try r.hexBytes(n, "MAC"))
    }
}

public typealias ZPKMACResponse = RacalMACResponse
public typealias ZAKTAKMACResponse = RacalMACResponse

/// `MS` TAK/ZAK MAC, ANSI X9.9 / X9.19 (§11.15): block flag 1N, key type 1N (0 TAK, 1 ZAK),
/// key length 1N (0 single DES; 1 double-length DES, SM4 or AES; 2 triple-length DES), data
/// type 1N (0 binary, 1 hex), key (key field), IV (always sent), data length 4H (bytes of
/// the data field as sent), data.
public struct ZAKTAKMACRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("MS")
    public var blockFlag: Int
    public var keyKind: Int
    public var keyLength: Int
    public var dataType: Int
    public var key: KeyField
    /// The IV field as sent (hex or binary).
    public var iv: [UInt8]
    public var data: [UInt8]
    public init(blockFlag: Int = 0, keyKind: Int, keyLength: Int, dataType: Int = 0, key: KeyField, iv: [UInt8], data: [UInt8]) {
        self.blockFlag = blockFlag
        self.keyKind = keyKind
        self.keyLength = keyLength
        self.dataType = dataType
        self.key = key
        self.iv = iv
        self.data = data
    }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: blockFlag, width: 1)
        try w.append(decimal: keyKind, width: 1)
        try w.append(decimal: keyLength, width: 1)
        try w.append(decimal: dataType, width: 1)
        w.append(key: key)
        w.append(raw: iv)
        try w.append(hexNumber: data.count, width: 4)
        w.append(raw: data)
    }
    public static func decode(_ r: inout FieldReader) throws -> ZAKTAKMACRequest {
        let flag = try r.decimal(1, "block flag")
        let kind = try r.decimal(1, "key type")
        let len = try r.decimal(1, "key length")
        let type = try r.decimal(1, "data type")
        guard flag <= 3, len <= 2, type <= 1 else { throw FieldError.invalid("block flag/key length/data type") }
        let k = try r.keyField()
        let iv = Array(try r.take(RacalIVLayout.length(key: k, reader: r, lengthWidth: 4, tail: 0), "IV"))
        let n = try r.hexNumber(4, "data length")
        return ZAKTAKMACRequest(blockFlag: flag, keyKind: kind, keyLength: len, dataType: type, key: k, iv: iv,
                                data: Array(try r.take(n, "data")))
    }
}
