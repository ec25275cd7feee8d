/// Card and PIN verification values: `CW`/`CY` Visa CVV, `DG` Visa PVV, `DE`/`EA` IBM 3624
/// PIN offset, `JA` random PIN. Request fields as the TASS client library sends them
/// (docs/wire.md, "Card and PIN verification values").

/// The CVK of `CW`/`CY`: one key field (TASS: a double-length key under LMK type `402`, or
/// a `K` index), or payShield's pair of single-length keys CVK A 16H then CVK B 16H.
public enum CVKField: Equatable, Sendable {
    case key(KeyField)
    case pair(a: KeyField, b: KeyField)

    func encode(into w: inout FieldWriter) {
        switch self {
        case let .key(k): w.append(key: k)
        case let .pair(a, b):
            w.append(key: a)
            w.append(key: b)
        }
    }

    /// Reads the CVK. After a bare 16H key, a second 16H key follows when the characters up
    /// to the `;` that ends the PAN are too many for `fixed` characters and a PAN of at most
    /// 19 digits (the PAN has at least 8, so the two forms never overlap).
    static func decode(_ r: inout FieldReader, fixedBeforePAN fixed: Int) throws -> CVKField {
        let first = r.peek()
        let a = try r.keyField("CVK")
        guard case let .encrypted(s, _) = a, s == .singleDES, let f = first, Hex.nibble(f) != nil else { return .key(a) }
        guard let semi = r.bytes.firstIndex(of: UInt8(ascii: ";")) else { return .key(a) }
        let before = semi - r.bytes.startIndex
        guard before >= 16 + fixed + CVVPANField.minLength, let n = r.peek(), Hex.nibble(n) != nil else { return .key(a) }
        return .pair(a: a, b: try r.keyField("CVK B"))
    }
}

/// The full PAN of `CW`/`CY` (8 to 19 digits), ended by `;`.
enum CVVPANField {
    static let minLength = 8
    static let maxLength = 19

    static func decode(_ r: inout FieldReader) throws -> String {
        guard let semi = r.bytes.firstIndex(of: UInt8(ascii: ";")) else { throw FieldError.invalid("PAN delimiter") }
        let n = semi - r.bytes.startIndex
        guard (minLength...maxLength).contains(n) else { throw FieldError.invalid("PAN") }
        let pan = try r.digits(n, "PAN")
        _ = r.skip(UInt8(ascii: ";"))
        return pan
    }

    static func encode(_ pan: String, into w: inout FieldWriter) throws {
        let u = Array(pan.utf8)
        guard (minLength...maxLength).contains(u.count) else { throw FieldError.invalid("PAN") }
        try w.append(digits: pan, width: u.count)
        w.append(byte: UInt8(ascii: ";"))
    }
}

/// `CW` generate a Visa CVV: CVK, full PAN (8..19 digits), `;`, expiry 4N (YYMM), service
/// code 3N. Reply `CX`: CVV 3N.
public struct GenerateCVVRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("CW")
    public var cvk: CVKField
    public var pan: String
    public var expiry: String
    public var serviceCode: String
    public init(cvk: CVKField, pan: String, expiry: String, serviceCode: String) {
        self.cvk = cvk
        self.pan = pan
        self.expiry = expiry
        self.serviceCode = serviceCode
    }
    public func encode(into w: inout FieldWriter) throws {
        cvk.encode(into: &w)
        try CVVPANField.encode(pan, into: &w)
        try w.append(digits: expiry, width: 4)
        try w.append(digits: serviceCode, width: 3)
    }
    public static func decode(_ r: inout FieldReader) throws -> GenerateCVVRequest {
        let k = try CVKField.decode(&r, fixedBeforePAN: 0)
        let pan = try CVVPANField.decode(&r)
        return GenerateCVVRequest(cvk: k, pan: pan, expiry: try r.digits(4, "expiry date"), serviceCode: try r.digits(3, "service code"))
    }
}

/// `CX`: CVV 3N.
public struct GenerateCVVResponse: HostCommandResponse, Equatable, Sendable {
    public var cvv: String
    public init(cvv: String) { self.cvv = cvv }
    public func encode(into w: inout FieldWriter) throws { try w.append(digits: cvv, width: 3) }
    public static func decode(_ r: inout FieldReader) throws -> GenerateCVVResponse {
        GenerateCVVResponse(cvv: try r.digits(3, "CVV"))
    }
}

/// `CY` verify a Visa CVV: CVK, CVV 3N, full PAN, `;`, expiry 4N, service code 3N. The reply
/// has no fields: `00` the CVV matches, `01` it does not.
public struct VerifyCVVRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("CY")
    public var cvk: CVKField
    public var cvv: String
    public var pan: String
    public var expiry: String
    public var serviceCode: String
    public init(cvk: CVKField, cvv: String, pan: String, expiry: String, serviceCode: String) {
        self.cvk = cvk
        self.cvv = cvv
        self.pan = pan
        self.expiry = expiry
        self.serviceCode = serviceCode
    }
    public func encode(into w: inout FieldWriter) throws {
        cvk.encode(into: &w)
        try w.append(digits: cvv, width: 3)
        try CVVPANField.encode(pan, into: &w)
        try w.append(digits: expiry, width: 4)
        try w.append(digits: serviceCode, width: 3)
    }
    public static func decode(_ r: inout FieldReader) throws -> VerifyCVVRequest {
        let k = try CVKField.decode(&r, fixedBeforePAN: 3)
        let cvv = try r.digits(3, "CVV")
        let pan = try CVVPANField.decode(&r)
        return VerifyCVVRequest(cvk: k, cvv: cvv, pan: pan, expiry: try r.digits(4, "expiry date"),
                                serviceCode: try r.digits(3, "service code"))
    }
}

/// `DG` generate a Visa PVV: PVK, PIN under LMK 16H, account 12N, PVKI 1H (`0`..`9`; the
/// TASS library sends 10..15 as `A`..`F`). Reply `DH`: PVV 4N.
public struct GeneratePVVRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("DG")
    public var pvk: KeyField
    public var pinUnderLMK: [UInt8]
    public var account: String
    public var pvki: Int
    public init(pvk: KeyField, pinUnderLMK: [UInt8], account: String, pvki: Int) {
        self.pvk = pvk
        self.pinUnderLMK = pinUnderLMK
        self.account = account
        self.pvki = pvki
    }
    public func encode(into w: inout FieldWriter) throws {
        w.append(key: pvk)
        w.append(hex: pinUnderLMK)
        try w.append(digits: account, width: 12)
        try w.append(hexNumber: pvki, width: 1)
    }
    public static func decode(_ r: inout FieldReader) throws -> GeneratePVVRequest {
        GeneratePVVRequest(pvk: try r.keyField("PVK"), pinUnderLMK: try r.hexBytes(16, "PIN under LMK"),
                           account: try r.digits(12, "account"), pvki: try r.hexNumber(1, "PVKI"))
    }
}

/// `DH`: PVV 4N.
public struct GeneratePVVResponse: HostCommandResponse, Equatable, Sendable {
    public var pvv: String
    public init(pvv: String) { self.pvv = pvv }
    public func encode(into w: inout FieldWriter) throws { try w.append(digits: pvv, width: 4) }
    public static func decode(_ r: inout FieldReader) throws -> GeneratePVVResponse {
        GeneratePVVResponse(pvv: try r.digits(4, "PVV"))
    }
}

/// The IBM 3624 fields shared by `DE` and `EA`: check length 2N, account 12N,
/// decimalisation table 16N, PIN validation data 12A (hex characters and one `N`, which
/// stands for the last 5 digits of the account).
public struct IBMOffsetParameters: Equatable, Sendable {
    public var checkLength: Int
    public var account: String
    public var decimalisationTable: String
    public var validationData: String
    public init(checkLength: Int, account: String, decimalisationTable: String, validationData: String) {
        self.checkLength = checkLength
        self.account = account
        self.decimalisationTable = decimalisationTable
        self.validationData = validationData
    }

    /// Check length then account (the two sit apart in `EA`: see there).
    func encodeTable(into w: inout FieldWriter) throws {
        try w.append(digits: decimalisationTable, width: 16)
        try w.append(raw: Self.validated(Array(validationData.utf8)))
    }

    static func decodeTable(_ r: inout FieldReader) throws -> (String, String) {
        let t = try r.digits(16, "decimalisation table")
        let v = try validated(Array(try r.take(12, "PIN validation data")))
        return (t, String(decoding: v, as: UTF8.self))
    }

    /// 12 characters, each a hex digit or `N`.
    static func validated(_ v: [UInt8]) throws -> [UInt8] {
        guard v.count == 12, v.allSatisfy({ Hex.nibble($0) != nil || $0 == UInt8(ascii: "N") }) else {
            throw FieldError.invalid("PIN validation data")
        }
        return v
    }
}

/// `DE` generate an IBM 3624 PIN offset: PVK, PIN under LMK 16H, check length 2N, account
/// 12N, decimalisation table 16N, PIN validation data 12A. Reply `DF`: offset 12H.
public struct GenerateIBMOffsetRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("DE")
    public var pvk: KeyField
    public var pinUnderLMK: [UInt8]
    public var parameters: IBMOffsetParameters
    public init(pvk: KeyField, pinUnderLMK: [UInt8], parameters: IBMOffsetParameters) {
        self.pvk = pvk
        self.pinUnderLMK = pinUnderLMK
        self.parameters = parameters
    }
    public func encode(into w: inout FieldWriter) throws {
        w.append(key: pvk)
        w.append(hex: pinUnderLMK)
        try w.append(decimal: parameters.checkLength, width: 2)
        try w.append(digits: parameters.account, width: 12)
        try parameters.encodeTable(into: &w)
    }
    public static func decode(_ r: inout FieldReader) throws -> GenerateIBMOffsetRequest {
        let k = try r.keyField("PVK")
        let p = try r.hexBytes(16, "PIN under LMK")
        let c = try r.decimal(2, "check length")
        let a = try r.digits(12, "account")
        let (t, v) = try IBMOffsetParameters.decodeTable(&r)
        return GenerateIBMOffsetRequest(pvk: k, pinUnderLMK: p,
                                        parameters: IBMOffsetParameters(checkLength: c, account: a, decimalisationTable: t, validationData: v))
    }
}

/// `DF`: the offset, 12H: one digit per PIN digit, left-justified, padded with `F`.
public struct IBMOffsetResponse: HostCommandResponse, Equatable, Sendable {
    /// The offset digits (without the `F` padding).
    public var offset: String
    public init(offset: String) { self.offset = offset }
    public func encode(into w: inout FieldWriter) throws { w.append(raw: try IBMOffset.padded(offset)) }
    public static func decode(_ r: inout FieldReader) throws -> IBMOffsetResponse {
        IBMOffsetResponse(offset: try IBMOffset.digits(Array(try r.take(12, "offset"))))
    }
}

/// The 12H offset field: 1...12 digits, then `F` to 12 characters.
public enum IBMOffset {
    public static func padded(_ digits: String) throws -> [UInt8] {
        let u = Array(digits.utf8)
        guard (1...12).contains(u.count), u.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { throw FieldError.invalid("offset") }
        return u + [UInt8](repeating: UInt8(ascii: "F"), count: 12 - u.count)
    }

    /// The digits of a 12H offset field; anything but digits then `F`s is invalid.
    public static func digits(_ field: [UInt8]) throws -> String {
        guard field.count == 12 else { throw FieldError.invalid("offset") }
        let n = field.prefix(while: { $0 >= 0x30 && $0 <= 0x39 }).count
        guard n >= 1, field[n...].allSatisfy({ $0 == UInt8(ascii: "F") || $0 == UInt8(ascii: "f") }) else {
            throw FieldError.invalid("offset")
        }
        return String(decoding: field.prefix(n), as: UTF8.self)
    }
}

/// `EA` verify a PIN block by IBM 3624 offset: ZPK, PVK, maximum PIN length 2N, PIN block
/// 16H/32H, PIN block format 2N, check length 2N, account 12N, decimalisation table 16N,
/// PIN validation data 12A, offset 12H. The reply has no fields: `00` the PIN verifies,
/// `01` it does not.
public struct VerifyPINIBMOffsetRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("EA")
    public var zpk: KeyField
    public var pvk: KeyField
    public var maxPINLength: Int
    public var pinBlock: [UInt8]
    public var format: Int
    public var parameters: IBMOffsetParameters
    /// The offset digits (sent padded with `F` to 12).
    public var offset: String
    public init(zpk: KeyField, pvk: KeyField, maxPINLength: Int = 12, pinBlock: [UInt8], format: Int,
                parameters: IBMOffsetParameters, offset: String) {
        self.zpk = zpk
        self.pvk = pvk
        self.maxPINLength = maxPINLength
        self.pinBlock = pinBlock
        self.format = format
        self.parameters = parameters
        self.offset = offset
    }
    public func encode(into w: inout FieldWriter) throws {
        w.append(key: zpk)
        w.append(key: pvk)
        try w.append(decimal: maxPINLength, width: 2)
        w.append(hex: pinBlock)
        try w.append(decimal: format, width: 2)
        try w.append(decimal: parameters.checkLength, width: 2)
        try w.append(digits: parameters.account, width: 12)
        try parameters.encodeTable(into: &w)
        w.append(raw: try IBMOffset.padded(offset))
    }
    /// Fixed characters after the PIN block: format 2, check length 2, account 12, table 16,
    /// validation data 12, offset 12.
    static let tail = 56
    public static func decode(_ r: inout FieldReader) throws -> VerifyPINIBMOffsetRequest {
        let z = try r.keyField("ZPK")
        let p = try r.keyField("PVK")
        let m = try r.decimal(2, "maximum PIN length")
        let n = r.remaining - tail
        guard n == 16 || n == 32 else { throw n < 16 ? FieldError.missing("PIN block", need: 16, have: max(n, 0)) : FieldError.invalid("PIN block") }
        let b = try r.hexBytes(n, "PIN block")
        let f = try r.decimal(2, "PIN block format")
        let c = try r.decimal(2, "check length")
        let a = try r.digits(12, "account")
        let (t, v) = try IBMOffsetParameters.decodeTable(&r)
        let o = try IBMOffset.digits(Array(try r.take(12, "offset")))
        return VerifyPINIBMOffsetRequest(zpk: z, pvk: p, maxPINLength: m, pinBlock: b, format: f,
                                         parameters: IBMOffsetParameters(checkLength: c, account: a, decimalisationTable: t, validationData: v),
                                         offset: o)
    }
}

/// `JA` generate a random PIN: account 12N, PIN length 2N (4..12). Reply `JB`: the PIN
/// under the LMK, 16H (this project's form, as `BA`; `PINUnderLMKResponse`).
public struct GenerateRandomPINRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("JA")
    public var account: String
    public var pinLength: Int
    public init(account: String, pinLength: Int) {
        self.account = account
        self.pinLength = pinLength
    }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(digits: account, width: 12)
        try w.append(decimal: pinLength, width: 2)
    }
    public static func decode(_ r: inout FieldReader) throws -> GenerateRandomPINRequest {
        GenerateRandomPINRequest(account: try r.digits(12, "account"), pinLength: try r.decimal(2, "PIN length"))
    }
}
