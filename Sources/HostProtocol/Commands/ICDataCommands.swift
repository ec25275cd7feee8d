/// IC-card style symmetric commands (TASS layouts): `S0` general MAC, `S3` encrypt, `S4`
/// decrypt, `S5` translate a cryptogram from one key to another. Each names its key with a
/// key type, a key field, a derivation (DERIVE) and a session-key (SESSION) field; the
/// working key is the key field's key, derived per level, then turned into a session key.
/// See docs/wire.md, "IC data and MAC commands".

/// SESSION: mode 2N, then data by mode: modes 0, 3, 4 none; mode 1 16H (8 bytes); modes 2
/// and 5 32H (16 bytes). Other modes do not decode (`15`).
public struct ICSessionKey: Equatable, Sendable {
    public var mode: Int
    public var data: [UInt8]
    public init(mode: Int, data: [UInt8] = []) {
        self.mode = mode
        self.data = data
    }

    /// No session key: the (derived) key itself is the working key.
    public static let none = ICSessionKey(mode: 0)

    /// Bytes of session data a mode carries (nil: not a mode of the layout).
    public static func dataLength(mode: Int) -> Int? {
        switch mode {
        case 0, 3, 4: return 0
        case 1: return 8
        case 2, 5: return 16
        default: return nil
        }
    }

    func encode(into w: inout FieldWriter) throws {
        guard let n = ICSessionKey.dataLength(mode: mode), data.count == n else { throw FieldError.invalid("session key data") }
        try w.append(decimal: mode, width: 2)
        w.append(hex: data)
    }

    static func decode(_ r: inout FieldReader) throws -> ICSessionKey {
        let mode = try r.decimal(2, "session key mode")
        guard let n = dataLength(mode: mode) else { throw FieldError.invalid("session key mode") }
        return ICSessionKey(mode: mode, data: try r.hexBytes(2 * n, "session key data"))
    }
}

/// The key part of an IC command: key type 3H, key field, DERIVE (level count 2N, then
/// 32H per level: each level's 16-byte factor), SESSION.
public struct ICKeySpec: Equatable, Sendable {
    public var keyType: KeyType
    public var key: KeyField
    /// One 16-byte factor per derivation level, applied in order.
    public var derivation: [[UInt8]]
    public var session: ICSessionKey
    public init(keyType: KeyType, key: KeyField, derivation: [[UInt8]] = [], session: ICSessionKey = .none) {
        self.keyType = keyType
        self.key = key
        self.derivation = derivation
        self.session = session
    }

    /// Bytes of one derivation factor (32H on the wire).
    public static let factorLength = 16

    func encode(into w: inout FieldWriter) throws {
        w.append(keyType: keyType)
        w.append(key: key)
        try w.append(decimal: derivation.count, width: 2)
        for f in derivation {
            guard f.count == ICKeySpec.factorLength else { throw FieldError.invalid("derivation data") }
            w.append(hex: f)
        }
        try session.encode(into: &w)
    }

    static func decode(_ r: inout FieldReader) throws -> ICKeySpec {
        let t = try r.keyType()
        let k = try r.keyField()
        let n = try r.decimal(2, "derivation level count")
        var d: [[UInt8]] = []
        for _ in 0..<n { d.append(try r.hexBytes(2 * factorLength, "derivation data")) }
        return ICKeySpec(keyType: t, key: k, derivation: d, session: try ICSessionKey.decode(&r))
    }
}

extension ICKeySpec {
    /// IV hex characters for this key when the key field says (16 DES, 32 SM4/AES); nil for
    /// a key at a `K` index (the layout decides).
    var ivHexLength: Int? {
        if case let .encrypted(s, _) = key { return s.algorithm.blockSize * 2 }
        return nil
    }
}

/// `S0` general MAC: MAC mode 2N (01 ISO 9797-1 algorithm 1, 03 algorithm 3), MAC type 2N
/// (output (type mod 10) x 2 hex characters; 0: the whole block, 32H under SM4/AES keys), key type 3H, key, DERIVE, SESSION,
/// padding 2N, data length 4H (bytes), data (binary), IV (16H DES keys, 32H SM4/AES keys;
/// always present).
public struct ICGenerateMACRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("S0")
    public var macMode: Int
    public var macType: Int
    public var key: ICKeySpec
    public var padding: Int
    public var data: [UInt8]
    public var iv: [UInt8]
    public init(macMode: Int, macType: Int, key: ICKeySpec, padding: Int, data: [UInt8], iv: [UInt8]) {
        self.macMode = macMode
        self.macType = macType
        self.key = key
        self.padding = padding
        self.data = data
        self.iv = iv
    }

    /// Bytes of MAC a type asks for under a key of `blockSize`: type mod 10, or the whole
    /// block when that is 0 (`10`: 32H under SM4/AES keys, 16H under DES keys).
    public static func macLength(type: Int, blockSize: Int) -> Int {
        let n = type % 10
        return n == 0 ? blockSize : n
    }

    public func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: macMode, width: 2)
        try w.append(decimal: macType, width: 2)
        try key.encode(into: &w)
        try w.append(decimal: padding, width: 2)
        try w.append(hexNumber: data.count, width: 4)
        w.append(raw: data)
        guard iv.count == 8 || iv.count == 16 else { throw FieldError.invalid("IV") }
        w.append(hex: iv)
    }

    public static func decode(_ r: inout FieldReader) throws -> ICGenerateMACRequest {
        let mode = try r.decimal(2, "MAC mode")
        let type = try r.decimal(2, "MAC type")
        let k = try ICKeySpec.decode(&r)
        let pad = try r.decimal(2, "padding")
        let n = try r.hexNumber(4, "length")
        let d = Array(try r.take(n, "data"))
        // The IV ends the message: its length is the key's block size, or for a key at a
        // `K` index whatever is left (16H or 32H).
        let ivHex = k.ivHexLength ?? r.remaining
        guard ivHex == 16 || ivHex == 32 else { throw FieldError.missing("IV", need: 16, have: r.remaining) }
        return ICGenerateMACRequest(macMode: mode, macType: type, key: k, padding: pad, data: d, iv: try r.hexBytes(ivHex, "IV"))
    }
}

/// `S1`: the MAC (hex), optionally followed by a 16H MAC cryptogram (`evsm` sends none).
public struct ICGenerateMACResponse: HostCommandResponse, Equatable, Sendable {
    public var mac: [UInt8]
    public var macCryptogram: [UInt8]?
    public init(mac: [UInt8], macCryptogram: [UInt8]? = nil) {
        self.mac = mac
        self.macCryptogram = macCryptogram
    }
    public func encode(into w: inout FieldWriter) throws {
        w.append(hex: mac)
        if let c = macCryptogram { w.append(hex: c) }
    }
    /// Decodes with the MAC length known (from the request's MAC type): the MAC, then
    /// nothing or a 16H cryptogram.
    public static func decode(_ r: inout FieldReader, macHexLength: Int) throws -> ICGenerateMACResponse {
        let mac = try r.hexBytes(macHexLength, "MAC")
        var c: [UInt8]?
        if !r.isAtEnd { c = try r.hexBytes(16, "MAC cryptogram") }
        return ICGenerateMACResponse(mac: mac, macCryptogram: c)
    }
    /// Decodes the whole reply as the MAC (2H to 32H).
    public static func decode(_ r: inout FieldReader) throws -> ICGenerateMACResponse {
        let n = r.remaining
        guard n >= 2, n <= 32, n % 2 == 0 else { throw FieldError.invalid("MAC") }
        return ICGenerateMACResponse(mac: try r.hexBytes(n, "MAC"))
    }
}

/// The fields of `S3` (encrypt) and `S4` (decrypt): mode 2N (00 ECB, 01 CBC, 02 CFB,
/// 03 OFB), key type 3H, key, DERIVE, SESSION, padding 2N, data length 4H (bytes), data
/// (binary), [IV 16H/32H: always for CBC (mode 01); for CFB / OFB (02, 03) when given. The
/// vendor's C library sends none with 02/03 (the HSM then refuses them), its Java SDK passes
/// an IV for 01, 02 and 03: the IV, when present, ends the message].
public struct ICCipherFields: Equatable, Sendable {
    public var mode: Int
    public var key: ICKeySpec
    public var padding: Int
    public var data: [UInt8]
    public var iv: [UInt8]?
    public init(mode: Int, key: ICKeySpec, padding: Int, data: [UInt8], iv: [UInt8]? = nil) {
        self.mode = mode
        self.key = key
        self.padding = padding
        self.data = data
        self.iv = iv
    }

    func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: mode, width: 2)
        try key.encode(into: &w)
        try w.append(decimal: padding, width: 2)
        try w.append(hexNumber: data.count, width: 4)
        w.append(raw: data)
        if mode == 1 {
            guard let iv = iv, iv.count == 8 || iv.count == 16 else { throw FieldError.missing("IV", need: 16, have: 0) }
            w.append(hex: iv)
        } else if mode == 2 || mode == 3, let iv = iv {
            guard iv.count == 8 || iv.count == 16 else { throw FieldError.invalid("IV") }
            w.append(hex: iv)
        }
    }

    static func decode(_ r: inout FieldReader) throws -> ICCipherFields {
        let mode = try r.decimal(2, "mode")
        guard mode <= 3 else { throw FieldError.invalid("mode") }
        let k = try ICKeySpec.decode(&r)
        let pad = try r.decimal(2, "padding")
        let n = try r.hexNumber(4, "length")
        let d = Array(try r.take(n, "data"))
        var iv: [UInt8]?
        if mode == 1 || (mode >= 2 && !r.isAtEnd) {
            let ivHex = k.ivHexLength ?? r.remaining
            guard ivHex == 16 || ivHex == 32 else { throw FieldError.missing("IV", need: 16, have: r.remaining) }
            iv = try r.hexBytes(ivHex, "IV")
        }
        return ICCipherFields(mode: mode, key: k, padding: pad, data: d, iv: iv)
    }
}

/// `S3` encrypt data (IC form).
public struct ICEncryptRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("S3")
    public var fields: ICCipherFields
    public init(_ fields: ICCipherFields) { self.fields = fields }
    public func encode(into w: inout FieldWriter) throws { try fields.encode(into: &w) }
    public static func decode(_ r: inout FieldReader) throws -> Self { Self(try ICCipherFields.decode(&r)) }
}

/// `S4` decrypt data (IC form).
public struct ICDecryptRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("S4")
    public var fields: ICCipherFields
    public init(_ fields: ICCipherFields) { self.fields = fields }
    public func encode(into w: inout FieldWriter) throws { try fields.encode(into: &w) }
    public static func decode(_ r: inout FieldReader) throws -> Self { Self(try ICCipherFields.decode(&r)) }
}

/// `S4` / `S5` / `S6`: data length 4H (bytes), data (binary).
public struct ICCipherResponse: HostCommandResponse, Equatable, Sendable {
    public var data: [UInt8]
    public init(data: [UInt8]) { self.data = data }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(hexNumber: data.count, width: 4)
        w.append(raw: data)
    }
    public static func decode(_ r: inout FieldReader) throws -> ICCipherResponse {
        let n = try r.hexNumber(4, "length")
        return ICCipherResponse(data: Array(try r.take(n, "data")))
    }
}

/// One side of `S5`: mode 2N, key type 3H, key, DERIVE, SESSION, padding 2N, [IV 16H/32H
/// for CBC (mode 01) only].
public struct ICCipherSide: Equatable, Sendable {
    public var mode: Int
    public var key: ICKeySpec
    public var padding: Int
    public var iv: [UInt8]?
    public init(mode: Int, key: ICKeySpec, padding: Int, iv: [UInt8]? = nil) {
        self.mode = mode
        self.key = key
        self.padding = padding
        self.iv = iv
    }

    func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: mode, width: 2)
        try key.encode(into: &w)
        try w.append(decimal: padding, width: 2)
        if mode == 1 {
            guard let iv = iv, iv.count == 8 || iv.count == 16 else { throw FieldError.missing("IV", need: 16, have: 0) }
            w.append(hex: iv)
        }
    }

    /// Reads the side up to (not including) its IV; the caller reads the IV.
    static func decodeHead(_ r: inout FieldReader) throws -> ICCipherSide {
        let mode = try r.decimal(2, "mode")
        guard mode <= 3 else { throw FieldError.invalid("mode") }
        let k = try ICKeySpec.decode(&r)
        return ICCipherSide(mode: mode, key: k, padding: try r.decimal(2, "padding"))
    }
}

/// `S5` translate a cryptogram: the source side, the destination side, data length 4H
/// (bytes), data (binary: the cryptogram under the source key).
public struct ICTranslateRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("S5")
    public var source: ICCipherSide
    public var destination: ICCipherSide
    public var data: [UInt8]
    public init(source: ICCipherSide, destination: ICCipherSide, data: [UInt8]) {
        self.source = source
        self.destination = destination
        self.data = data
    }

    public func encode(into w: inout FieldWriter) throws {
        try source.encode(into: &w)
        try destination.encode(into: &w)
        try w.append(hexNumber: data.count, width: 4)
        w.append(raw: data)
    }

    /// An IV in the middle of the message for a key at a `K` index (source side, or a
    /// destination followed by the data) has no length of its own: the decoder takes the
    /// first of 16H, 32H with which the rest of the message decodes exactly.
    public static func decode(_ r: inout FieldReader) throws -> ICTranslateRequest {
        var src = try ICCipherSide.decodeHead(&r)
        var lastError: Error = FieldError.invalid("IV")
        for srcIV in ivCandidates(src) {
            var t = r
            do {
                if srcIV > 0 { src.iv = try t.hexBytes(srcIV, "IV") }
                var dst = try ICCipherSide.decodeHead(&t)
                for dstIV in ivCandidates(dst) {
                    var u = t
                    do {
                        if dstIV > 0 { dst.iv = try u.hexBytes(dstIV, "IV") }
                        let n = try u.hexNumber(4, "length")
                        let d = Array(try u.take(n, "data"))
                        try u.expectEnd()
                        r = u
                        return ICTranslateRequest(source: src, destination: dst, data: d)
                    } catch {
                        lastError = error
                    }
                }
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    static func ivCandidates(_ side: ICCipherSide) -> [Int] {
        if side.mode != 1 { return [0] }
        if let n = side.key.ivHexLength { return [n] }
        return [16, 32]
    }
}
