/// PIN block format codes (2N).
public enum PINBlockFormat: Int, Sendable, CaseIterable {
    /// ISO 9564 format 0 (ANSI X9.8).
    case iso0 = 1
    /// Diebold / IBM 3624.
    case ibm3624 = 3
    /// ISO 9564 format 1.
    case iso1 = 5
    /// ISO 9564 format 3.
    case iso3 = 47
}

/// The fields of `CA` and `CC`: source key, destination ZPK, max PIN length 2N, PIN block
/// (16H under DES keys, 32H under SM4/AES keys), source format 2N, destination format 2N,
/// account 12N.
public struct PINTranslation: Equatable, Sendable {
    public var sourceKey: KeyField
    public var destinationKey: KeyField
    public var maxPINLength: Int
    public var pinBlock: [UInt8]
    public var sourceFormat: Int
    public var destinationFormat: Int
    public var account: String
    public init(sourceKey: KeyField, destinationKey: KeyField, maxPINLength: Int, pinBlock: [UInt8],
                sourceFormat: Int, destinationFormat: Int, account: String) {
        self.sourceKey = sourceKey
        self.destinationKey = destinationKey
        self.maxPINLength = maxPINLength
        self.pinBlock = pinBlock
        self.sourceFormat = sourceFormat
        self.destinationFormat = destinationFormat
        self.account = account
    }
    func encode(into w: inout FieldWriter) throws {
        w.append(key: sourceKey)
        w.append(key: destinationKey)
        try w.append(decimal: maxPINLength, width: 2)
        w.append(hex: pinBlock)
        try w.append(decimal: sourceFormat, width: 2)
        try w.append(decimal: destinationFormat, width: 2)
        try w.append(digits: account, width: 12)
    }
    static func decode(_ r: inout FieldReader) throws -> PINTranslation {
        let s = try r.keyField("source key")
        let d = try r.keyField("destination key")
        let m = try r.decimal(2, "maximum PIN length")
        let blockHex = r.remaining - 16
        guard blockHex == 16 || blockHex == 32 else { throw FieldError.invalid("PIN block") }
        let pb = try r.hexBytes(blockHex, "PIN block")
        let sf = try r.decimal(2, "source format")
        let df = try r.decimal(2, "destination format")
        let a = try r.digits(12, "account")
        return PINTranslation(sourceKey: s, destinationKey: d, maxPINLength: m, pinBlock: pb, sourceFormat: sf, destinationFormat: df, account: a)
    }
}

/// `CA` translate a PIN block from a TPK to a ZPK.
public struct TranslatePINFromTPKRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("CA")
    public var fields: PINTranslation
    public init(_ fields: PINTranslation) { self.fields = fields }
    public func encode(into w: inout FieldWriter) throws { try fields.encode(into: &w) }
    public static func decode(_ r: inout FieldReader) throws -> Self { Self(try PINTranslation.decode(&r)) }
}

/// `CC` translate a PIN block from one ZPK to another.
public struct TranslatePINRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("CC")
    public var fields: PINTranslation
    public init(_ fields: PINTranslation) { self.fields = fields }
    public func encode(into w: inout FieldWriter) throws { try fields.encode(into: &w) }
    public static func decode(_ r: inout FieldReader) throws -> Self { Self(try PINTranslation.decode(&r)) }
}

/// `CB` / `CD`: PIN length 2N, PIN block 16H/32H, destination format 2N.
public struct TranslatePINResponse: HostCommandResponse, Equatable, Sendable {
    public var pinLength: Int
    public var pinBlock: [UInt8]
    public var destinationFormat: Int
    public init(pinLength: Int, pinBlock: [UInt8], destinationFormat: Int) {
        self.pinLength = pinLength
        self.pinBlock = pinBlock
        self.destinationFormat = destinationFormat
    }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: pinLength, width: 2)
        w.append(hex: pinBlock)
        try w.append(decimal: destinationFormat, width: 2)
    }
    public static func decode(_ r: inout FieldReader) throws -> TranslatePINResponse {
        let l = try r.decimal(2, "PIN length")
        let n = r.remaining - 2
        guard n == 16 || n == 32 else { throw FieldError.invalid("PIN block") }
        return TranslatePINResponse(pinLength: l, pinBlock: try r.hexBytes(n, "PIN block"), destinationFormat: try r.decimal(2, "format"))
    }
}

/// `JE` PIN block under a ZPK -> PIN under LMK: ZPK, PIN block 16H/32H, format 2N, account 12N.
public struct PINBlockToLMKRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("JE")
    public var zpk: KeyField
    public var pinBlock: [UInt8]
    public var format: Int
    public var account: String
    public init(zpk: KeyField, pinBlock: [UInt8], format: Int, account: String) {
        self.zpk = zpk
        self.pinBlock = pinBlock
        self.format = format
        self.account = account
    }
    public func encode(into w: inout FieldWriter) throws {
        w.append(key: zpk)
        w.append(hex: pinBlock)
        try w.append(decimal: format, width: 2)
        try w.append(digits: account, width: 12)
    }
    public static func decode(_ r: inout FieldReader) throws -> PINBlockToLMKRequest {
        let k = try r.keyField("ZPK")
        let n = r.remaining - 14
        guard n == 16 || n == 32 else { throw FieldError.invalid("PIN block") }
        let pb = try r.hexBytes(n, "PIN block")
        return PINBlockToLMKRequest(zpk: k, pinBlock: pb, format: try r.decimal(2, "format"), account: try r.digits(12, "account"))
    }
}

/// `JF` / `BB`: the PIN under the LMK (16H in this project; see docs/wire.md).
public struct PINUnderLMKResponse: HostCommandResponse, Equatable, Sendable {
    public var pinUnderLMK: [UInt8]
    public init(pinUnderLMK: [UInt8]) { self.pinUnderLMK = pinUnderLMK }
    public func encode(into w: inout FieldWriter) throws { w.append(hex: pinUnderLMK) }
    public static func decode(_ r: inout FieldReader) throws -> PINUnderLMKResponse {
        PINUnderLMKResponse(pinUnderLMK: try r.hexBytes(16, "PIN under LMK"))
    }
}

/// `JG` PIN under LMK -> PIN block under a ZPK: ZPK, format 2N, account 12N, PIN under LMK 16H.
public struct PINFromLMKRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("JG")
    public var zpk: KeyField
    public var format: Int
    public var account: String
    public var pinUnderLMK: [UInt8]
    public init(zpk: KeyField, format: Int, account: String, pinUnderLMK: [UInt8]) {
        self.zpk = zpk
        self.format = format
        self.account = account
        self.pinUnderLMK = pinUnderLMK
    }
    public func encode(into w: inout FieldWriter) throws {
        w.append(key: zpk)
        try w.append(decimal: format, width: 2)
        try w.append(digits: account, width: 12)
        w.append(hex: pinUnderLMK)
    }
    public static func decode(_ r: inout FieldReader) throws -> PINFromLMKRequest {
        PINFromLMKRequest(zpk: try r.keyField("ZPK"), format: try r.decimal(2, "format"),
                          account: try r.digits(12, "account"), pinUnderLMK: try r.hexBytes(16, "PIN under LMK"))
    }
}

/// `JH`: PIN block 16H/32H.
public struct PINBlockResponse: HostCommandResponse, Equatable, Sendable {
    public var pinBlock: [UInt8]
    public init(pinBlock: [UInt8]) { self.pinBlock = pinBlock }
    public func encode(into w: inout FieldWriter) throws { w.append(hex: pinBlock) }
    public static func decode(_ r: inout FieldReader) throws -> PINBlockResponse {
        let n = r.remaining
        guard n == 16 || n == 32 else { throw FieldError.invalid("PIN block") }
        return PINBlockResponse(pinBlock: try r.hexBytes(n, "PIN block"))
    }
}

/// `BA` encrypt a clear PIN: PIN digits padded on the right with `F` (4...12
/// digits plus padding, up to 16 characters), account 12N.
public struct EncryptPINRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("BA")
    /// The PIN digits as sent, padding included.
    public var paddedPIN: String
    public var account: String
    public init(pin: String, account: String, paddedTo length: Int? = nil) {
        var p = pin
        while p.utf8.count < (length ?? pin.utf8.count + 1) { p += "F" }
        self.paddedPIN = p
        self.account = account
    }
    public init(paddedPIN: String, account: String) {
        self.paddedPIN = paddedPIN
        self.account = account
    }
    public func encode(into w: inout FieldWriter) throws {
        w.append(raw: Array(paddedPIN.utf8))
        try w.append(digits: account, width: 12)
    }
    public static func decode(_ r: inout FieldReader) throws -> EncryptPINRequest {
        let n = r.remaining - 12
        guard n >= 1, n <= 16 else { throw FieldError.invalid("PIN") }
        let p = try r.take(n, "PIN")
        guard p.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "F") || $0 == UInt8(ascii: "f") }) else {
            throw FieldError.invalid("PIN")
        }
        return EncryptPINRequest(paddedPIN: String(decoding: p, as: UTF8.self), account: try r.digits(12, "account"))
    }
}

/// `NG` decrypt a PIN under LMK: account 12N, PIN under LMK 16H.
public struct DecryptPINRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("NG")
    public var account: String
    public var pinUnderLMK: [UInt8]
    public init(account: String, pinUnderLMK: [UInt8]) {
        self.account = account
        self.pinUnderLMK = pinUnderLMK
    }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(digits: account, width: 12)
        w.append(hex: pinUnderLMK)
    }
    public static func decode(_ r: inout FieldReader) throws -> DecryptPINRequest {
        DecryptPINRequest(account: try r.digits(12, "account"), pinUnderLMK: try r.hexBytes(16, "PIN under LMK"))
    }
}

/// `NH`: the PIN. TASS sends the PIN digits only (1 to 16 digits, the whole reply). The
/// payShield layout is accepted too: 1 to 12 PIN digits, then one or more `F` (padding to
/// the PIN length field), then nothing or a 12-digit reference number. `pin` holds the PIN
/// digits alone (`pinLength(of:)`); padding and reference number are not kept.
public struct DecryptPINResponse: HostCommandResponse, Equatable, Sendable {
    public var pin: String
    public init(pin: String) { self.pin = pin }
    public func encode(into w: inout FieldWriter) throws { w.append(raw: Array(pin.utf8)) }
    public static func decode(_ r: inout FieldReader) throws -> DecryptPINResponse {
        let p = r.rest()
        guard let n = pinLength(of: p) else { throw FieldError.invalid("PIN (digits, F padding, reference number)") }
        return DecryptPINResponse(pin: String(decoding: p.prefix(n), as: UTF8.self))
    }

    /// The number of PIN digits at the start of an `NH` reply's fields, or nil when they
    /// are in neither layout (see the type).
    public static func pinLength<C: Collection>(of fields: C) -> Int? where C.Element == UInt8 {
        // Walks the caller's bytes (a clear PIN): no copy is made.
        let isDigit = { (b: UInt8) in b >= 0x30 && b <= 0x39 }
        let isPad = { (b: UInt8) in b == UInt8(ascii: "F") || b == UInt8(ascii: "f") }
        var i = fields.startIndex
        var digits = 0
        while i != fields.endIndex, isDigit(fields[i]) { digits += 1; i = fields.index(after: i) }
        if i == fields.endIndex { return (1...16).contains(digits) ? digits : nil }  // TASS: digits only
        guard (1...12).contains(digits) else { return nil }
        var pads = 0
        while i != fields.endIndex, isPad(fields[i]) { pads += 1; i = fields.index(after: i) }
        guard pads > 0 else { return nil }                                          // payShield: F padding
        var reference = 0
        while i != fields.endIndex {
            guard isDigit(fields[i]) else { return nil }
            reference += 1
            i = fields.index(after: i)
        }
        return reference == 0 || reference == 12 ? digits : nil                      // and a reference number
    }
}

/// `TI` translate a PIN block (TASS form): source key kind 1N (1 TPK, 2 ZPK), source key,
/// destination kind 1N, destination key, max PIN length 2N, PIN block 16H/32H, source
/// format 2N, source account 12N, destination format 2N, destination account 12N.
/// Reply `TJ`: the PIN block (16H/32H).
public struct TranslatePINTASSRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("TI")
    public var sourceKind: Int
    public var sourceKey: KeyField
    public var destinationKind: Int
    public var destinationKey: KeyField
    public var maxPINLength: Int
    public var pinBlock: [UInt8]
    public var sourceFormat: Int
    public var sourceAccount: String
    public var destinationFormat: Int
    public var destinationAccount: String
    public init(sourceKind: Int, sourceKey: KeyField, destinationKind: Int, destinationKey: KeyField, maxPINLength: Int,
                pinBlock: [UInt8], sourceFormat: Int, sourceAccount: String, destinationFormat: Int, destinationAccount: String) {
        self.sourceKind = sourceKind
        self.sourceKey = sourceKey
        self.destinationKind = destinationKind
        self.destinationKey = destinationKey
        self.maxPINLength = maxPINLength
        self.pinBlock = pinBlock
        self.sourceFormat = sourceFormat
        self.sourceAccount = sourceAccount
        self.destinationFormat = destinationFormat
        self.destinationAccount = destinationAccount
    }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: sourceKind, width: 1)
        w.append(key: sourceKey)
        try w.append(decimal: destinationKind, width: 1)
        w.append(key: destinationKey)
        try w.append(decimal: maxPINLength, width: 2)
        w.append(hex: pinBlock)
        try w.append(decimal: sourceFormat, width: 2)
        try w.append(digits: sourceAccount, width: 12)
        try w.append(decimal: destinationFormat, width: 2)
        try w.append(digits: destinationAccount, width: 12)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        let sk = try r.decimal(1, "source key kind")
        let s = try r.keyField("source key")
        let dk = try r.decimal(1, "destination key kind")
        let d = try r.keyField("destination key")
        let m = try r.decimal(2, "maximum PIN length")
        let n = r.remaining - 28
        guard n == 16 || n == 32 else { throw FieldError.invalid("PIN block") }
        let pb = try r.hexBytes(n, "PIN block")
        return Self(sourceKind: sk, sourceKey: s, destinationKind: dk, destinationKey: d, maxPINLength: m, pinBlock: pb,
                    sourceFormat: try r.decimal(2, "source format"), sourceAccount: try r.digits(12, "source account"),
                    destinationFormat: try r.decimal(2, "destination format"), destinationAccount: try r.digits(12, "destination account"))
    }
}
