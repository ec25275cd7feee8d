/// `A0` generate key: mode 1N (0 generate, 1 also export under a ZMK), key type 3H,
/// LMK scheme 1A, [mode 1: ZMK field, ZMK scheme 1A], [`K` index 4N, label length 2N, label].
public struct GenerateKeyRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("A0")
    public var keyType: KeyType
    public var lmkScheme: KeyScheme
    /// With a ZMK the key is also returned under it (mode 1).
    public var zmk: KeyField?
    public var zmkScheme: KeyScheme?
    public var store: StoreTarget?
    public init(keyType: KeyType, lmkScheme: KeyScheme, zmk: KeyField? = nil, zmkScheme: KeyScheme? = nil, store: StoreTarget? = nil) {
        self.keyType = keyType
        self.lmkScheme = lmkScheme
        self.zmk = zmk
        self.zmkScheme = zmkScheme
        self.store = store
    }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: zmk == nil ? 0 : 1, width: 1)
        w.append(keyType: keyType)
        w.append(scheme: lmkScheme)
        if let z = zmk {
            w.append(key: z)
            w.append(scheme: zmkScheme ?? lmkScheme)
        }
        try w.append(store: store)
    }
    public static func decode(_ r: inout FieldReader) throws -> GenerateKeyRequest {
        let mode = try r.decimal(1, "mode")
        guard mode <= 1 else { throw FieldError.invalid("mode") }
        let t = try r.keyType()
        let s = try r.keyScheme("LMK scheme")
        var z: KeyField?, zs: KeyScheme?
        if mode == 1 {
            z = try r.keyField("ZMK")
            zs = try r.keyScheme("ZMK scheme")
        }
        return GenerateKeyRequest(keyType: t, lmkScheme: s, zmk: z, zmkScheme: zs, store: try r.storeSuffix())
    }
}

/// `A1`: key under LMK, [key under ZMK], KCV (the rest: 16H, or 8H / 6H; `trailingCheckValue`).
public struct GenerateKeyResponse: HostCommandResponse, Equatable, Sendable {
    public var keyUnderLMK: KeyField
    public var keyUnderZMK: KeyField?
    public var checkValue: [UInt8]
    public init(keyUnderLMK: KeyField, keyUnderZMK: KeyField?, checkValue: [UInt8]) {
        self.keyUnderLMK = keyUnderLMK
        self.keyUnderZMK = keyUnderZMK
        self.checkValue = checkValue
    }
    public func encode(into w: inout FieldWriter) throws {
        w.append(key: keyUnderLMK)
        if let z = keyUnderZMK { w.append(key: z) }
        w.append(hex: checkValue)
    }
    public static func decode(_ r: inout FieldReader) throws -> GenerateKeyResponse {
        let k = try r.keyField("key under LMK")
        var z: KeyField?
        // A KCV is at most 16H, so more than 16 characters left means a key under the ZMK first.
        if r.remaining > 16 { z = try r.keyField("key under ZMK", form: .underZMK) }
        return GenerateKeyResponse(keyUnderLMK: k, keyUnderZMK: z, checkValue: try r.trailingCheckValue())
    }
}

/// `A6` import key: key type 3H, ZMK field, key under ZMK field, LMK scheme 1A, [store suffix].
public struct ImportKeyRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("A6")
    public var keyType: KeyType
    public var zmk: KeyField
    public var keyUnderZMK: KeyField
    public var lmkScheme: KeyScheme
    public var store: StoreTarget?
    public init(keyType: KeyType, zmk: KeyField, keyUnderZMK: KeyField, lmkScheme: KeyScheme, store: StoreTarget? = nil) {
        self.keyType = keyType
        self.zmk = zmk
        self.keyUnderZMK = keyUnderZMK
        self.lmkScheme = lmkScheme
        self.store = store
    }
    public func encode(into w: inout FieldWriter) throws {
        w.append(keyType: keyType)
        w.append(key: zmk)
        w.append(key: keyUnderZMK)
        w.append(scheme: lmkScheme)
        try w.append(store: store)
    }
    public static func decode(_ r: inout FieldReader) throws -> ImportKeyRequest {
        let t = try r.keyType()
        let z = try r.keyField("ZMK")
        let k = try r.keyField("key under ZMK", form: .underZMK)
        let s = try r.keyScheme("LMK scheme")
        return ImportKeyRequest(keyType: t, zmk: z, keyUnderZMK: k, lmkScheme: s, store: try r.storeSuffix())
    }
}

/// The form of the key a `KeyAndCheckValueResponse` carries, as a type.
public protocol KeyFieldFormTag: Sendable {
    static var form: KeyFieldForm { get }
}

/// Tag of a reply whose key is under the LMK (`A7`, `A5`).
public enum KeyUnderLMKTag: KeyFieldFormTag { public static let form = KeyFieldForm.underLMK }
/// Tag of a reply whose key is under a ZMK (`A9`: `R`/`L` + 32H).
public enum KeyUnderZMKTag: KeyFieldFormTag { public static let form = KeyFieldForm.underZMK }

/// `A7` / `A5` / `A9` (and `KS` / `KE` / `AO` / `AN` / `SJ` / `TZ`): a key field (under the
/// LMK, or under the ZMK for `A9`), then the KCV (the rest: 16H, 8H or 6H, as received).
public struct KeyAndCheckValueResponse<Form: KeyFieldFormTag>: HostCommandResponse, Equatable, Sendable {
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
    public static func decode(_ r: inout FieldReader) throws -> KeyAndCheckValueResponse {
        KeyAndCheckValueResponse(key: try r.keyField(form: Form.form), checkValue: try r.trailingCheckValue())
    }
}

public typealias ImportKeyResponse = KeyAndCheckValueResponse<KeyUnderLMKTag>
public typealias FormKeyResponse = KeyAndCheckValueResponse<KeyUnderLMKTag>
public typealias ExportKeyResponse = KeyAndCheckValueResponse<KeyUnderZMKTag>

/// `A8` export key: key type 3H, ZMK field, key field (under LMK or `K` index), ZMK scheme 1A.
public struct ExportKeyRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("A8")
    public var keyType: KeyType
    public var zmk: KeyField
    public var key: KeyField
    public var zmkScheme: KeyScheme
    public init(keyType: KeyType, zmk: KeyField, key: KeyField, zmkScheme: KeyScheme) {
        self.keyType = keyType
        self.zmk = zmk
        self.key = key
        self.zmkScheme = zmkScheme
    }
    public func encode(into w: inout FieldWriter) throws {
        w.append(keyType: keyType)
        w.append(key: zmk)
        w.append(key: key)
        w.append(scheme: zmkScheme)
    }
    public static func decode(_ r: inout FieldReader) throws -> ExportKeyRequest {
        ExportKeyRequest(keyType: try r.keyType(), zmk: try r.keyField("ZMK"), key: try r.keyField("key"),
                         zmkScheme: try r.keyScheme("ZMK scheme"))
    }
}

/// `A4` form key from components: count 1N (2..9), key type 3H, LMK scheme 1A, components
/// (each a key field under the LMK of that type).
public struct FormKeyRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("A4")
    public var keyType: KeyType
    public var lmkScheme: KeyScheme
    public var components: [KeyField]
    public init(keyType: KeyType, lmkScheme: KeyScheme, components: [KeyField]) {
        self.keyType = keyType
        self.lmkScheme = lmkScheme
        self.components = components
    }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: components.count, width: 1)
        w.append(keyType: keyType)
        w.append(scheme: lmkScheme)
        for c in components { w.append(key: c) }
    }
    public static func decode(_ r: inout FieldReader) throws -> FormKeyRequest {
        let n = try r.decimal(1, "component count")
        guard n >= 2 else { throw FieldError.invalid("component count") }
        let t = try r.keyType()
        let s = try r.keyScheme("LMK scheme")
        var cs: [KeyField] = []
        for _ in 0..<n { cs.append(try r.keyField("component")) }
        return FormKeyRequest(keyType: t, lmkScheme: s, components: cs)
    }
}

/// `BU` key check value: key type code 2H (an LMK pair code, or `FF` = take the 3H type
/// after `;`), length flag 1N (0 single, 1 double, 2 triple), key field, [`;` key type 3H].
public struct CheckValueRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("BU")
    public var typeCode: UInt8
    public var lengthFlag: Int
    public var key: KeyField
    public var keyType: KeyType?
    public init(typeCode: UInt8, lengthFlag: Int, key: KeyField, keyType: KeyType? = nil) {
        self.typeCode = typeCode
        self.lengthFlag = lengthFlag
        self.key = key
        self.keyType = keyType
    }
    /// The usual form: the 2H code from the type's pair code, the 3H type after `;`.
    public init(keyType: KeyType, key: KeyField) {
        var flag = 1
        if case let .encrypted(s, _) = key { flag = s.keyLength == 8 ? 0 : s.keyLength == 24 ? 2 : 1 }
        self.init(typeCode: 0xFF, lengthFlag: flag, key: key, keyType: keyType)
    }
    /// The key type this request names.
    public var effectiveKeyType: KeyType? {
        if let t = keyType { return t }
        return typeCode == 0xFF ? nil : KeyType(variant: 0, pairCode: typeCode)
    }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(hexNumber: Int(typeCode), width: 2)
        try w.append(decimal: lengthFlag, width: 1)
        w.append(key: key)
        if let t = keyType {
            w.append(byte: UInt8(ascii: ";"))
            w.append(keyType: t)
        }
    }
    public static func decode(_ r: inout FieldReader) throws -> CheckValueRequest {
        let code = UInt8(try r.hexNumber(2, "key type code"))
        let flag = try r.decimal(1, "length flag")
        guard flag <= 2 else { throw FieldError.invalid("length flag") }
        let k = try r.keyField()
        var t: KeyType?
        if r.skip(UInt8(ascii: ";")) { t = try r.keyType() }
        return CheckValueRequest(typeCode: code, lengthFlag: flag, key: k, keyType: t)
    }
}

/// `BV`: the KCV (16H, or 8H / 6H, as received).
public struct CheckValueResponse: HostCommandResponse, Equatable, Sendable {
    public var checkValue: [UInt8]
    public init(checkValue: [UInt8]) { self.checkValue = checkValue }
    public func encode(into w: inout FieldWriter) throws { w.append(hex: checkValue) }
    public static func decode(_ r: inout FieldReader) throws -> CheckValueResponse {
        CheckValueResponse(checkValue: try r.trailingCheckValue())
    }
}
