/// SM2 commands in the TASS SJJ1310 layouts (docs/wire.md, "SM2 commands"): `E7` generate,
/// `E1` load, `E2` public key, `E3` encrypt, `E4` decrypt, `E5` sign, `E6` verify, `TT`
/// export the private key under a transport key, `TU` import it.
///
/// - The curve field is always `07` (the SM2 256-bit curve); anything else is refused.
/// - Public keys travel as DER SubjectPublicKeyInfo (91 bytes, `SM2PublicKeyDER`), binary,
///   with no length prefix: the DER header gives the length.
/// - Private keys travel as the HSM's blob under the LMK, binary, with a 4N length prefix.
/// - A key reference is `K` + 4N; `K9999` means the key travels in the command after it.

/// The API-level form of an SM2 key argument (typed calls): a pair held at an index
/// (1...9998), or key material (a private key blob, or a 64-byte X || Y public key).
public enum SM2KeyField: Equatable, Sendable {
    case stored(index: Int)
    case value([UInt8])
}

/// The DER SubjectPublicKeyInfo of an SM2 public key: a fixed 26-byte prefix
/// (id-ecPublicKey, the SM2 curve OID 1.2.156.10197.1.301, BIT STRING of 66 bytes), then
/// `04` || X || Y.
public enum SM2PublicKeyDER {
    public static let prefix: [UInt8] = [
        0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01,
        0x06, 0x08, 0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x01, 0x82, 0x2D, 0x03, 0x42, 0x00,
    ]
    public static let length = 91

    /// 91-byte DER of a 64-byte X || Y (or 65-byte `04` || X || Y); nil for another size.
    public static func encode(_ point: [UInt8]) -> [UInt8]? {
        if point.count == 64 { return prefix + [0x04] + point }
        if point.count == 65, point[0] == 0x04 { return prefix + point }
        return nil
    }

    /// X || Y (64 bytes) of a DER SM2 SubjectPublicKeyInfo; nil when it is not exactly one.
    public static func point(_ der: [UInt8]) -> [UInt8]? {
        guard der.count == length, der.starts(with: prefix), der[prefix.count] == 0x04 else { return nil }
        return Array(der[(prefix.count + 1)...])
    }

    /// The total length of a DER SEQUENCE from its first bytes (the vendor's rule: `30 LL`
    /// short form, `30 81 LL`, `30 82 HH LL`); nil when they are not a SEQUENCE header.
    public static func sequenceLength<C: Collection>(_ head: C) -> Int? where C.Element == UInt8 {
        let h = Array(head.prefix(4))
        guard h.count >= 2, h[0] == 0x30 else { return nil }
        if h[1] < 0x80 { return Int(h[1]) + 2 }
        // DER's shortest form only: 81 for 128...255, 82 for 256...65535.
        if h[1] == 0x81, h.count >= 3, h[2] >= 0x80 { return Int(h[2]) + 3 }
        if h[1] == 0x82, h.count >= 4, h[2] != 0 { return Int(h[2]) << 8 + Int(h[3]) + 4 }
        return nil
    }
}

extension FieldReader {
    /// A DER SEQUENCE (binary, length from its header). Not a SEQUENCE: `invalid` (`15`).
    public mutating func derSequence(_ name: StaticString = "DER") throws -> [UInt8] {
        guard let n = SM2PublicKeyDER.sequenceLength(bytes) else {
            if bytes.isEmpty { throw FieldError.missing(String(describing: name), need: 2, have: 0) }
            throw FieldError.invalid(String(describing: name))
        }
        return Array(try take(n, name))
    }

    /// A 4N length then that many bytes (SM2 and RSA fields).
    public mutating func lengthPrefixed(_ name: StaticString = "data") throws -> [UInt8] {
        let n = try decimal(4, name)
        return Array(try take(n, name))
    }

    /// The curve field `07`.
    mutating func sm2Curve() throws {
        guard try decimal(2, "curve") == 7 else { throw FieldError.invalid("curve") }
    }

    mutating func expect(_ c: UInt8, _ name: StaticString) throws {
        guard skip(c) else {
            if isAtEnd { throw FieldError.missing(String(describing: name), need: 1, have: 0) }
            throw FieldError.invalid(String(describing: name))
        }
    }

    /// `K` (when `withK`) + 4N index; 0 is refused.
    mutating func sm2Index(withK: Bool) throws -> Int {
        if withK { try expect(UInt8(ascii: "K"), "key index") }
        let i = try decimal(4, "key index")
        guard i >= 1 else { throw FieldError.invalid("key index") }
        return i
    }
}

extension FieldWriter {
    mutating func append(lengthPrefixed d: [UInt8]) throws {
        try append(decimal: d.count, width: 4)
        append(raw: d)
    }

    mutating func appendSM2Curve() { append(ascii: "07") }

    mutating func append(sm2Index i: Int, withK: Bool) throws {
        if withK { append(byte: UInt8(ascii: "K")) }
        try append(decimal: i, width: 4)
    }
}

/// The index that means "the key travels in the command".
public let sm2CarriedIndex = 9999

/// A public-key reference (`E3`, `E6`): `K` + index, or `K9999` + DER public key.
public enum SM2PublicKeyRef: Equatable, Sendable {
    case stored(index: Int)
    case carried(der: [UInt8])

    func encode(into w: inout FieldWriter) throws {
        switch self {
        case let .stored(i): try w.append(sm2Index: i, withK: true)
        case let .carried(der):
            try w.append(sm2Index: sm2CarriedIndex, withK: true)
            w.append(raw: der)
        }
    }

    static func decode(_ r: inout FieldReader) throws -> Self {
        let i = try r.sm2Index(withK: true)
        return i == sm2CarriedIndex ? .carried(der: try r.derSequence("DER public key")) : .stored(index: i)
    }
}

/// A private-key reference (`E4`, and `E2` as an evsm extension): `K` + index, or `K9999`
/// + 4N length + private key under the LMK.
public enum SM2PrivateKeyRef: Equatable, Sendable {
    case stored(index: Int)
    case carried(privateKey: [UInt8])

    func encode(into w: inout FieldWriter) throws {
        switch self {
        case let .stored(i): try w.append(sm2Index: i, withK: true)
        case let .carried(k):
            try w.append(sm2Index: sm2CarriedIndex, withK: true)
            try w.append(lengthPrefixed: k)
        }
    }

    static func decode(_ r: inout FieldReader) throws -> Self {
        let i = try r.sm2Index(withK: true)
        return i == sm2CarriedIndex ? .carried(privateKey: try r.lengthPrefixed("private key")) : .stored(index: i)
    }
}

/// A key-pair reference (`E5` with `K`, `TT` without): index, or 9999 + DER public key +
/// 4N length + private key under the LMK.
public enum SM2KeyPairRef: Equatable, Sendable {
    case stored(index: Int)
    case carried(der: [UInt8], privateKey: [UInt8])

    func encode(into w: inout FieldWriter, withK: Bool) throws {
        switch self {
        case let .stored(i): try w.append(sm2Index: i, withK: withK)
        case let .carried(der, k):
            try w.append(sm2Index: sm2CarriedIndex, withK: withK)
            w.append(raw: der)
            try w.append(lengthPrefixed: k)
        }
    }

    static func decode(_ r: inout FieldReader, withK: Bool) throws -> Self {
        let i = try r.sm2Index(withK: withK)
        guard i == sm2CarriedIndex else { return .stored(index: i) }
        let der = try r.derSequence("DER public key")
        return .carried(der: der, privateKey: try r.lengthPrefixed("private key"))
    }
}

/// `E7` generate an SM2 key pair: curve `07`, [`K` index 4N, label length 2N, label: also
/// keep it inside; `K9999` = not stored].
public struct SM2GenerateRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("E7")
    public var store: StoreTarget?
    public init(store: StoreTarget? = nil) { self.store = store }
    /// Whether the request stores a key (a suffix with an index other than 9999).
    public var stores: Bool { store.map { $0.index != sm2CarriedIndex } ?? false }
    public func encode(into w: inout FieldWriter) throws {
        w.appendSM2Curve()
        try w.append(store: store)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        try r.sm2Curve()
        return Self(store: try r.storeSuffix())
    }
}

/// `E8` (reply to `E7`): DER public key, private key under the LMK (4N length + bytes).
public struct SM2GenerateResponse: HostCommandResponse, Equatable, Sendable {
    public var publicKeyDER: [UInt8]
    public var privateKeyUnderLMK: [UInt8]
    public init(publicKeyDER: [UInt8], privateKeyUnderLMK: [UInt8]) {
        self.publicKeyDER = publicKeyDER
        self.privateKeyUnderLMK = privateKeyUnderLMK
    }
    public func encode(into w: inout FieldWriter) throws {
        w.append(raw: publicKeyDER)
        try w.append(lengthPrefixed: privateKeyUnderLMK)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        let der = try r.derSequence("DER public key")
        return Self(publicKeyDER: der, privateKeyUnderLMK: try r.lengthPrefixed("private key"))
    }
}

/// `E1` load a key pair into the HSM: curve `07`, DER public key, private key under the
/// LMK (4N + bytes), index 4N (no `K`), label length 2N, label. Reply `E2` without fields.
public struct SM2LoadRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("E1")
    public var publicKeyDER: [UInt8]
    public var privateKeyUnderLMK: [UInt8]
    public var store: StoreTarget
    public init(publicKeyDER: [UInt8], privateKeyUnderLMK: [UInt8], store: StoreTarget) {
        self.publicKeyDER = publicKeyDER
        self.privateKeyUnderLMK = privateKeyUnderLMK
        self.store = store
    }
    public func encode(into w: inout FieldWriter) throws {
        w.appendSM2Curve()
        w.append(raw: publicKeyDER)
        try w.append(lengthPrefixed: privateKeyUnderLMK)
        try w.append(decimal: store.index, width: 4)
        let l = Array(store.label.utf8)
        try w.append(decimal: l.count, width: 2)
        w.append(raw: l)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        try r.sm2Curve()
        let der = try r.derSequence("DER public key")
        let k = try r.lengthPrefixed("private key")
        let i = try r.sm2Index(withK: false)
        let n = try r.decimal(2, "label length")
        let label = try r.take(n, "label")
        guard label.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { throw FieldError.invalid("label") }
        return Self(publicKeyDER: der, privateKeyUnderLMK: k,
                    store: StoreTarget(index: i, label: String(decoding: label, as: UTF8.self)))
    }
}

/// A reply without fields (`E2` to `E1`).
public struct SM2EmptyResponse: HostCommandResponse, Equatable, Sendable {
    public init() {}
    public func encode(into w: inout FieldWriter) throws {}
    public static func decode(_ r: inout FieldReader) throws -> Self { Self() }
}

/// `E2` the public key of a pair held inside: `K` + 4N. (evsm extension, not in the vendor
/// layout: `K9999` + 4N length + private key under the LMK gives the public key of a blob.)
public struct SM2PublicKeyRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("E2")
    public var privateKey: SM2PrivateKeyRef
    public init(privateKey: SM2PrivateKeyRef) { self.privateKey = privateKey }
    public func encode(into w: inout FieldWriter) throws { try privateKey.encode(into: &w) }
    public static func decode(_ r: inout FieldReader) throws -> Self { Self(privateKey: try SM2PrivateKeyRef.decode(&r)) }
}

/// `E3` (reply to `E2`): DER public key.
public struct SM2PublicKeyResponse: HostCommandResponse, Equatable, Sendable {
    public var publicKeyDER: [UInt8]
    public init(publicKeyDER: [UInt8]) { self.publicKeyDER = publicKeyDER }
    public func encode(into w: inout FieldWriter) throws { w.append(raw: publicKeyDER) }
    public static func decode(_ r: inout FieldReader) throws -> Self { Self(publicKeyDER: try r.derSequence("DER public key")) }
}

/// `E3` encrypt: curve `07`, data length 4N, data, `;`, public key (`K` index, or `K9999`
/// + DER), ciphertext format `0` (C1 || C3 || C2).
public struct SM2EncryptRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("E3")
    public var publicKey: SM2PublicKeyRef
    public var data: [UInt8]
    public init(publicKey: SM2PublicKeyRef, data: [UInt8]) {
        self.publicKey = publicKey
        self.data = data
    }
    public func encode(into w: inout FieldWriter) throws {
        w.appendSM2Curve()
        try w.append(lengthPrefixed: data)
        w.append(byte: UInt8(ascii: ";"))
        try publicKey.encode(into: &w)
        w.append(byte: UInt8(ascii: "0"))
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        try r.sm2Curve()
        let d = try r.lengthPrefixed("data")
        try r.expect(UInt8(ascii: ";"), "delimiter")
        let k = try SM2PublicKeyRef.decode(&r)
        try r.expect(UInt8(ascii: "0"), "ciphertext format")
        return Self(publicKey: k, data: d)
    }
}

/// Reply with a 4N byte length and binary data (`E4` to `E3`, `E5` to `E4`, `E6` to `E5`).
public struct SM2DataResponse: HostCommandResponse, Equatable, Sendable {
    public var data: [UInt8]
    public init(data: [UInt8]) { self.data = data }
    public func encode(into w: inout FieldWriter) throws { try w.append(lengthPrefixed: data) }
    public static func decode(_ r: inout FieldReader) throws -> Self { Self(data: try r.lengthPrefixed("data")) }
}

/// `E4` decrypt: curve `07`, ciphertext format `0`, length 4N, ciphertext C1 || C3 || C2,
/// `;`, private key (`K` index, or `K9999` + 4N + private key under the LMK).
public struct SM2DecryptRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("E4")
    public var privateKey: SM2PrivateKeyRef
    public var ciphertext: [UInt8]
    public init(privateKey: SM2PrivateKeyRef, ciphertext: [UInt8]) {
        self.privateKey = privateKey
        self.ciphertext = ciphertext
    }
    public func encode(into w: inout FieldWriter) throws {
        w.appendSM2Curve()
        w.append(byte: UInt8(ascii: "0"))
        try w.append(lengthPrefixed: ciphertext)
        w.append(byte: UInt8(ascii: ";"))
        try privateKey.encode(into: &w)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        try r.sm2Curve()
        try r.expect(UInt8(ascii: "0"), "ciphertext format")
        let c = try r.lengthPrefixed("ciphertext")
        try r.expect(UInt8(ascii: ";"), "delimiter")
        return Self(privateKey: try SM2PrivateKeyRef.decode(&r), ciphertext: c)
    }
}

/// `E5` sign: hash `20` (SM3), curve `07`, user-id length 4N, user id, `;`, data length
/// 4N, data, `;`, key pair (`K` index, or `K9999` + DER public key + 4N + private key),
/// signature format `0` (r || s). Reply `E6`: length 4N, signature (64 bytes).
public struct SM2SignRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("E5")
    public var key: SM2KeyPairRef
    public var userID: [UInt8]
    public var data: [UInt8]
    public init(key: SM2KeyPairRef, userID: [UInt8], data: [UInt8]) {
        self.key = key
        self.userID = userID
        self.data = data
    }
    public func encode(into w: inout FieldWriter) throws {
        w.append(ascii: "20")
        w.appendSM2Curve()
        try w.append(lengthPrefixed: userID)
        w.append(byte: UInt8(ascii: ";"))
        try w.append(lengthPrefixed: data)
        w.append(byte: UInt8(ascii: ";"))
        try key.encode(into: &w, withK: true)
        w.append(byte: UInt8(ascii: "0"))
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        guard try r.decimal(2, "hash") == 20 else { throw FieldError.invalid("hash") }
        try r.sm2Curve()
        let u = try r.lengthPrefixed("user id")
        try r.expect(UInt8(ascii: ";"), "delimiter")
        let d = try r.lengthPrefixed("data")
        try r.expect(UInt8(ascii: ";"), "delimiter")
        let k = try SM2KeyPairRef.decode(&r, withK: true)
        try r.expect(UInt8(ascii: "0"), "signature format")
        return Self(key: k, userID: u, data: d)
    }
}

/// `E6` verify: hash `20`, curve `07`, user-id length 4N, user id, `;`, signature format
/// `0`, signature length 4N, signature, `;`, data length 4N, data, `;`, public key (`K`
/// index, or `K9999` + DER). Reply `E7` without fields: `00` valid, `01` invalid.
public struct SM2VerifyRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("E6")
    public var publicKey: SM2PublicKeyRef
    public var userID: [UInt8]
    public var data: [UInt8]
    public var signature: [UInt8]
    public init(publicKey: SM2PublicKeyRef, userID: [UInt8], data: [UInt8], signature: [UInt8]) {
        self.publicKey = publicKey
        self.userID = userID
        self.data = data
        self.signature = signature
    }
    public func encode(into w: inout FieldWriter) throws {
        w.append(ascii: "20")
        w.appendSM2Curve()
        try w.append(lengthPrefixed: userID)
        w.append(byte: UInt8(ascii: ";"))
        w.append(byte: UInt8(ascii: "0"))
        try w.append(lengthPrefixed: signature)
        w.append(byte: UInt8(ascii: ";"))
        try w.append(lengthPrefixed: data)
        w.append(byte: UInt8(ascii: ";"))
        try publicKey.encode(into: &w)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        guard try r.decimal(2, "hash") == 20 else { throw FieldError.invalid("hash") }
        try r.sm2Curve()
        let u = try r.lengthPrefixed("user id")
        try r.expect(UInt8(ascii: ";"), "delimiter")
        try r.expect(UInt8(ascii: "0"), "signature format")
        let s = try r.lengthPrefixed("signature")
        try r.expect(UInt8(ascii: ";"), "delimiter")
        let d = try r.lengthPrefixed("data")
        try r.expect(UInt8(ascii: ";"), "delimiter")
        return Self(publicKey: try SM2PublicKeyRef.decode(&r), userID: u, data: d, signature: s)
    }
}

/// The DERIVE field: level count 2N, then count x 32H (one 16-byte factor per level).
public struct DeriveField: Equatable, Sendable {
    public var factors: [[UInt8]]
    public init(factors: [[UInt8]] = []) { self.factors = factors }

    func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: factors.count, width: 2)
        for f in factors {
            guard f.count == 16 else { throw FieldError.invalid("derivation data") }
            w.append(hex: f)
        }
    }

    static func decode(_ r: inout FieldReader) throws -> Self {
        let n = try r.decimal(2, "derivation levels")
        var f: [[UInt8]] = []
        for _ in 0..<n { f.append(try r.hexBytes(32, "derivation data")) }
        return Self(factors: f)
    }
}

/// The transport-key part shared by `TT` and `TU`: mode 2N (`00` ECB, `01` CBC), TK type
/// 3H (`000` KEK/ZMK, `109` MDK), TK (key field), DERIVE, curve `07`.
public struct SM2TransportKey: Equatable, Sendable {
    public var mode: Int
    public var keyType: KeyType
    public var key: KeyField
    public var derive: DeriveField
    public init(mode: Int, keyType: KeyType, key: KeyField, derive: DeriveField = DeriveField()) {
        self.mode = mode
        self.keyType = keyType
        self.key = key
        self.derive = derive
    }

    func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: mode, width: 2)
        w.append(keyType: keyType)
        w.append(key: key)
        try derive.encode(into: &w)
        w.appendSM2Curve()
    }

    static func decode(_ r: inout FieldReader) throws -> Self {
        let m = try r.decimal(2, "mode")
        guard m <= 1 else { throw FieldError.invalid("mode") }
        let t = try r.keyType()
        let k = try r.keyField("TK")
        let d = try DeriveField.decode(&r)
        try r.sm2Curve()
        return Self(mode: m, keyType: t, key: k, derive: d)
    }
}

/// `TT` export an SM2 private key under a transport key: TK part, key pair (index 4N
/// without `K`, or 9999 + DER public key + 4N + private key under the LMK).
/// Reply `TU`: DER public key, 4N length, d under the TK.
public struct SM2ExportByTKRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("TT")
    public var transportKey: SM2TransportKey
    public var key: SM2KeyPairRef
    public init(transportKey: SM2TransportKey, key: SM2KeyPairRef) {
        self.transportKey = transportKey
        self.key = key
    }
    public func encode(into w: inout FieldWriter) throws {
        try transportKey.encode(into: &w)
        try key.encode(into: &w, withK: false)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        let t = try SM2TransportKey.decode(&r)
        return Self(transportKey: t, key: try SM2KeyPairRef.decode(&r, withK: false))
    }
}

/// `TU` (reply to `TT`): DER public key, 4N length, private key under the TK.
public struct SM2ExportByTKResponse: HostCommandResponse, Equatable, Sendable {
    public var publicKeyDER: [UInt8]
    public var privateKeyUnderTK: [UInt8]
    public init(publicKeyDER: [UInt8], privateKeyUnderTK: [UInt8]) {
        self.publicKeyDER = publicKeyDER
        self.privateKeyUnderTK = privateKeyUnderTK
    }
    public func encode(into w: inout FieldWriter) throws {
        w.append(raw: publicKeyDER)
        try w.append(lengthPrefixed: privateKeyUnderTK)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        let der = try r.derSequence("DER public key")
        return Self(publicKeyDER: der, privateKeyUnderTK: try r.lengthPrefixed("private key"))
    }
}

/// `TU` import an SM2 private key from under a transport key: TK part, index 4N (no `K`;
/// 9999 = not stored), DER public key, 4N length, private key under the TK, [index other
/// than 9999: label length 2N, label]. Reply `TV`: 4N length, private key under the LMK.
public struct SM2ImportByTKRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("TU")
    public var transportKey: SM2TransportKey
    public var index: Int
    public var label: String
    public var publicKeyDER: [UInt8]
    public var privateKeyUnderTK: [UInt8]
    public init(transportKey: SM2TransportKey, index: Int = sm2CarriedIndex, label: String = "",
                publicKeyDER: [UInt8], privateKeyUnderTK: [UInt8]) {
        self.transportKey = transportKey
        self.index = index
        self.label = label
        self.publicKeyDER = publicKeyDER
        self.privateKeyUnderTK = privateKeyUnderTK
    }
    /// Whether the request stores the key (an index other than 9999).
    public var stores: Bool { index != sm2CarriedIndex }
    public func encode(into w: inout FieldWriter) throws {
        try transportKey.encode(into: &w)
        try w.append(decimal: index, width: 4)
        w.append(raw: publicKeyDER)
        try w.append(lengthPrefixed: privateKeyUnderTK)
        if stores {
            let l = Array(label.utf8)
            try w.append(decimal: l.count, width: 2)
            w.append(raw: l)
        }
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        let t = try SM2TransportKey.decode(&r)
        let i = try r.sm2Index(withK: false)
        let der = try r.derSequence("DER public key")
        let k = try r.lengthPrefixed("private key")
        var label = ""
        if i != sm2CarriedIndex {
            let n = try r.decimal(2, "label length")
            let l = try r.take(n, "label")
            guard l.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { throw FieldError.invalid("label") }
            label = String(decoding: l, as: UTF8.self)
        }
        return Self(transportKey: t, index: i, label: label, publicKeyDER: der, privateKeyUnderTK: k)
    }
}

/// `TV` (reply to `TU`): 4N length, private key under the LMK.
public struct SM2ImportByTKResponse: HostCommandResponse, Equatable, Sendable {
    public var privateKeyUnderLMK: [UInt8]
    public init(privateKeyUnderLMK: [UInt8]) { self.privateKeyUnderLMK = privateKeyUnderLMK }
    public func encode(into w: inout FieldWriter) throws { try w.append(lengthPrefixed: privateKeyUnderLMK) }
    public static func decode(_ r: inout FieldReader) throws -> Self { Self(privateKeyUnderLMK: try r.lengthPrefixed("private key")) }
}

/// `TQ` MAC of a public key (binds it to authentication data): curve `07`, DER public key,
/// authentication data (the rest of the message; no `;`). Reply `TR`: the MAC, 4 bytes.
public struct SM2PublicKeyMACRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("TQ")
    public var publicKeyDER: [UInt8]
    public var authData: [UInt8]
    public init(publicKeyDER: [UInt8], authData: [UInt8]) {
        self.publicKeyDER = publicKeyDER
        self.authData = authData
    }
    public func encode(into w: inout FieldWriter) throws {
        guard !authData.contains(UInt8(ascii: ";")) else { throw FieldError.invalid("authentication data") }
        w.appendSM2Curve()
        w.append(raw: publicKeyDER)
        w.append(raw: authData)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        try r.sm2Curve()
        let der = try r.derSequence("DER public key")
        let a = Array(r.rest())
        guard !a.contains(UInt8(ascii: ";")) else { throw FieldError.invalid("authentication data") }
        return Self(publicKeyDER: der, authData: a)
    }
}

/// `TR` (reply to `TQ`): the public-key MAC, 4 bytes binary.
public struct SM2PublicKeyMACResponse: HostCommandResponse, Equatable, Sendable {
    public var mac: [UInt8]
    public init(mac: [UInt8]) { self.mac = mac }
    public func encode(into w: inout FieldWriter) throws { w.append(raw: mac) }
    public static func decode(_ r: inout FieldReader) throws -> Self { Self(mac: Array(try r.take(4, "MAC"))) }
}

/// The SM2 public key of `TX`: index 4N (no `K`), or 9999 + DER public key +
/// authentication data + `;` + its `TQ` MAC (4 bytes).
public enum SM2AuthenticatedPublicKeyRef: Equatable, Sendable {
    case stored(index: Int)
    case carried(der: [UInt8], authData: [UInt8], mac: [UInt8])

    func encode(into w: inout FieldWriter) throws {
        switch self {
        case let .stored(i): try w.append(sm2Index: i, withK: false)
        case let .carried(der, a, mac):
            guard !a.contains(UInt8(ascii: ";")), mac.count == 4 else { throw FieldError.invalid("authentication data") }
            try w.append(sm2Index: sm2CarriedIndex, withK: false)
            w.append(raw: der)
            w.append(raw: a)
            w.append(byte: UInt8(ascii: ";"))
            w.append(raw: mac)
        }
    }

    static func decode(_ r: inout FieldReader) throws -> Self {
        let i = try r.sm2Index(withK: false)
        guard i == sm2CarriedIndex else { return .stored(index: i) }
        let der = try r.derSequence("DER public key")
        var a: [UInt8] = []
        while !r.skip(UInt8(ascii: ";")) { a.append(try r.byte("authentication data")) }
        return .carried(der: der, authData: a, mac: Array(try r.take(4, "MAC")))
    }
}

/// `TX` export a symmetric key under an SM2 public key: curve `07`, key type 3H (`000`,
/// `00A`, `109`), key (key field), DERIVE, SM2 public key (`SM2AuthenticatedPublicKeyRef`).
/// Reply `TY`: 4N length, the key SM2-encrypted (C1 || C3 || C2), KCV 16H.
public struct SM2ExportSymmetricKeyRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("TX")
    public var keyType: KeyType
    public var key: KeyField
    public var derive: DeriveField
    public var publicKey: SM2AuthenticatedPublicKeyRef
    public init(keyType: KeyType, key: KeyField, derive: DeriveField = DeriveField(), publicKey: SM2AuthenticatedPublicKeyRef) {
        self.keyType = keyType
        self.key = key
        self.derive = derive
        self.publicKey = publicKey
    }
    public func encode(into w: inout FieldWriter) throws {
        w.appendSM2Curve()
        w.append(keyType: keyType)
        w.append(key: key)
        try derive.encode(into: &w)
        try publicKey.encode(into: &w)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        try r.sm2Curve()
        let t = try r.keyType()
        let k = try r.keyField("key")
        let d = try DeriveField.decode(&r)
        return Self(keyType: t, key: k, derive: d, publicKey: try SM2AuthenticatedPublicKeyRef.decode(&r))
    }
}

/// `TY` (reply to `TX`): 4N length, the key under the SM2 public key, KCV (the rest: 16H, 8H
/// or 6H).
public struct SM2ExportSymmetricKeyResponse: HostCommandResponse, Equatable, Sendable {
    public var keyUnderSM2: [UInt8]
    public var checkValue: [UInt8]
    public init(keyUnderSM2: [UInt8], checkValue: [UInt8]) {
        self.keyUnderSM2 = keyUnderSM2
        self.checkValue = checkValue
    }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(lengthPrefixed: keyUnderSM2)
        w.append(hex: checkValue)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        let k = try r.lengthPrefixed("key under SM2")
        return Self(keyUnderSM2: k, checkValue: try r.trailingCheckValue())
    }
}

/// `TY` import a symmetric key from under an SM2 public key: curve `07`, key type 3H, LMK
/// scheme 1A, [`K` index 4N, label length 2N, label], expected KCV 16H (`0000000000000000` =
/// not checked), cryptogram length **4H**, cryptogram, SM2 index 4N (no `K`; 9999 + 4N +
/// private key under the LMK). Reply `TZ`: key under the LMK (field), KCV 16H.
public struct SM2ImportSymmetricKeyRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("TY")
    public var keyType: KeyType
    public var scheme: KeyScheme
    public var store: StoreTarget?
    public var expectedCheckValue: [UInt8]
    public var keyUnderSM2: [UInt8]
    public var privateKey: SM2PrivateKeyRef
    public init(keyType: KeyType, scheme: KeyScheme, store: StoreTarget? = nil, expectedCheckValue: [UInt8] = [UInt8](repeating: 0, count: 8),
                keyUnderSM2: [UInt8], privateKey: SM2PrivateKeyRef) {
        self.keyType = keyType
        self.scheme = scheme
        self.store = store
        self.expectedCheckValue = expectedCheckValue
        self.keyUnderSM2 = keyUnderSM2
        self.privateKey = privateKey
    }
    public func encode(into w: inout FieldWriter) throws {
        guard expectedCheckValue.count == 8 else { throw FieldError.invalid("check value") }
        w.appendSM2Curve()
        w.append(keyType: keyType)
        w.append(scheme: scheme)
        try w.append(store: store)
        w.append(hex: expectedCheckValue)
        try w.append(hexNumber: keyUnderSM2.count, width: 4)
        w.append(raw: keyUnderSM2)
        switch privateKey {
        case let .stored(i): try w.append(sm2Index: i, withK: false)
        case let .carried(k):
            try w.append(sm2Index: sm2CarriedIndex, withK: false)
            try w.append(lengthPrefixed: k)
        }
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        try r.sm2Curve()
        let t = try r.keyType()
        let s = try r.keyScheme("LMK scheme")
        let st = try r.storeSuffix()
        let kcv = try r.hexBytes(16, "check value")
        let n = try r.hexNumber(4, "cryptogram length")
        let c = Array(try r.take(n, "cryptogram"))
        let i = try r.sm2Index(withK: false)
        let k: SM2PrivateKeyRef = i == sm2CarriedIndex ? .carried(privateKey: try r.lengthPrefixed("private key")) : .stored(index: i)
        return Self(keyType: t, scheme: s, store: st, expectedCheckValue: kcv, keyUnderSM2: c, privateKey: k)
    }
}
