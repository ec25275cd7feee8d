/// RSA private keys under a transport key: `TR` export, `TS` import (TASS SJJ1310 layouts;
/// docs/wire.md, "RSA commands").
///
/// DERIVE field: levels 2N, then 32H of derivation data per level. The transport key (TK)
/// is a key field of type `000` (KEK/ZMK) or `109` (MDK). Each of d, p, q, dP, dQ, qInv
/// travels as 4N length + bytes: the big-endian integer left-padded with zero bytes to a
/// multiple of the TK's block size, encrypted under the (derived) TK.
public struct RSATransportKey: Equatable, Sendable {
    /// `00` ECB, `01` CBC.
    public var mode: Int
    public var type: KeyType
    public var key: KeyField
    /// 16 bytes per derivation level.
    public var derivation: [[UInt8]]
    public init(mode: Int, type: KeyType, key: KeyField, derivation: [[UInt8]] = []) {
        self.mode = mode
        self.type = type
        self.key = key
        self.derivation = derivation
    }

    func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: mode, width: 2)
        w.append(keyType: type)
        w.append(key: key)
        try w.append(decimal: derivation.count, width: 2)
        for d in derivation {
            guard d.count == 16 else { throw FieldError.invalid("derivation data") }
            w.append(hex: d)
        }
    }

    static func decode(_ r: inout FieldReader) throws -> RSATransportKey {
        let m = try r.decimal(2, "mode")
        let t = try r.keyType("TK type")
        let k = try r.keyField("TK")
        let n = try r.decimal(2, "derivation levels")
        var d: [[UInt8]] = []
        for _ in 0..<n { d.append(try r.hexBytes(32, "derivation data")) }
        return RSATransportKey(mode: m, type: t, key: k, derivation: d)
    }
}

/// The six private components as they travel: each 4N length + bytes.
public struct RSAWrappedComponents: Equatable, Sendable {
    public var d: [UInt8], p: [UInt8], q: [UInt8], dP: [UInt8], dQ: [UInt8], qInv: [UInt8]
    public init(d: [UInt8], p: [UInt8], q: [UInt8], dP: [UInt8], dQ: [UInt8], qInv: [UInt8]) {
        self.d = d; self.p = p; self.q = q; self.dP = dP; self.dQ = dQ; self.qInv = qInv
    }
    public var all: [[UInt8]] { [d, p, q, dP, dQ, qInv] }

    func encode(into w: inout FieldWriter) throws { for c in all { try w.append(lengthPrefixed: c) } }

    static func decode(_ r: inout FieldReader) throws -> RSAWrappedComponents {
        RSAWrappedComponents(d: try r.lengthPrefixed("d"), p: try r.lengthPrefixed("p"), q: try r.lengthPrefixed("q"),
                             dP: try r.lengthPrefixed("dP"), dQ: try r.lengthPrefixed("dQ"), qInv: try r.lengthPrefixed("qInv"))
    }
}

/// `TR` export an RSA private key under a transport key: TK (mode 2N, type 3H, key,
/// DERIVE), private key reference (`K` index or `K9999` + 4N length + blob), [extension
/// `P`, padding 2N (`00`), public-key flag 1N (0 DER, 1 modulus and exponent), IV (hex, the
/// rest of the message)].
public struct RSAExportRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("TR")
    public struct Extension: Equatable, Sendable {
        public var padding: Int
        public var publicKeyAsComponents: Bool
        public var iv: [UInt8]
        public init(padding: Int = 0, publicKeyAsComponents: Bool = false, iv: [UInt8] = []) {
            self.padding = padding
            self.publicKeyAsComponents = publicKeyAsComponents
            self.iv = iv
        }
    }
    public var transportKey: RSATransportKey
    public var privateKey: RSAKeyReference
    public var ext: Extension?
    public init(transportKey: RSATransportKey, privateKey: RSAKeyReference, ext: Extension? = nil) {
        self.transportKey = transportKey
        self.privateKey = privateKey
        self.ext = ext
    }
    public func encode(into w: inout FieldWriter) throws {
        try transportKey.encode(into: &w)
        try privateKey.encode(into: &w, privateKey: true)
        if let e = ext {
            w.append(byte: UInt8(ascii: "P"))
            try w.append(decimal: e.padding, width: 2)
            try w.append(decimal: e.publicKeyAsComponents ? 1 : 0, width: 1)
            w.append(hex: e.iv)
        }
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        let tk = try RSATransportKey.decode(&r)
        let k = try RSAKeyReference.decode(&r, privateKey: true)
        guard r.skip(UInt8(ascii: "P")) else { return Self(transportKey: tk, privateKey: k) }
        let pad = try r.decimal(2, "padding")
        let flag = try r.decimal(1, "public key flag")
        guard flag <= 1 else { throw FieldError.invalid("public key flag") }
        let ivText = r.remaining
        let iv = try r.hexBytes(ivText, "IV")
        return Self(transportKey: tk, privateKey: k, ext: Extension(padding: pad, publicKeyAsComponents: flag == 1, iv: iv))
    }
}

/// `TS` (reply to `TR`, public-key flag 0 or no extension): DER public key, then d, p, q,
/// dP, dQ, qInv under the TK.
public struct RSAExportResponse: HostCommandResponse, Equatable, Sendable {
    public var publicKey: [UInt8]
    public var components: RSAWrappedComponents
    public init(publicKey: [UInt8], components: RSAWrappedComponents) {
        self.publicKey = publicKey
        self.components = components
    }
    public func encode(into w: inout FieldWriter) throws {
        w.append(raw: publicKey)
        try components.encode(into: &w)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        Self(publicKey: try r.derSequence("public key"), components: try RSAWrappedComponents.decode(&r))
    }
}

/// `TS` (reply to `TR` with public-key flag 1): modulus 4N + bytes, exponent 4N + bytes
/// (clear), then the six components under the TK.
public struct RSAExportComponentsResponse: HostCommandResponse, Equatable, Sendable {
    public var modulus: [UInt8]
    public var exponent: [UInt8]
    public var components: RSAWrappedComponents
    public init(modulus: [UInt8], exponent: [UInt8], components: RSAWrappedComponents) {
        self.modulus = modulus
        self.exponent = exponent
        self.components = components
    }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(lengthPrefixed: modulus)
        try w.append(lengthPrefixed: exponent)
        try components.encode(into: &w)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        Self(modulus: try r.lengthPrefixed("modulus"), exponent: try r.lengthPrefixed("exponent"), components: try RSAWrappedComponents.decode(&r))
    }
}

/// `TS` import an RSA private key from under a transport key: TK (mode, type, key,
/// DERIVE), `K` index 4N (`K9999` = do not store; otherwise label length 2N, label), DER
/// public key, d, p, q, dP, dQ, qInv (each 4N + bytes under the TK; CBC with a zero IV).
public struct RSAImportRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("TS")
    public var transportKey: RSATransportKey
    public var store: StoreTarget?
    public var publicKey: [UInt8]
    public var components: RSAWrappedComponents
    public init(transportKey: RSATransportKey, store: StoreTarget? = nil, publicKey: [UInt8], components: RSAWrappedComponents) {
        self.transportKey = transportKey
        self.store = store
        self.publicKey = publicKey
        self.components = components
    }
    public func encode(into w: inout FieldWriter) throws {
        try transportKey.encode(into: &w)
        if let s = store {
            guard s.index >= 1, s.index < RSAKeyReference.inlineIndex else { throw FieldError.invalid("RSA key index") }
            try w.append(store: s)
        } else {
            w.append(byte: UInt8(ascii: "K"))
            try w.append(decimal: RSAKeyReference.inlineIndex, width: 4)
        }
        w.append(raw: publicKey)
        try components.encode(into: &w)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        let tk = try RSATransportKey.decode(&r)
        try r.expect(UInt8(ascii: "K"), "RSA key")
        let i = try r.decimal(4, "RSA key index")
        guard i >= 1 else { throw FieldError.invalid("RSA key index") }
        var store: StoreTarget?
        if i != RSAKeyReference.inlineIndex {
            let n = try r.decimal(2, "label length")
            let l = try r.take(n, "label")
            guard l.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { throw FieldError.invalid("label") }
            store = StoreTarget(index: i, label: String(decoding: l, as: UTF8.self))
        }
        let pub = try r.derSequence("public key")
        return Self(transportKey: tk, store: store, publicKey: pub, components: try RSAWrappedComponents.decode(&r))
    }
}

/// `TT` (reply to `TS`): private key length 4N, private key under the LMK.
public struct RSAPrivateKeyResponse: HostCommandResponse, Equatable, Sendable {
    public var privateKeyUnderLMK: [UInt8]
    public init(privateKeyUnderLMK: [UInt8]) { self.privateKeyUnderLMK = privateKeyUnderLMK }
    public func encode(into w: inout FieldWriter) throws { try w.append(lengthPrefixed: privateKeyUnderLMK) }
    public static func decode(_ r: inout FieldReader) throws -> Self { Self(privateKeyUnderLMK: try r.lengthPrefixed("private key")) }
}
