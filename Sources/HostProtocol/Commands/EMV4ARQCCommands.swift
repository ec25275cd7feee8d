/// `KW` ARQC verification and ARPC generation, EMV 4.x: the card key (option A) and the EMV
/// common session key (Book 2 A1.3.1), ARPC method 1 or method 2. The field order follows the
/// payShield host command manual's public `KW` layout (mode flag 0-4 with 3/4 for method 2,
/// scheme id, MK-AC, PAN/PSN, ATC, UN, transaction data, ARQC, ARC or CSU + PAD); binary
/// fields travel as hex characters like every other command here, and the scheme ids are this
/// project's (docs/wire.md, "KW").

/// `KW` modes (1N).
public enum EMV4ARQCMode: Int, Sendable, CaseIterable {
    /// Verify the ARQC.
    case verify = 0
    /// Verify the ARQC, then generate the ARPC with method 1 (ARC).
    case verifyAndARPCMethod1 = 1
    /// Generate the ARPC with method 1 only.
    case arpcMethod1 = 2
    /// Verify the ARQC, then generate the ARPC with method 2 (CSU, proprietary data).
    case verifyAndARPCMethod2 = 3
    /// Generate the ARPC with method 2 only.
    case arpcMethod2 = 4

    /// The mode carries transaction data and verifies the ARQC.
    public var verifies: Bool { self == .verify || self == .verifyAndARPCMethod1 || self == .verifyAndARPCMethod2 }
    /// The mode carries an ARC (method 1).
    public var method1: Bool { self == .verifyAndARPCMethod1 || self == .arpcMethod1 }
    /// The mode carries a CSU and proprietary authentication data (method 2).
    public var method2: Bool { self == .verifyAndARPCMethod2 || self == .arpcMethod2 }
}

/// `KW` scheme ids (1N): how the 8-byte diversification value R of the AC session key is formed.
public enum EMVSessionKeyScheme: Int, Sendable, CaseIterable {
    /// R = ATC || 00 00 00 00 00 00 (EMV 4.x Book 2 A1.3.1, the AC session key).
    case atc = 0
    /// R = ATC || 00 00 || UN (MasterCard M/Chip 4 form).
    case atcAndUN = 1
    /// R given in the request (16H after the UN).
    case explicitR = 2
}

/// `KW`: mode 1N, scheme 1N, MK-AC, PAN/PSN 16N, ATC 4H, UN 8H, [scheme 2: R 16H],
/// [modes 0/1/3: data length 2H (bytes), data (hex characters), `;`], ARQC 16H,
/// [modes 1/2: ARC 4H], [modes 3/4: CSU 8H, proprietary authentication data length 1H
/// (0...8 bytes), the data (hex characters)].
public struct EMV4ARQCRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("KW")
    /// Most transaction data bytes (the 2H length field).
    public static let maxDataBytes = 255
    /// Most proprietary authentication data bytes.
    public static let maxProprietaryDataBytes = 8
    public var mode: EMV4ARQCMode
    public var scheme: EMVSessionKeyScheme
    public var mdk: KeyField
    public var pan: String
    /// 2 bytes.
    public var atc: [UInt8]
    /// 4 bytes.
    public var un: [UInt8]
    /// 8 bytes with scheme 2, else empty.
    public var r: [UInt8]
    /// Transaction data (modes 0/1/3; empty otherwise).
    public var data: [UInt8]
    /// 8 bytes.
    public var arqc: [UInt8]
    /// 2 bytes (modes 1/2; empty otherwise).
    public var arc: [UInt8]
    /// 4 bytes (modes 3/4; empty otherwise).
    public var csu: [UInt8]
    /// 0...8 bytes (modes 3/4).
    public var proprietaryData: [UInt8]

    public init(mode: EMV4ARQCMode, scheme: EMVSessionKeyScheme, mdk: KeyField, pan: String, atc: [UInt8],
                un: [UInt8] = [0, 0, 0, 0], r: [UInt8] = [], data: [UInt8] = [], arqc: [UInt8], arc: [UInt8] = [],
                csu: [UInt8] = [], proprietaryData: [UInt8] = []) {
        self.mode = mode
        self.scheme = scheme
        self.mdk = mdk
        self.pan = pan
        self.atc = atc
        self.un = un
        self.r = r
        self.data = data
        self.arqc = arqc
        self.arc = arc
        self.csu = csu
        self.proprietaryData = proprietaryData
    }

    public func encode(into w: inout FieldWriter) throws {
        guard atc.count == 2 else { throw FieldError.invalid("ATC") }
        guard un.count == 4 else { throw FieldError.invalid("UN") }
        guard scheme == .explicitR ? r.count == 8 : r.isEmpty else { throw FieldError.invalid("R") }
        guard arqc.count == 8 else { throw FieldError.invalid("ARQC") }
        guard mode.method1 ? arc.count == 2 : arc.isEmpty else { throw FieldError.invalid("ARC") }
        guard mode.method2 ? csu.count == 4 : csu.isEmpty else { throw FieldError.invalid("CSU") }
        guard mode.method2 ? proprietaryData.count <= Self.maxProprietaryDataBytes : proprietaryData.isEmpty else {
            throw FieldError.invalid("proprietary authentication data")
        }
        try w.append(decimal: mode.rawValue, width: 1)
        try w.append(decimal: scheme.rawValue, width: 1)
        w.append(key: mdk)
        try w.append(pan: pan)
        w.append(hex: atc)
        w.append(hex: un)
        if scheme == .explicitR { w.append(hex: r) }
        if mode.verifies {
            guard data.count <= Self.maxDataBytes else { throw FieldError.invalid("data length") }
            try w.append(hexNumber: data.count, width: 2)
            w.append(hex: data)
            w.append(byte: UInt8(ascii: ";"))
        } else {
            guard data.isEmpty else { throw FieldError.invalid("data") }
        }
        w.append(hex: arqc)
        if mode.method1 { w.append(hex: arc) }
        if mode.method2 {
            w.append(hex: csu)
            try w.append(hexNumber: proprietaryData.count, width: 1)
            w.append(hex: proprietaryData)
        }
    }

    public static func decode(_ rd: inout FieldReader) throws -> EMV4ARQCRequest {
        guard let mode = EMV4ARQCMode(rawValue: try rd.decimal(1, "mode")) else { throw FieldError.invalid("mode") }
        guard let scheme = EMVSessionKeyScheme(rawValue: try rd.decimal(1, "scheme id")) else { throw FieldError.invalid("scheme id") }
        let k = try rd.keyField("MK-AC")
        let pan = try rd.digits(16, "PAN")
        let atc = try rd.hexBytes(4, "ATC")
        let un = try rd.hexBytes(8, "UN")
        let r = scheme == .explicitR ? try rd.hexBytes(16, "R") : []
        var data: [UInt8] = []
        if mode.verifies {
            let n = try rd.hexNumber(2, "data length")
            data = try rd.hexBytes(2 * n, "data")
            guard rd.skip(UInt8(ascii: ";")) else {
                throw rd.isAtEnd ? FieldError.missing("delimiter", need: 1, have: 0) : FieldError.invalid("delimiter")
            }
        }
        let arqc = try rd.hexBytes(16, "ARQC")
        let arc = mode.method1 ? try rd.hexBytes(4, "ARC") : []
        var csu: [UInt8] = [], pad: [UInt8] = []
        if mode.method2 {
            csu = try rd.hexBytes(8, "CSU")
            let n = try rd.hexNumber(1, "proprietary data length")
            guard n <= maxProprietaryDataBytes else { throw FieldError.invalid("proprietary data length") }
            pad = try rd.hexBytes(2 * n, "proprietary data")
        }
        return EMV4ARQCRequest(mode: mode, scheme: scheme, mdk: k, pan: pan, atc: atc, un: un, r: r, data: data, arqc: arqc,
                               arc: arc, csu: csu, proprietaryData: pad)
    }
}

/// `KX` (the reply to `KW`): mode 0 no fields; modes 1/2 the ARPC 16H; modes 3/4 the ARPC 8H.
/// With `01` (ARQC mismatch, modes 0/1/3) a 16H diagnostic value instead (docs/wire.md).
public struct EMV4ARQCResponse: HostCommandResponse, Equatable, Sendable {
    /// The ARPC (8 or 4 bytes), the diagnostic value (8 bytes), or nil (mode 0 verified).
    public var value: [UInt8]?
    public init(value: [UInt8]?) { self.value = value }
    public func encode(into w: inout FieldWriter) throws { if let v = value { w.append(hex: v) } }
    public static func decode(_ r: inout FieldReader) throws -> EMV4ARQCResponse {
        switch r.remaining {
        case 0: return EMV4ARQCResponse(value: nil)
        case 8, 16: return EMV4ARQCResponse(value: try r.hexBytes(r.remaining, "ARPC"))
        default: throw FieldError.invalid("ARPC")
        }
    }
}
