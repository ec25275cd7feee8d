/// EMV / PBOC card commands (TASS layouts, vendor spec §14.7-§14.10, §14.16, §14.18,
/// §14.19): `K6` ARQC / ARPC, `K2` issuer script encryption, `K4` issuer script MAC, `KX`
/// offline PIN. Common fields: the issuer master key (MDK, type `109`) as a key field,
/// PAN/PSN 16N, ATC 4H; transaction and script data travel as hex characters after a
/// byte-count length (2H for `K6`, 3H for `K2`/`K4`).

/// `K6` modes (1N).
public enum ARQCMode: Int, Sendable, CaseIterable {
    /// Verify the ARQC.
    case verify = 0
    /// Verify the ARQC, then generate the ARPC.
    case verifyAndGenerateARPC = 1
    /// Generate the ARPC only (no transaction data).
    case generateARPC = 2
}

extension FieldWriter {
    /// PAN/PSN 16N.
    mutating func append(pan: String) throws { try append(digits: pan, width: 16) }
}

/// `K6` ARQC / ARPC: mode 1N, MDK, PAN 16N, ATC 4H, then
/// modes 0/1: data length 2H (bytes), data (hex characters), `;`, ARQC 16H, [mode 1: ARC 4H];
/// mode 2: ARQC 16H, ARC 4H.
public struct ARQCRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("K6")
    /// Most transaction data bytes (the 2H length field).
    public static let maxDataBytes = 255
    public var mode: ARQCMode
    public var mdk: KeyField
    public var pan: String
    /// 2 bytes.
    public var atc: [UInt8]
    /// Transaction data (modes 0/1; empty for mode 2).
    public var data: [UInt8]
    /// 8 bytes.
    public var arqc: [UInt8]
    /// 2 bytes (modes 1/2; empty for mode 0).
    public var arc: [UInt8]
    public init(mode: ARQCMode, mdk: KeyField, pan: String, atc: [UInt8], data: [UInt8] = [], arqc: [UInt8], arc: [UInt8] = []) {
        self.mode = mode
        self.mdk = mdk
        self.pan = pan
        self.atc = atc
        self.data = data
        self.arqc = arqc
        self.arc = arc
    }
    public func encode(into w: inout FieldWriter) throws {
        guard atc.count == 2 else { throw FieldError.invalid("ATC") }
        guard arqc.count == 8 else { throw FieldError.invalid("ARQC") }
        guard mode == .verify ? arc.isEmpty : arc.count == 2 else { throw FieldError.invalid("ARC") }
        try w.append(decimal: mode.rawValue, width: 1)
        w.append(key: mdk)
        try w.append(pan: pan)
        w.append(hex: atc)
        if mode != .generateARPC {
            guard data.count <= Self.maxDataBytes else { throw FieldError.invalid("data length") }
            try w.append(hexNumber: data.count, width: 2)
            w.append(hex: data)
            w.append(byte: UInt8(ascii: ";"))
        } else {
            guard data.isEmpty else { throw FieldError.invalid("data") }
        }
        w.append(hex: arqc)
        if mode != .verify { w.append(hex: arc) }
    }
    public static func decode(_ r: inout FieldReader) throws -> ARQCRequest {
        guard let mode = ARQCMode(rawValue: try r.decimal(1, "mode")) else { throw FieldError.invalid("mode") }
        let k = try r.keyField("MDK")
        let pan = try r.digits(16, "PAN")
        let atc = try r.hexBytes(4, "ATC")
        var data: [UInt8] = []
        if mode != .generateARPC {
            let n = try r.hexNumber(2, "data length")
            data = try r.hexBytes(2 * n, "data")
            guard r.skip(UInt8(ascii: ";")) else {
                throw r.isAtEnd ? FieldError.missing("delimiter", need: 1, have: 0) : FieldError.invalid("delimiter")
            }
        }
        let arqc = try r.hexBytes(16, "ARQC")
        let arc = mode == .verify ? [] : try r.hexBytes(4, "ARC")
        return ARQCRequest(mode: mode, mdk: k, pan: pan, atc: atc, data: data, arqc: arqc, arc: arc)
    }
}

/// `K7`: mode 0 no fields; modes 1/2 the ARPC 16H. With `01` (ARQC mismatch, modes 0/1) the
/// reply carries a 16H diagnostic value instead (see docs/wire.md).
public struct ARQCResponse: HostCommandResponse, Equatable, Sendable {
    /// The ARPC, the diagnostic value, or nil (mode 0 verified).
    public var value: [UInt8]?
    public init(value: [UInt8]?) { self.value = value }
    public func encode(into w: inout FieldWriter) throws { if let v = value { w.append(hex: v) } }
    public static func decode(_ r: inout FieldReader) throws -> ARQCResponse {
        ARQCResponse(value: r.isAtEnd ? nil : try r.hexBytes(16, "ARPC"))
    }
}

/// `K2` issuer script encryption and `K4` issuer script MAC: MDK, PAN 16N, ATC 4H, data
/// length 3H (bytes), data (hex characters).
public struct IssuerScriptFields: Equatable, Sendable {
    /// Most script bytes (the 3H length field).
    public static let maxDataBytes = 4095
    public var mdk: KeyField
    public var pan: String
    public var atc: [UInt8]
    public var data: [UInt8]
    public init(mdk: KeyField, pan: String, atc: [UInt8], data: [UInt8]) {
        self.mdk = mdk
        self.pan = pan
        self.atc = atc
        self.data = data
    }
    func encode(into w: inout FieldWriter) throws {
        guard atc.count == 2 else { throw FieldError.invalid("ATC") }
        guard data.count <= Self.maxDataBytes else { throw FieldError.invalid("data length") }
        w.append(key: mdk)
        try w.append(pan: pan)
        w.append(hex: atc)
        try w.append(hexNumber: data.count, width: 3)
        w.append(hex: data)
    }
    static func decode(_ r: inout FieldReader) throws -> IssuerScriptFields {
        let k = try r.keyField("MDK")
        let pan = try r.digits(16, "PAN")
        let atc = try r.hexBytes(4, "ATC")
        let n = try r.hexNumber(3, "data length")
        return IssuerScriptFields(mdk: k, pan: pan, atc: atc, data: try r.hexBytes(2 * n, "data"))
    }
}

/// `K2` issuer script encryption.
public struct EncryptScriptRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("K2")
    public var fields: IssuerScriptFields
    public init(_ fields: IssuerScriptFields) { self.fields = fields }
    public func encode(into w: inout FieldWriter) throws { try fields.encode(into: &w) }
    public static func decode(_ r: inout FieldReader) throws -> Self { Self(try IssuerScriptFields.decode(&r)) }
}

/// `K3`: the cryptogram, hex (the rest of the reply).
public struct EncryptScriptResponse: HostCommandResponse, Equatable, Sendable {
    public var cryptogram: [UInt8]
    public init(cryptogram: [UInt8]) { self.cryptogram = cryptogram }
    public func encode(into w: inout FieldWriter) throws { w.append(hex: cryptogram) }
    public static func decode(_ r: inout FieldReader) throws -> EncryptScriptResponse {
        let n = r.remaining
        guard n > 0, n % 16 == 0 else { throw FieldError.invalid("cryptogram") }
        return EncryptScriptResponse(cryptogram: try r.hexBytes(n, "cryptogram"))
    }
}

/// `K4` issuer script MAC.
public struct ScriptMACRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("K4")
    public var fields: IssuerScriptFields
    public init(_ fields: IssuerScriptFields) { self.fields = fields }
    public func encode(into w: inout FieldWriter) throws { try fields.encode(into: &w) }
    public static func decode(_ r: inout FieldReader) throws -> Self { Self(try IssuerScriptFields.decode(&r)) }
}

/// `K5`: MAC 16H.
public struct ScriptMACResponse: HostCommandResponse, Equatable, Sendable {
    public var mac: [UInt8]
    public init(mac: [UInt8]) { self.mac = mac }
    public func encode(into w: inout FieldWriter) throws { w.append(hex: mac) }
    public static func decode(_ r: inout FieldReader) throws -> ScriptMACResponse {
        ScriptMACResponse(mac: try r.hexBytes(16, "MAC"))
    }
}

/// The PIN of a `KX` request: clear digits (input mode 1), or PIN blocks under a PIN key
/// (mode 2: a ZPK, mode 3: a TPK).
public enum OfflinePINInput: Equatable, Sendable {
    case clear(newPIN: String, oldPIN: String?)
    case encrypted(mode: Int, sourceFormat: Int, newBlock: [UInt8], oldBlock: [UInt8]?, sourceKey: KeyField)
}

/// `KX` EMV offline PIN (scheme 9): scheme 1N `9`, key type 3H (`109`), MDK, PAN 16N, ATC
/// 4H, PIN block format 2N (`41` new PIN, `42` new and old PIN), PIN input mode 1N, then
/// mode 1: new PIN, `;`, [format 42: old PIN, `;`], account 12N;
/// modes 2/3: source PIN block format 2N, new PIN block (16H/32H), [format 42: old PIN
/// block], source key, account 12N.
public struct OfflinePINRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("KX")
    public var scheme: Int
    public var keyType: KeyType
    public var mdk: KeyField
    public var pan: String
    public var atc: [UInt8]
    public var format: Int
    public var input: OfflinePINInput
    public var account: String
    public init(scheme: Int = 9, keyType: KeyType = .mkAC, mdk: KeyField, pan: String, atc: [UInt8], format: Int,
                input: OfflinePINInput, account: String) {
        self.scheme = scheme
        self.keyType = keyType
        self.mdk = mdk
        self.pan = pan
        self.atc = atc
        self.format = format
        self.input = input
        self.account = account
    }
    public func encode(into w: inout FieldWriter) throws {
        guard atc.count == 2 else { throw FieldError.invalid("ATC") }
        try w.append(decimal: scheme, width: 1)
        w.append(keyType: keyType)
        w.append(key: mdk)
        try w.append(pan: pan)
        w.append(hex: atc)
        try w.append(decimal: format, width: 2)
        switch input {
        case let .clear(new, old):
            w.append(byte: UInt8(ascii: "1"))
            try Self.appendPIN(new, into: &w)
            if let o = old { try Self.appendPIN(o, into: &w) }
        case let .encrypted(mode, sf, new, old, key):
            guard mode == 2 || mode == 3 else { throw FieldError.invalid("PIN input mode") }
            guard new.count == 8 || new.count == 16, old.map({ $0.count == new.count }) ?? true else { throw FieldError.invalid("PIN block") }
            try w.append(decimal: mode, width: 1)
            try w.append(decimal: sf, width: 2)
            w.append(hex: new)
            if let o = old { w.append(hex: o) }
            w.append(key: key)
        }
        try w.append(digits: account, width: 12)
    }

    private static func appendPIN(_ pin: String, into w: inout FieldWriter) throws {
        let u = Array(pin.utf8)
        guard (1...12).contains(u.count), u.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { throw FieldError.invalid("PIN") }
        w.append(raw: u)
        w.append(byte: UInt8(ascii: ";"))
    }

    /// Clear PIN digits up to `;` (at most 12).
    private static func readPIN(_ r: inout FieldReader) throws -> String {
        var u: [UInt8] = []
        while let c = r.peek(), c != UInt8(ascii: ";") {
            guard c >= 0x30, c <= 0x39, u.count < 12 else { throw FieldError.invalid("PIN") }
            u.append(try r.byte("PIN"))
        }
        guard r.skip(UInt8(ascii: ";")) else { throw FieldError.missing("PIN delimiter", need: 1, have: 0) }
        return String(decoding: u, as: UTF8.self)
    }

    public static func decode(_ r: inout FieldReader) throws -> OfflinePINRequest {
        let scheme = try r.decimal(1, "scheme")
        let type = try r.keyType()
        let k = try r.keyField("MDK")
        let pan = try r.digits(16, "PAN")
        let atc = try r.hexBytes(4, "ATC")
        let format = try r.decimal(2, "PIN block format")
        let mode = try r.decimal(1, "PIN input mode")
        let input: OfflinePINInput
        switch mode {
        case 1:
            let new = try readPIN(&r)
            input = .clear(newPIN: new, oldPIN: format == 42 ? try readPIN(&r) : nil)
        case 2, 3:
            let sf = try r.decimal(2, "source PIN block format")
            // The block size follows from what is left: [old block] key field, account 12N.
            var found: OfflinePINInput?
            for hexChars in [16, 32] {
                var t = r
                guard let new = try? t.hexBytes(hexChars, "PIN block") else { continue }
                var old: [UInt8]?
                if format == 42 { guard let o = try? t.hexBytes(hexChars, "old PIN block") else { continue }; old = o }
                guard let key = try? t.keyField("source key"), t.remaining == 12 else { continue }
                found = .encrypted(mode: mode, sourceFormat: sf, newBlock: new, oldBlock: old, sourceKey: key)
                r = t
                break
            }
            guard let f = found else { throw FieldError.invalid("PIN block or source key") }
            input = f
        default:
            throw FieldError.invalid("PIN input mode")
        }
        return OfflinePINRequest(scheme: scheme, keyType: type, mdk: k, pan: pan, atc: atc, format: format, input: input,
                                 account: try r.digits(12, "account"))
    }
}

/// `KY`: byte count 4H, cryptogram (hex).
public struct OfflinePINResponse: HostCommandResponse, Equatable, Sendable {
    public var cryptogram: [UInt8]
    public init(cryptogram: [UInt8]) { self.cryptogram = cryptogram }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(hexNumber: cryptogram.count, width: 4)
        w.append(hex: cryptogram)
    }
    public static func decode(_ r: inout FieldReader) throws -> OfflinePINResponse {
        let n = try r.hexNumber(4, "length")
        return OfflinePINResponse(cryptogram: try r.hexBytes(2 * n, "cryptogram"))
    }
}
