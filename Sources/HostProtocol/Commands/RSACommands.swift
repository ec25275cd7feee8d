/// RSA commands `EI`, `ER`, `3A`, `3B`, `EW`, `EY` (TASS SJJ1310 layouts; docs/wire.md,
/// "RSA commands").
///
/// - Public keys are binary DER PKCS#1 `RSAPublicKey`; the field's length is the DER
///   header's (`30 LL`, `30 81 LL`, `30 82 HH LL`).
/// - Private keys travel under the LMK as an opaque binary blob with a 4N length.
/// - A key reference is `K` + 4N: an index 0001...9998 of a pair held inside, or `K9999`:
///   "the key travels in this command" (the DER public key, or 4N length + blob, follows).
public enum RSAKeyReference: Equatable, Sendable {
    case stored(index: Int)
    case inline([UInt8])

    /// The index that means "the key follows in the command".
    public static let inlineIndex = 9999

    func encode(into w: inout FieldWriter, privateKey: Bool) throws {
        w.append(byte: UInt8(ascii: "K"))
        switch self {
        case let .stored(i):
            guard i >= 1, i < Self.inlineIndex else { throw FieldError.invalid("RSA key index") }
            try w.append(decimal: i, width: 4)
        case let .inline(v):
            try w.append(decimal: Self.inlineIndex, width: 4)
            if privateKey { try w.append(decimal: v.count, width: 4) }
            w.append(raw: v)
        }
    }

    static func decode(_ r: inout FieldReader, privateKey: Bool) throws -> RSAKeyReference {
        guard r.skip(UInt8(ascii: "K")) else { throw FieldError.invalid("RSA key") }
        let i = try r.decimal(4, "RSA key index")
        guard i >= 1 else { throw FieldError.invalid("RSA key index") }
        guard i == inlineIndex else { return .stored(index: i) }
        if privateKey { return .inline(try r.lengthPrefixed("private key")) }
        return .inline(try r.derSequence("public key"))
    }
}

/// `EI` generate an RSA key pair: key usage 1N (0 sign, 1 key management / encryption,
/// 2 any), modulus bits 4N, public-key encoding 2N (`01` DER), [public exponent length 4N
/// (bits) and exponent (binary; payShield's optional field)], [`K` index 4N, label length
/// 2N, label: also keep inside].
public struct RSAGenerateRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("EI")
    public var usage: Int
    public var modulusBits: Int
    public var encoding: Int
    public var exponent: Int?
    public var store: StoreTarget?
    public init(usage: Int = 2, modulusBits: Int, encoding: Int = 1, exponent: Int? = nil, store: StoreTarget? = nil) {
        self.usage = usage
        self.modulusBits = modulusBits
        self.encoding = encoding
        self.exponent = exponent
        self.store = store
    }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: usage, width: 1)
        try w.append(decimal: modulusBits, width: 4)
        try w.append(decimal: encoding, width: 2)
        if let e = exponent {
            guard e > 0, e < 1 << 32 else { throw FieldError.invalid("public exponent") }
            var bytes: [UInt8] = []
            var v = e
            while v > 0 { bytes.insert(UInt8(v & 0xFF), at: 0); v >>= 8 }
            var bits = 0
            v = e
            while v > 0 { bits += 1; v >>= 1 }
            try w.append(decimal: bits, width: 4)
            w.append(raw: bytes)
        }
        try w.append(store: store)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        let u = try r.decimal(1, "key usage")
        let bits = try r.decimal(4, "modulus bits")
        let enc = try r.decimal(2, "public key encoding")
        var e: Int?
        if let c = r.peek(), c >= 0x30, c <= 0x39 {
            let eb = try r.decimal(4, "public exponent length")
            guard eb >= 1, eb <= 32 else { throw FieldError.invalid("public exponent length") }
            let raw = try r.take((eb + 7) / 8, "public exponent")
            e = raw.reduce(0) { $0 << 8 | Int($1) }
        }
        return Self(usage: u, modulusBits: bits, encoding: enc, exponent: e, store: try r.storeSuffix())
    }
}

/// `EJ` (reply to `EI`): DER public key, private key length 4N, private key under LMK.
public struct RSAGenerateResponse: HostCommandResponse, Equatable, Sendable {
    public var publicKey: [UInt8]
    public var privateKeyUnderLMK: [UInt8]
    public init(publicKey: [UInt8], privateKeyUnderLMK: [UInt8]) {
        self.publicKey = publicKey
        self.privateKeyUnderLMK = privateKeyUnderLMK
    }
    public func encode(into w: inout FieldWriter) throws {
        w.append(raw: publicKey)
        try w.append(lengthPrefixed: privateKeyUnderLMK)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        Self(publicKey: try r.derSequence("public key"), privateKeyUnderLMK: try r.lengthPrefixed("private key"))
    }
}

/// `ER` the public key of a pair held inside: `K` index 4N.
public struct RSAPublicKeyRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("ER")
    public var index: Int
    public init(index: Int) { self.index = index }
    public func encode(into w: inout FieldWriter) throws {
        guard index >= 1, index < RSAKeyReference.inlineIndex else { throw FieldError.invalid("RSA key index") }
        w.append(byte: UInt8(ascii: "K"))
        try w.append(decimal: index, width: 4)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        try r.expect(UInt8(ascii: "K"), "RSA key")
        let i = try r.decimal(4, "RSA key index")
        guard i >= 1 else { throw FieldError.invalid("RSA key index") }
        return Self(index: i)
    }
}

/// `ES` (reply to `ER`): DER public key.
public struct RSAPublicKeyResponse: HostCommandResponse, Equatable, Sendable {
    public var publicKey: [UInt8]
    public init(publicKey: [UInt8]) { self.publicKey = publicKey }
    public func encode(into w: inout FieldWriter) throws { w.append(raw: publicKey) }
    public static func decode(_ r: inout FieldReader) throws -> Self { Self(publicKey: try r.derSequence("public key")) }
}

/// A 4N length and binary data: `3B` (reply to `3A`), `3C` (to `3B`), `EX` (to `EW`).
public struct RSADataResponse: HostCommandResponse, Equatable, Sendable {
    public var data: [UInt8]
    public init(data: [UInt8]) { self.data = data }
    public func encode(into w: inout FieldWriter) throws { try w.append(lengthPrefixed: data) }
    public static func decode(_ r: inout FieldReader) throws -> Self { Self(data: try r.lengthPrefixed("data")) }
}

/// `3A` public-key encrypt: algorithm 2N (`01` RSA), padding 2N (`00` none, `01` PKCS#1
/// v1.5, `02` OAEP), data length 4N, data, `;`, public key reference.
public struct RSAEncryptRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("3A")
    public var algorithm: Int
    public var padding: Int
    public var data: [UInt8]
    public var publicKey: RSAKeyReference
    public init(algorithm: Int = 1, padding: Int, data: [UInt8], publicKey: RSAKeyReference) {
        self.algorithm = algorithm
        self.padding = padding
        self.data = data
        self.publicKey = publicKey
    }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: algorithm, width: 2)
        try w.append(decimal: padding, width: 2)
        try w.append(lengthPrefixed: data)
        w.append(byte: UInt8(ascii: ";"))
        try publicKey.encode(into: &w, privateKey: false)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        let a = try r.decimal(2, "algorithm")
        let p = try r.decimal(2, "padding")
        let d = try r.lengthPrefixed("data")
        try r.expect(UInt8(ascii: ";"), "delimiter")
        return Self(algorithm: a, padding: p, data: d, publicKey: try RSAKeyReference.decode(&r, privateKey: false))
    }
}

/// `3B` private-key decrypt: algorithm 2N, padding 2N, data length 4N, data, `;`, private
/// key reference (`K9999` + 4N length + blob).
public struct RSADecryptRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("3B")
    public var algorithm: Int
    public var padding: Int
    public var data: [UInt8]
    public var privateKey: RSAKeyReference
    public init(algorithm: Int = 1, padding: Int, data: [UInt8], privateKey: RSAKeyReference) {
        self.algorithm = algorithm
        self.padding = padding
        self.data = data
        self.privateKey = privateKey
    }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: algorithm, width: 2)
        try w.append(decimal: padding, width: 2)
        try w.append(lengthPrefixed: data)
        w.append(byte: UInt8(ascii: ";"))
        try privateKey.encode(into: &w, privateKey: true)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        let a = try r.decimal(2, "algorithm")
        let p = try r.decimal(2, "padding")
        let d = try r.lengthPrefixed("data")
        try r.expect(UInt8(ascii: ";"), "delimiter")
        return Self(algorithm: a, padding: p, data: d, privateKey: try RSAKeyReference.decode(&r, privateKey: true))
    }
}

/// `EW` sign: hash 2N (01 SHA-1, 05 SHA-224, 06 SHA-256, 07 SHA-384, 08 SHA-512, 20 SM3),
/// algorithm 2N, padding 2N (`01` PKCS#1 v1.5, `02` PSS), data length 4N, data, `;`,
/// private key reference.
public struct RSASignRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("EW")
    public var hash: Int
    public var algorithm: Int
    public var padding: Int
    public var data: [UInt8]
    public var privateKey: RSAKeyReference
    public init(hash: Int, algorithm: Int = 1, padding: Int = 1, data: [UInt8], privateKey: RSAKeyReference) {
        self.hash = hash
        self.algorithm = algorithm
        self.padding = padding
        self.data = data
        self.privateKey = privateKey
    }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: hash, width: 2)
        try w.append(decimal: algorithm, width: 2)
        try w.append(decimal: padding, width: 2)
        try w.append(lengthPrefixed: data)
        w.append(byte: UInt8(ascii: ";"))
        try privateKey.encode(into: &w, privateKey: true)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        let h = try r.decimal(2, "hash")
        let a = try r.decimal(2, "algorithm")
        let p = try r.decimal(2, "padding")
        let d = try r.lengthPrefixed("data")
        try r.expect(UInt8(ascii: ";"), "delimiter")
        return Self(hash: h, algorithm: a, padding: p, data: d, privateKey: try RSAKeyReference.decode(&r, privateKey: true))
    }
}

/// `EY` verify: hash 2N, algorithm 2N, padding 2N, signature length 4N, signature, `;`,
/// data length 4N, data, `;`, public key reference. Reply `EZ` without fields: `00` valid,
/// `01` invalid.
public struct RSAVerifyRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("EY")
    public var hash: Int
    public var algorithm: Int
    public var padding: Int
    public var signature: [UInt8]
    public var data: [UInt8]
    public var publicKey: RSAKeyReference
    public init(hash: Int, algorithm: Int = 1, padding: Int = 1, signature: [UInt8], data: [UInt8], publicKey: RSAKeyReference) {
        self.hash = hash
        self.algorithm = algorithm
        self.padding = padding
        self.signature = signature
        self.data = data
        self.publicKey = publicKey
    }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: hash, width: 2)
        try w.append(decimal: algorithm, width: 2)
        try w.append(decimal: padding, width: 2)
        try w.append(lengthPrefixed: signature)
        w.append(byte: UInt8(ascii: ";"))
        try w.append(lengthPrefixed: data)
        w.append(byte: UInt8(ascii: ";"))
        try publicKey.encode(into: &w, privateKey: false)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        let h = try r.decimal(2, "hash")
        let a = try r.decimal(2, "algorithm")
        let p = try r.decimal(2, "padding")
        let s = try r.lengthPrefixed("signature")
        try r.expect(UInt8(ascii: ";"), "delimiter")
        let d = try r.lengthPrefixed("data")
        try r.expect(UInt8(ascii: ";"), "delimiter")
        return Self(hash: h, algorithm: a, padding: p, signature: s, data: d, publicKey: try RSAKeyReference.decode(&r, privateKey: false))
    }
}
