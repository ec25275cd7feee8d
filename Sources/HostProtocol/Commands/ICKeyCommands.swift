/// IC-card key family: `KG` stored-key information, `KR` generate (and store), `KD` derive,
/// `SH` export under a protection key, `SI` import from under a protection key, `AN` key
/// type conversion, `AM` form a key from clear components. Request fields are exactly the
/// ones the TASS SJJ1310 client library sends (docs/wire.md, "IC key commands").

/// The DERIVE field: level count 2N, then one factor per level (8 bytes = 16H in `KD`
/// mode 0, 16 bytes = 32H everywhere else).
public struct ICKeyDerive: Equatable, Sendable {
    /// One factor per level, each `factorLength` bytes.
    public var factors: [[UInt8]]
    public init(factors: [[UInt8]] = []) { self.factors = factors }
    public static let empty = ICKeyDerive()

    public func encode(into w: inout FieldWriter, factorLength: Int) throws {
        try w.append(decimal: factors.count, width: 2)
        for f in factors {
            guard f.count == factorLength else { throw FieldError.invalid("derivation factor") }
            w.append(hex: f)
        }
    }

    public static func decode(_ r: inout FieldReader, factorLength: Int) throws -> ICKeyDerive {
        let n = try r.decimal(2, "derivation level count")
        var fs: [[UInt8]] = []
        for _ in 0..<n { fs.append(try r.hexBytes(2 * factorLength, "derivation factor")) }
        return ICKeyDerive(factors: fs)
    }
}

/// The SESSION field: mode 2N, then data (modes 0, 3, 4: none; mode 1: 16H; modes 2, 5: 32H).
public struct ICKeySession: Equatable, Sendable {
    public var mode: Int
    public var data: [UInt8]
    public init(mode: Int = 0, data: [UInt8] = []) {
        self.mode = mode
        self.data = data
    }
    public static let empty = ICKeySession()

    /// Bytes of data mode `m` carries, nil for an unknown mode.
    public static func dataLength(_ m: Int) -> Int? {
        switch m {
        case 0, 3, 4: return 0
        case 1: return 8
        case 2, 5: return 16
        default: return nil
        }
    }

    public func encode(into w: inout FieldWriter) throws {
        guard let n = ICKeySession.dataLength(mode), data.count == n else { throw FieldError.invalid("session key mode/data") }
        try w.append(decimal: mode, width: 2)
        w.append(hex: data)
    }

    public static func decode(_ r: inout FieldReader) throws -> ICKeySession {
        let m = try r.decimal(2, "session key mode")
        guard let n = dataLength(m) else { throw FieldError.invalid("session key mode") }
        return ICKeySession(mode: m, data: try r.hexBytes(2 * n, "session key data"))
    }
}

extension FieldReader {
    /// The SAVED-KEY suffix of this family: `K` index 4N, label length 2N, label; index
    /// 9999 means "not stored" (the TASS library sends `K9999` + `00` for that).
    mutating func icSavedKey() throws -> StoreTarget? { try storeSuffix() }
}

/// `KG` stored-key information: index 4N (no `K`).
public struct ICKeyInfoRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("KG")
    public var index: Int
    public init(index: Int) { self.index = index }
    public func encode(into w: inout FieldWriter) throws {
        guard (1...9999).contains(index) else { throw FieldError.invalid("key index") }
        try w.append(decimal: index, width: 4)
    }
    public static func decode(_ r: inout FieldReader) throws -> ICKeyInfoRequest {
        let i = try r.decimal(4, "key index")
        guard i >= 1 else { throw FieldError.invalid("key index") }
        return ICKeyInfoRequest(index: i)
    }
}

/// `KH`: key type 3H, scheme 1A, KCV 16H, label length 2N, label, time length 2N, time.
public struct ICKeyInfoResponse: HostCommandResponse, Equatable, Sendable {
    public var keyType: KeyType
    public var scheme: KeyScheme
    public var checkValue: [UInt8]
    public var label: String
    /// When the key was stored: `YYYYMMDDhhmmss` (UTC) from `evsm`; a device's own form otherwise.
    public var time: String
    public init(keyType: KeyType, scheme: KeyScheme, checkValue: [UInt8], label: String, time: String) {
        self.keyType = keyType
        self.scheme = scheme
        self.checkValue = checkValue
        self.label = label
        self.time = time
    }
    public func encode(into w: inout FieldWriter) throws {
        w.append(keyType: keyType)
        w.append(scheme: scheme)
        w.append(hex: checkValue)
        for s in [label, time] {
            let u = Array(s.utf8)
            try w.append(decimal: u.count, width: 2)
            w.append(raw: u)
        }
    }
    public static func decode(_ r: inout FieldReader) throws -> ICKeyInfoResponse {
        let t = try r.keyType()
        let s = try r.keyScheme()
        let kcv = try r.hexBytes(16, "check value")
        let ln = try r.decimal(2, "label length")
        let l = String(decoding: try r.take(ln, "label"), as: UTF8.self)
        let tn = try r.decimal(2, "time length")
        let tm = String(decoding: try r.take(tn, "time"), as: UTF8.self)
        return ICKeyInfoResponse(keyType: t, scheme: s, checkValue: kcv, label: l, time: tm)
    }
}

/// `KR` generate a key, optionally stored: key type 3H, scheme 1A, [SAVED-KEY].
public struct ICGenerateKeyRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("KR")
    public var keyType: KeyType
    public var scheme: KeyScheme
    public var store: StoreTarget?
    public init(keyType: KeyType, scheme: KeyScheme, store: StoreTarget? = nil) {
        self.keyType = keyType
        self.scheme = scheme
        self.store = store
    }
    public func encode(into w: inout FieldWriter) throws {
        w.append(keyType: keyType)
        w.append(scheme: scheme)
        try w.append(store: store)
    }
    public static func decode(_ r: inout FieldReader) throws -> ICGenerateKeyRequest {
        ICGenerateKeyRequest(keyType: try r.keyType(), scheme: try r.keyScheme(), store: try r.icSavedKey())
    }
}

/// `KS` / `KE` / `AO` / `AN` / `SJ`: key under LMK, KCV (the rest: 16H, 8H or 6H).
public typealias ICKeyResponse = KeyAndCheckValueResponse<KeyUnderLMKTag>

/// `KD` derive a key: source key type 3H, source KEY, destination key type 3H, destination
/// scheme 1A, mode 1N (0 PBOC: 8-byte factors, 1: 16-byte factors), DERIVE, [SAVED-KEY].
public struct ICDeriveKeyRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("KD")
    public var sourceType: KeyType
    public var source: KeyField
    public var destinationType: KeyType
    public var destinationScheme: KeyScheme
    /// 0: PBOC / EMV option A (8-byte factor F, data F || ~F); 1: 16-byte factor as is.
    public var mode: Int
    public var derivation: ICKeyDerive
    public var store: StoreTarget?
    public init(sourceType: KeyType, source: KeyField, destinationType: KeyType, destinationScheme: KeyScheme,
                mode: Int, derivation: ICKeyDerive, store: StoreTarget? = nil) {
        self.sourceType = sourceType
        self.source = source
        self.destinationType = destinationType
        self.destinationScheme = destinationScheme
        self.mode = mode
        self.derivation = derivation
        self.store = store
    }
    public static func factorLength(mode: Int) -> Int { mode == 0 ? 8 : 16 }
    public func encode(into w: inout FieldWriter) throws {
        guard mode == 0 || mode == 1 else { throw FieldError.invalid("derivation mode") }
        w.append(keyType: sourceType)
        w.append(key: source)
        w.append(keyType: destinationType)
        w.append(scheme: destinationScheme)
        try w.append(decimal: mode, width: 1)
        try derivation.encode(into: &w, factorLength: Self.factorLength(mode: mode))
        try w.append(store: store)
    }
    public static func decode(_ r: inout FieldReader) throws -> ICDeriveKeyRequest {
        let st = try r.keyType("source key type")
        let s = try r.keyField("source key")
        let dt = try r.keyType("destination key type")
        let ds = try r.keyScheme("destination scheme")
        let m = try r.decimal(1, "derivation mode")
        guard m <= 1 else { throw FieldError.invalid("derivation mode") }
        let d = try ICKeyDerive.decode(&r, factorLength: factorLength(mode: m))
        return ICDeriveKeyRequest(sourceType: st, source: s, destinationType: dt, destinationScheme: ds, mode: m,
                                  derivation: d, store: try r.icSavedKey())
    }
}

/// The protection-key part shared by `SH` and `SI`: encryption mode 2N (00 ECB, 01 CBC),
/// protection key type 3H, protection KEY, its DERIVE (32H factors), its SESSION.
public struct ICProtectionKey: Equatable, Sendable {
    public var mode: Int
    public var keyType: KeyType
    public var key: KeyField
    public var derivation: ICKeyDerive
    public var session: ICKeySession
    public init(mode: Int = 0, keyType: KeyType, key: KeyField, derivation: ICKeyDerive = .empty, session: ICKeySession = .empty) {
        self.mode = mode
        self.keyType = keyType
        self.key = key
        self.derivation = derivation
        self.session = session
    }
    public func encode(into w: inout FieldWriter) throws {
        guard mode == 0 || mode == 1 else { throw FieldError.invalid("encryption mode") }
        try w.append(decimal: mode, width: 2)
        w.append(keyType: keyType)
        w.append(key: key)
        try derivation.encode(into: &w, factorLength: 16)
        try session.encode(into: &w)
    }
    public static func decode(_ r: inout FieldReader) throws -> ICProtectionKey {
        let m = try r.decimal(2, "encryption mode")
        guard m <= 1 else { throw FieldError.invalid("encryption mode") }
        let t = try r.keyType("protection key type")
        let k = try r.keyField("protection key")
        let d = try ICKeyDerive.decode(&r, factorLength: 16)
        return ICProtectionKey(mode: m, keyType: t, key: k, derivation: d, session: try ICKeySession.decode(&r))
    }
}

/// The key header of `SH` / `SI`: length 2N (bytes), then the header in hex (at most 32
/// bytes = 64H).
enum ICKeyHeader {
    static let maxBytes = 32
    static func encode(_ h: [UInt8], into w: inout FieldWriter) throws {
        guard h.count <= maxBytes else { throw FieldError.invalid("key header") }
        try w.append(decimal: h.count, width: 2)
        w.append(hex: h)
    }
    static func decode(_ r: inout FieldReader) throws -> [UInt8] {
        let n = try r.decimal(2, "key header length")
        guard n <= maxBytes else { throw FieldError.invalid("key header length") }
        return try r.hexBytes(2 * n, "key header")
    }
}

/// `SH` export a key (optionally derived) under a protection key: the protection-key part,
/// exported key type 3H, exported KEY, its DERIVE (32H factors), key header length 2N, header.
public struct ICExportKeyRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("SH")
    public var protection: ICProtectionKey
    public var keyType: KeyType
    public var key: KeyField
    public var derivation: ICKeyDerive
    public var header: [UInt8]
    public init(protection: ICProtectionKey, keyType: KeyType, key: KeyField, derivation: ICKeyDerive = .empty, header: [UInt8] = []) {
        self.protection = protection
        self.keyType = keyType
        self.key = key
        self.derivation = derivation
        self.header = header
    }
    public func encode(into w: inout FieldWriter) throws {
        try protection.encode(into: &w)
        w.append(keyType: keyType)
        w.append(key: key)
        try derivation.encode(into: &w, factorLength: 16)
        try ICKeyHeader.encode(header, into: &w)
    }
    public static func decode(_ r: inout FieldReader) throws -> ICExportKeyRequest {
        let p = try ICProtectionKey.decode(&r)
        let t = try r.keyType("exported key type")
        let k = try r.keyField("exported key")
        let d = try ICKeyDerive.decode(&r, factorLength: 16)
        return ICExportKeyRequest(protection: p, keyType: t, key: k, derivation: d, header: try ICKeyHeader.decode(&r))
    }
}

/// `SI` (reply to `SH`): byte count 4H, cryptogram (count x 2H), KCV (the rest: 16H, 8H or 6H).
public struct ICExportKeyResponse: HostCommandResponse, Equatable, Sendable {
    public var cryptogram: [UInt8]
    public var checkValue: [UInt8]
    public init(cryptogram: [UInt8], checkValue: [UInt8]) {
        self.cryptogram = cryptogram
        self.checkValue = checkValue
    }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(hexNumber: cryptogram.count, width: 4)
        w.append(hex: cryptogram)
        w.append(hex: checkValue)
    }
    public static func decode(_ r: inout FieldReader) throws -> ICExportKeyResponse {
        let n = try r.hexNumber(4, "cryptogram length")
        let c = try r.hexBytes(2 * n, "cryptogram")
        return ICExportKeyResponse(cryptogram: c, checkValue: try r.trailingCheckValue())
    }
}

/// The optional `P` extension of `SI`: padding 2N, IV (CBC only; one block of the
/// protection key, 16H or 32H), expected KCV 16H.
public struct ICImportExtension: Equatable, Sendable {
    /// 0: none (the plaintext is header || key); 1: ISO 9797-1 method 2 (`80` then zeros) after the key.
    public var padding: Int
    public var iv: [UInt8]?
    public var checkValue: [UInt8]
    public init(padding: Int, iv: [UInt8]? = nil, checkValue: [UInt8]) {
        self.padding = padding
        self.iv = iv
        self.checkValue = checkValue
    }
}

/// `SI` import a key from under a protection key: the protection-key part, imported key
/// type 3H, scheme 1A, cryptogram length 4H (bytes), cryptogram, [SAVED-KEY], key header
/// length 2N + header, [`P` padding 2N, IV (CBC), expected KCV 16H].
public struct ICImportKeyRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("SI")
    public var protection: ICProtectionKey
    public var keyType: KeyType
    public var scheme: KeyScheme
    public var cryptogram: [UInt8]
    public var store: StoreTarget?
    public var header: [UInt8]
    public var importExtension: ICImportExtension?
    public init(protection: ICProtectionKey, keyType: KeyType, scheme: KeyScheme, cryptogram: [UInt8],
                store: StoreTarget? = nil, header: [UInt8] = [], extension ext: ICImportExtension? = nil) {
        self.protection = protection
        self.keyType = keyType
        self.scheme = scheme
        self.cryptogram = cryptogram
        self.store = store
        self.header = header
        self.importExtension = ext
    }
    public func encode(into w: inout FieldWriter) throws {
        try protection.encode(into: &w)
        w.append(keyType: keyType)
        w.append(scheme: scheme)
        try w.append(hexNumber: cryptogram.count, width: 4)
        w.append(hex: cryptogram)
        try w.append(store: store)
        try ICKeyHeader.encode(header, into: &w)
        if let e = importExtension {
            guard e.checkValue.count == 8, (e.iv != nil) == (protection.mode == 1) else { throw FieldError.invalid("import extension") }
            w.append(byte: UInt8(ascii: "P"))
            try w.append(decimal: e.padding, width: 2)
            if let iv = e.iv {
                guard iv.count == 8 || iv.count == 16 else { throw FieldError.invalid("IV") }
                w.append(hex: iv)
            }
            w.append(hex: e.checkValue)
        }
    }
    public static func decode(_ r: inout FieldReader) throws -> ICImportKeyRequest {
        let p = try ICProtectionKey.decode(&r)
        let t = try r.keyType("imported key type")
        let s = try r.keyScheme("imported key scheme")
        let n = try r.hexNumber(4, "cryptogram length")
        let c = try r.hexBytes(2 * n, "cryptogram")
        let store = try r.icSavedKey()
        let h = try ICKeyHeader.decode(&r)
        var ext: ICImportExtension?
        if r.skip(UInt8(ascii: "P")) {
            let pad = try r.decimal(2, "padding")
            var iv: [UInt8]?
            if p.mode == 1 {
                let ivHex = r.remaining - 16
                guard ivHex == 16 || ivHex == 32 else { throw FieldError.missing("IV", need: 16, have: max(0, ivHex)) }
                iv = try r.hexBytes(ivHex, "IV")
            }
            ext = ICImportExtension(padding: pad, iv: iv, checkValue: try r.hexBytes(16, "expected check value"))
        }
        return ICImportKeyRequest(protection: p, keyType: t, scheme: s, cryptogram: c, store: store, header: h, extension: ext)
    }
}

/// `AN` key type conversion: source key type 3H, source KEY, destination key type 3H,
/// destination scheme 1A. Reply `AO`: key under LMK, KCV 16H.
public struct KeyTypeConversionRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("AN")
    public var sourceType: KeyType
    public var source: KeyField
    public var destinationType: KeyType
    public var destinationScheme: KeyScheme
    public init(sourceType: KeyType, source: KeyField, destinationType: KeyType, destinationScheme: KeyScheme) {
        self.sourceType = sourceType
        self.source = source
        self.destinationType = destinationType
        self.destinationScheme = destinationScheme
    }
    public func encode(into w: inout FieldWriter) throws {
        w.append(keyType: sourceType)
        w.append(key: source)
        w.append(keyType: destinationType)
        w.append(scheme: destinationScheme)
    }
    public static func decode(_ r: inout FieldReader) throws -> KeyTypeConversionRequest {
        KeyTypeConversionRequest(sourceType: try r.keyType("source key type"), source: try r.keyField("source key"),
                                 destinationType: try r.keyType("destination key type"),
                                 destinationScheme: try r.keyScheme("destination scheme"))
    }
}

/// `AM` form a key from clear components: key type 3H, scheme 1A, composition mode 2N
/// (`00` = XOR), component count 2N, the clear components (16H / 32H / 48H each, by the
/// scheme's key length), [SAVED-KEY]. Reply `AN`: key under LMK, KCV 16H.
///
/// The components are clear key material: callers zero them (`wipe()`) when done.
public struct ClearComponentsKeyRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("AM")
    public var keyType: KeyType
    public var scheme: KeyScheme
    public var mode: Int
    public var components: [[UInt8]]
    public var store: StoreTarget?
    public init(keyType: KeyType, scheme: KeyScheme, mode: Int = 0, components: [[UInt8]], store: StoreTarget? = nil) {
        self.keyType = keyType
        self.scheme = scheme
        self.mode = mode
        self.components = components
        self.store = store
    }
    public func encode(into w: inout FieldWriter) throws {
        w.append(keyType: keyType)
        w.append(scheme: scheme)
        try w.append(decimal: mode, width: 2)
        try w.append(decimal: components.count, width: 2)
        for c in components {
            guard c.count == scheme.keyLength else { throw FieldError.invalid("component length") }
            w.append(hex: c)
        }
        try w.append(store: store)
    }
    public static func decode(_ r: inout FieldReader) throws -> ClearComponentsKeyRequest {
        let t = try r.keyType()
        let s = try r.keyScheme()
        let m = try r.decimal(2, "composition mode")
        let n = try r.decimal(2, "component count")
        var cs: [[UInt8]] = []
        for _ in 0..<n { cs.append(try r.hexBytes(2 * s.keyLength, "component")) }
        return ClearComponentsKeyRequest(keyType: t, scheme: s, mode: m, components: cs, store: try r.icSavedKey())
    }
}
