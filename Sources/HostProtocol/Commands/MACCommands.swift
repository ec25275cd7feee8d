/// The fields of `M6` (generate MAC) and `M8` (verify MAC, then the MAC):
/// mode 1N (0 only block, 1 first, 2 middle, 3 last), input format 1N (0 binary, 1 hex,
/// 2 text), MAC size 1N (0 = 8H, 1 = 16H), algorithm 1N (1 ISO 9797-1 alg 1, 3 alg 3),
/// padding 1N (0 none, 1 zeros, 2 `80` then zeros), key type 3H, key, [IV for modes 2/3:
/// 16H under DES keys, 32H under SM4/AES keys], length 4H (characters of the data field as
/// sent), data.
public struct MACFields: Equatable, Sendable {
    public var mode: Int
    public var inputFormat: Int
    public var macSize: Int
    public var algorithm: Int
    public var padding: Int
    public var keyType: KeyType
    public var key: KeyField
    public var iv: [UInt8]?
    /// The data field exactly as sent (hex characters when the input format is 1).
    public var data: [UInt8]
    public init(mode: Int = 0, inputFormat: Int, macSize: Int, algorithm: Int, padding: Int, keyType: KeyType,
                key: KeyField, iv: [UInt8]? = nil, data: [UInt8]) {
        self.mode = mode
        self.inputFormat = inputFormat
        self.macSize = macSize
        self.algorithm = algorithm
        self.padding = padding
        self.keyType = keyType
        self.key = key
        self.iv = iv
        self.data = data
    }
    func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: mode, width: 1)
        try w.append(decimal: inputFormat, width: 1)
        try w.append(decimal: macSize, width: 1)
        try w.append(decimal: algorithm, width: 1)
        try w.append(decimal: padding, width: 1)
        w.append(keyType: keyType)
        w.append(key: key)
        if mode == 2 || mode == 3 {
            guard let iv = iv else { throw FieldError.missing("IV", need: 16, have: 0) }
            w.append(hex: iv)
        }
        try w.append(hexNumber: data.count, width: 4)
        w.append(raw: data)
    }
    static func decode(_ r: inout FieldReader, tails: [Int]) throws -> MACFields {
        let mode = try r.decimal(1, "mode")
        let fmt = try r.decimal(1, "input format")
        let size = try r.decimal(1, "MAC size")
        let alg = try r.decimal(1, "algorithm")
        let pad = try r.decimal(1, "padding")
        guard mode <= 3, fmt <= 2, size <= 1 else { throw FieldError.invalid("mode/format/size") }
        let t = try r.keyType()
        let k = try r.keyField()
        var iv: [UInt8]?
        if mode == 2 || mode == 3 {
            let n = try DataLayout.ivHexLength(key: k, reader: r, tails: tails)
            iv = try r.hexBytes(n, "IV")
        }
        let n = try r.hexNumber(4, "length")
        let d = Array(try r.take(n, "data"))
        return MACFields(mode: mode, inputFormat: fmt, macSize: size, algorithm: alg, padding: pad, keyType: t, key: k, iv: iv, data: d)
    }
}

/// `M6` generate MAC.
public struct GenerateMACRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("M6")
    public var fields: MACFields
    public init(_ fields: MACFields) { self.fields = fields }
    public func encode(into w: inout FieldWriter) throws { try fields.encode(into: &w) }
    public static func decode(_ r: inout FieldReader) throws -> Self { Self(try MACFields.decode(&r, tails: [0])) }
}

/// `M7`: the MAC (8H or 16H), or for modes 1/2 the chaining value (one block, hex) to pass
/// as the IV of the next part.
public struct GenerateMACResponse: HostCommandResponse, Equatable, Sendable {
    public var mac: [UInt8]
    public init(mac: [UInt8]) { self.mac = mac }
    public func encode(into w: inout FieldWriter) throws { w.append(hex: mac) }
    public static func decode(_ r: inout FieldReader) throws -> GenerateMACResponse {
        let n = r.remaining
        guard n == 8 || n == 16 || n == 32 else { throw FieldError.invalid("MAC") }
        return GenerateMACResponse(mac: try r.hexBytes(n, "MAC"))
    }
}

/// `M8` verify MAC: the `M6` fields, then the MAC (8H or 16H by MAC size). The reply has no
/// fields: error `00` = match, `01` = mismatch.
public struct VerifyMACRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("M8")
    public var fields: MACFields
    public var mac: [UInt8]
    public init(_ fields: MACFields, mac: [UInt8]) {
        self.fields = fields
        self.mac = mac
    }
    public func encode(into w: inout FieldWriter) throws {
        try fields.encode(into: &w)
        w.append(hex: mac)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        let f = try MACFields.decode(&r, tails: [8, 16])
        return Self(f, mac: try r.hexBytes(f.macSize == 0 ? 8 : 16, "MAC"))
    }
}
