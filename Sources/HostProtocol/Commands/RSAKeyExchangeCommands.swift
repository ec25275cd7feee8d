/// Symmetric keys under RSA keys and the public-key MAC: `EO`, `TV`, `TW` (TASS SJJ1310
/// layouts; docs/wire.md, "RSA commands").

extension FieldReader {
    /// DERIVE: levels 2N, then 32H (16 bytes) per level.
    mutating func derivation() throws -> [[UInt8]] {
        let n = try decimal(2, "derivation levels")
        var d: [[UInt8]] = []
        for _ in 0..<n { d.append(try hexBytes(32, "derivation data")) }
        return d
    }
}

extension FieldWriter {
    mutating func append(derivation: [[UInt8]]) throws {
        try append(decimal: derivation.count, width: 2)
        for d in derivation {
            guard d.count == 16 else { throw FieldError.invalid("derivation data") }
            append(hex: d)
        }
    }
}

/// `EO` MAC a public key: algorithm 2N (`01`), DER public key, authentication data (the
/// rest of the message, at most 128 bytes, no `;`).
public struct RSAPublicKeyMACRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("EO")
    public var algorithm: Int
    public var publicKey: [UInt8]
    public var authData: [UInt8]
    public init(algorithm: Int = 1, publicKey: [UInt8], authData: [UInt8] = []) {
        self.algorithm = algorithm
        self.publicKey = publicKey
        self.authData = authData
    }
    public func encode(into w: inout FieldWriter) throws {
        guard authData.count <= 128, !authData.contains(UInt8(ascii: ";")) else { throw FieldError.invalid("authentication data") }
        try w.append(decimal: algorithm, width: 2)
        w.append(raw: publicKey)
        w.append(raw: authData)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        let a = try r.decimal(2, "algorithm")
        let k = try r.derSequence("public key")
        let auth = Array(r.rest())
        guard auth.count <= 128, !auth.contains(UInt8(ascii: ";")) else { throw FieldError.invalid("authentication data") }
        return Self(algorithm: a, publicKey: k, authData: auth)
    }
}

/// `EP` (reply to `EO`): MAC 4B.
public struct RSAPublicKeyMACResponse: HostCommandResponse, Equatable, Sendable {
    public var mac: [UInt8]
    public init(mac: [UInt8]) { self.mac = mac }
    public func encode(into w: inout FieldWriter) throws {
        guard mac.count == 4 else { throw FieldError.invalid("MAC") }
        w.append(raw: mac)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self { Self(mac: Array(try r.take(4, "MAC"))) }
}

/// The RSA public key of `TV`: a pair held inside (`K` index), or `K9999` + DER public key +
/// authentication data + `;` + its `EO` MAC (4B).
public enum RSAAuthenticatedPublicKey: Equatable, Sendable {
    case stored(index: Int)
    case inline(publicKey: [UInt8], authData: [UInt8], mac: [UInt8])
}

/// `TV` export a symmetric key under an RSA public key: padding 2N (`01` PKCS#1 v1.5), key
/// type 3H, key (field), DERIVE, RSA public key.
public struct RSAExportSymmetricKeyRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("TV")
    public var padding: Int
    public var keyType: KeyType
    public var key: KeyField
    public var derivation: [[UInt8]]
    public var publicKey: RSAAuthenticatedPublicKey
    public init(padding: Int = 1, keyType: KeyType, key: KeyField, derivation: [[UInt8]] = [], publicKey: RSAAuthenticatedPublicKey) {
        self.padding = padding
        self.keyType = keyType
        self.key = key
        self.derivation = derivation
        self.publicKey = publicKey
    }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: padding, width: 2)
        w.append(keyType: keyType)
        w.append(key: key)
        try w.append(derivation: derivation)
        w.append(byte: UInt8(ascii: "K"))
        switch publicKey {
        case let .stored(i):
            guard i >= 1, i < RSAKeyReference.inlineIndex else { throw FieldError.invalid("RSA key index") }
            try w.append(decimal: i, width: 4)
        case let .inline(k, auth, mac):
            guard mac.count == 4, auth.count <= 128, !auth.contains(UInt8(ascii: ";")) else { throw FieldError.invalid("public key MAC") }
            try w.append(decimal: RSAKeyReference.inlineIndex, width: 4)
            w.append(raw: k)
            w.append(raw: auth)
            w.append(byte: UInt8(ascii: ";"))
            w.append(raw: mac)
        }
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        let p = try r.decimal(2, "padding")
        let t = try r.keyType()
        let k = try r.keyField("key")
        let d = try r.derivation()
        try r.expect(UInt8(ascii: "K"), "RSA key")
        let i = try r.decimal(4, "RSA key index")
        guard i >= 1 else { throw FieldError.invalid("RSA key index") }
        guard i == RSAKeyReference.inlineIndex else { return Self(padding: p, keyType: t, key: k, derivation: d, publicKey: .stored(index: i)) }
        let der = try r.derSequence("public key")
        var auth: [UInt8] = []
        while let b = r.peek(), b != UInt8(ascii: ";") {
            guard auth.count < 128 else { throw FieldError.invalid("authentication data") }
            auth.append(try r.byte("authentication data"))
        }
        try r.expect(UInt8(ascii: ";"), "delimiter")
        let mac = Array(try r.take(4, "public key MAC"))
        return Self(padding: p, keyType: t, key: k, derivation: d, publicKey: .inline(publicKey: der, authData: auth, mac: mac))
    }
}

/// `TW` (reply to `TV`): cryptogram length 4N, cryptogram, KCV (the rest: 16H, 8H or 6H).
public struct RSAExportSymmetricKeyResponse: HostCommandResponse, Equatable, Sendable {
    public var cryptogram: [UInt8]
    public var checkValue: [UInt8]
    public init(cryptogram: [UInt8], checkValue: [UInt8]) {
        self.cryptogram = cryptogram
        self.checkValue = checkValue
    }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(lengthPrefixed: cryptogram)
        w.append(hex: checkValue)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        Self(cryptogram: try r.lengthPrefixed("cryptogram"), checkValue: try r.trailingCheckValue("KCV"))
    }
}

/// `TW` import a symmetric key from under an RSA public key: padding 2N (`01`), key type
/// 3H, LMK scheme 1A, [`K` index 4N, label length 2N, label], expected KCV 16H (sixteen `0`s:
/// not checked), cryptogram length 4H, cryptogram, RSA private key reference.
public struct RSAImportSymmetricKeyRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("TW")
    public var padding: Int
    public var keyType: KeyType
    public var scheme: KeyScheme
    public var store: StoreTarget?
    public var expectedCheckValue: [UInt8]
    public var cryptogram: [UInt8]
    public var privateKey: RSAKeyReference
    public init(padding: Int = 1, keyType: KeyType, scheme: KeyScheme, store: StoreTarget? = nil,
                expectedCheckValue: [UInt8] = [UInt8](repeating: 0, count: 8), cryptogram: [UInt8], privateKey: RSAKeyReference) {
        self.padding = padding
        self.keyType = keyType
        self.scheme = scheme
        self.store = store
        self.expectedCheckValue = expectedCheckValue
        self.cryptogram = cryptogram
        self.privateKey = privateKey
    }
    public func encode(into w: inout FieldWriter) throws {
        guard expectedCheckValue.count == 8 else { throw FieldError.invalid("KCV") }
        try w.append(decimal: padding, width: 2)
        w.append(keyType: keyType)
        w.append(scheme: scheme)
        try w.append(store: store)
        w.append(hex: expectedCheckValue)
        try w.append(hexNumber: cryptogram.count, width: 4)
        w.append(raw: cryptogram)
        try privateKey.encode(into: &w, privateKey: true)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        let p = try r.decimal(2, "padding")
        let t = try r.keyType()
        let s = try r.keyScheme()
        let st = try r.storeSuffix()
        let kcv = try r.hexBytes(16, "KCV")
        let n = try r.hexNumber(4, "cryptogram length")
        let c = Array(try r.take(n, "cryptogram"))
        return Self(padding: p, keyType: t, scheme: s, store: st, expectedCheckValue: kcv, cryptogram: c,
                    privateKey: try RSAKeyReference.decode(&r, privateKey: true))
    }
}

/// `TX` (reply to `TW`): key under the LMK (field), KCV (the rest: 16H, 8H or 6H).
public struct RSAImportSymmetricKeyResponse: HostCommandResponse, Equatable, Sendable {
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
    public static func decode(_ r: inout FieldReader) throws -> Self {
        Self(key: try r.keyField("key"), checkValue: try r.trailingCheckValue("KCV"))
    }
}
