/// Layout helpers for fields whose length depends on the key's block size.
public enum DataLayout {
    /// Hex characters of an IV for a key: 16 for DES-family keys, 32 for SM4/AES. For a key
    /// held at a `K` index the length is the one (16 or 32) after which `length 4H`, the
    /// data and one of the allowed tail lengths fill the rest of the message exactly.
    public static func ivHexLength(key: KeyField, reader: FieldReader, tails: [Int]) throws -> Int {
        if case let .encrypted(s, _) = key { return s.algorithm.blockSize * 2 }
        for n in [16, 32] {
            var r = reader
            guard (try? r.take(n)) != nil, let l = try? r.hexNumber(4) else { continue }
            if tails.contains(r.remaining - l) { return n }
        }
        throw FieldError.invalid("IV")
    }
}

/// The fields of `M0` (encrypt) and `M2` (decrypt): mode 2N (00 ECB, 01 CBC), input format
/// 1N (0 binary, 1 hex), output format 1N (0 binary, 1 hex), key type 3H (00A ZEK/DEK,
/// 00B TEK), key, [IV for CBC: 16H under DES keys, 32H under SM4/AES keys], length 4H
/// (characters of the data field as sent), data. No padding: the data must be whole blocks.
public struct DataCipherFields: Equatable, Sendable {
    public var mode: Int
    public var inputFormat: Int
    public var outputFormat: Int
    public var keyType: KeyType
    public var key: KeyField
    public var iv: [UInt8]?
    public var data: [UInt8]
    public init(mode: Int, inputFormat: Int, outputFormat: Int, keyType: KeyType, key: KeyField, iv: [UInt8]? = nil, data: [UInt8]) {
        self.mode = mode
        self.inputFormat = inputFormat
        self.outputFormat = outputFormat
        self.keyType = keyType
        self.key = key
        self.iv = iv
        self.data = data
    }
    func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: mode, width: 2)
        try w.append(decimal: inputFormat, width: 1)
        try w.append(decimal: outputFormat, width: 1)
        w.append(keyType: keyType)
        w.append(key: key)
        if mode == 1 {
            guard let iv = iv else { throw FieldError.missing("IV", need: 16, have: 0) }
            w.append(hex: iv)
        }
        try w.append(hexNumber: data.count, width: 4)
        w.append(raw: data)
    }
    static func decode(_ r: inout FieldReader) throws -> DataCipherFields {
        let mode = try r.decimal(2, "mode")
        let inF = try r.decimal(1, "input format")
        let outF = try r.decimal(1, "output format")
        guard mode <= 1, inF <= 1, outF <= 1 else { throw FieldError.invalid("mode/format") }
        let t = try r.keyType()
        let k = try r.keyField()
        var iv: [UInt8]?
        if mode == 1 { iv = try r.hexBytes(try DataLayout.ivHexLength(key: k, reader: r, tails: [0]), "IV") }
        let n = try r.hexNumber(4, "length")
        return DataCipherFields(mode: mode, inputFormat: inF, outputFormat: outF, keyType: t, key: k, iv: iv, data: Array(try r.take(n, "data")))
    }
}

/// `M0` encrypt data.
public struct EncryptDataRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("M0")
    public var fields: DataCipherFields
    public init(_ fields: DataCipherFields) { self.fields = fields }
    public func encode(into w: inout FieldWriter) throws { try fields.encode(into: &w) }
    public static func decode(_ r: inout FieldReader) throws -> Self { Self(try DataCipherFields.decode(&r)) }
}

/// `M2` decrypt data.
public struct DecryptDataRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("M2")
    public var fields: DataCipherFields
    public init(_ fields: DataCipherFields) { self.fields = fields }
    public func encode(into w: inout FieldWriter) throws { try fields.encode(into: &w) }
    public static func decode(_ r: inout FieldReader) throws -> Self { Self(try DataCipherFields.decode(&r)) }
}

/// `M1` / `M3`: [IV out for CBC: the last cipher block, hex], length 4H (characters of the
/// data as sent), data (binary or hex by the output format).
public struct DataCipherResponse: HostCommandResponse, Equatable, Sendable {
    public var ivOut: [UInt8]?
    public var data: [UInt8]
    public init(ivOut: [UInt8]?, data: [UInt8]) {
        self.ivOut = ivOut
        self.data = data
    }
    public func encode(into w: inout FieldWriter) throws {
        if let iv = ivOut { w.append(hex: iv) }
        try w.append(hexNumber: data.count, width: 4)
        w.append(raw: data)
    }
    /// Decodes with the IV length known (0 for ECB, 16 or 32 hex for CBC).
    public static func decode(_ r: inout FieldReader, ivHexLength: Int) throws -> DataCipherResponse {
        let iv: [UInt8]? = ivHexLength > 0 ? try r.hexBytes(ivHexLength, "IV") : nil
        let n = try r.hexNumber(4, "length")
        return DataCipherResponse(ivOut: iv, data: Array(try r.take(n, "data")))
    }
    /// Decodes choosing the IV length (0, 16 or 32 hex) that makes the reply consistent.
    public static func decode(_ r: inout FieldReader) throws -> DataCipherResponse {
        for n in [0, 16, 32] {
            var t = r
            guard (try? t.take(n)) != nil, let l = try? t.hexNumber(4), t.remaining == l else { continue }
            return try decode(&r, ivHexLength: n)
        }
        throw FieldError.invalid("reply layout")
    }
}
