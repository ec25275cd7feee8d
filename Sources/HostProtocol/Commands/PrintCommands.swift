/// Key printing commands (the vendor's key-mailer functions). The emulator has no printer and
/// answers them with `68` (command not supported); the library sends them to a real HSM.

/// `PA` load the print format: the format data (at most 1024 characters). Reply: the error
/// code only.
public struct LoadPrintFormatRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("PA")
    public static let maxLength = 1024
    public var format: [UInt8]
    public init(format: [UInt8]) { self.format = format }
    public func encode(into w: inout FieldWriter) throws {
        guard format.count <= Self.maxLength else { throw FieldError.invalid("print format") }
        w.append(raw: format)
    }
    public static func decode(_ r: inout FieldReader) throws -> LoadPrintFormatRequest {
        LoadPrintFormatRequest(format: Array(r.rest()))
    }
}

/// A reply without fields (`PB`).
public struct EmptyResponse: HostCommandResponse, Equatable, Sendable {
    public init() {}
    public func encode(into w: inout FieldWriter) throws {}
    public static func decode(_ r: inout FieldReader) throws -> EmptyResponse { EmptyResponse() }
}

/// `A2` generate and print a key component: key type 3H, scheme 1A, print fields (at most
/// 1024 characters). Reply: the component under the LMK, KCV (the rest: 8H as the vendor's
/// parser takes it, 16H or 6H).
public struct PrintComponentRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("A2")
    public var keyType: KeyType
    public var scheme: KeyScheme
    public var printFields: [UInt8]
    public init(keyType: KeyType, scheme: KeyScheme, printFields: [UInt8]) {
        self.keyType = keyType
        self.scheme = scheme
        self.printFields = printFields
    }
    public func encode(into w: inout FieldWriter) throws {
        guard printFields.count <= 1024 else { throw FieldError.invalid("print fields") }
        w.append(keyType: keyType)
        w.append(scheme: scheme)
        w.append(raw: printFields)
    }
    public static func decode(_ r: inout FieldReader) throws -> PrintComponentRequest {
        PrintComponentRequest(keyType: try r.keyType(), scheme: try r.keyScheme(), printFields: Array(r.rest()))
    }
}

/// `A3` generate a random key and print its components: mode 1N; mode 0: key type 3H and
/// scheme 1A, else the component length 1N; KCV algorithm 2N; KCV retrieval mode 2N; print
/// fields. Reply: mode 0 the key under the LMK, else the component (2 x length hex), then the
/// KCV (the rest).
public struct PrintKeyRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("A3")
    public var mode: Int
    public var keyType: KeyType?
    public var scheme: KeyScheme?
    public var componentLength: Int?
    public var checkValueAlgorithm: Int
    public var checkValueMode: Int
    public var printFields: [UInt8]
    public init(mode: Int, keyType: KeyType?, scheme: KeyScheme?, componentLength: Int?, checkValueAlgorithm: Int,
                checkValueMode: Int, printFields: [UInt8]) {
        self.mode = mode
        self.keyType = keyType
        self.scheme = scheme
        self.componentLength = componentLength
        self.checkValueAlgorithm = checkValueAlgorithm
        self.checkValueMode = checkValueMode
        self.printFields = printFields
    }
    public func encode(into w: inout FieldWriter) throws {
        guard printFields.count <= 1024 else { throw FieldError.invalid("print fields") }
        try w.append(decimal: mode, width: 1)
        if mode == 0 {
            guard let t = keyType, let s = scheme else { throw FieldError.invalid("key type") }
            w.append(keyType: t)
            w.append(scheme: s)
        } else {
            try w.append(decimal: componentLength ?? 0, width: 1)
        }
        try w.append(decimal: checkValueAlgorithm, width: 2)
        try w.append(decimal: checkValueMode, width: 2)
        w.append(raw: printFields)
    }
    public static func decode(_ r: inout FieldReader) throws -> PrintKeyRequest {
        let mode = try r.decimal(1, "mode")
        var t: KeyType?, s: KeyScheme?, l: Int?
        if mode == 0 {
            t = try r.keyType()
            s = try r.keyScheme()
        } else {
            l = try r.decimal(1, "component length")
        }
        return PrintKeyRequest(mode: mode, keyType: t, scheme: s, componentLength: l, checkValueAlgorithm: try r.decimal(2, "KCV algorithm"),
                               checkValueMode: try r.decimal(2, "KCV mode"), printFields: Array(r.rest()))
    }
}

/// `A3`/`A4` mode 0 and `A2`/`A3` replies: a key field under the LMK, then the check value
/// (the rest of the reply, hex).
public struct PrintedKeyResponse: HostCommandResponse, Equatable, Sendable {
    public var key: KeyField
    public var checkValue: [UInt8]
    public init(key: KeyField, checkValue: [UInt8]) {
        self.key = key
        self.checkValue = checkValue
    }
    public func encode(into w: inout FieldWriter) throws {
        w.append(key: key)
        w.append(hex: checkValue)
    }
    public static func decode(_ r: inout FieldReader) throws -> PrintedKeyResponse {
        let k = try r.keyField("key under LMK")
        return PrintedKeyResponse(key: k, checkValue: try r.trailingCheckValue())
    }
}

/// `A3` reply for a component (mode not 0): the component as hex (2 x its length), then the
/// check value (the rest: 16H, 8H or 6H). Only the request knows the component's length:
/// `decode(_:componentLength:)`; `decode(_:)` (no request at hand) takes a 16H KCV.
public struct PrintedComponentResponse: HostCommandResponse, Equatable, Sendable {
    public var component: [UInt8]
    public var checkValue: [UInt8]
    public init(component: [UInt8], checkValue: [UInt8]) {
        self.component = component
        self.checkValue = checkValue
    }
    public func encode(into w: inout FieldWriter) throws {
        w.append(hex: component)
        w.append(hex: checkValue)
    }
    public static func decode(_ r: inout FieldReader) throws -> PrintedComponentResponse {
        let rest = r.remaining
        guard rest > 16, rest % 2 == 0 else { throw FieldError.invalid("component") }
        let c = try r.hexBytes(rest - 16, "component")
        return PrintedComponentResponse(component: c, checkValue: try r.hexBytes(16, "check value"))
    }

    /// The reply to a request with `componentLength` (the component is `2 x componentLength`
    /// hex characters), the KCV the rest (`trailingCheckValue`), nothing after it.
    public static func decode(_ r: inout FieldReader, componentLength: Int) throws -> PrintedComponentResponse {
        guard componentLength > 0 else { throw FieldError.invalid("component length") }
        var c = try r.hexBytes(2 * componentLength, "component")
        do {
            let kcv = try r.trailingCheckValue()
            return PrintedComponentResponse(component: c, checkValue: kcv)
        } catch {
            for i in c.indices { c[i] = 0 }
            throw error
        }
    }
}
