/// SM2 commands `E1`..`E7` (this project's layouts; see docs/wire.md).
///
/// - A private key travels under the LMK as 64H (the 32-byte scalar encrypted with SM4-ECB
///   under the device's SM2 storage key), or as a `K` index of a pair held inside.
/// - A public key travels as 128H (X || Y, 32 bytes each), or as a `K` index.
/// - Signatures are 128H (r || s). Ciphertexts are binary C1 || C3 || C2 (GB/T 32918.4
///   order: `04` x1 y1 (65 bytes), SM3 hash (32), then as many bytes as the plaintext),
///   with a 4N byte length.
public enum SM2KeyField: Equatable, Sendable {
    case stored(index: Int)
    case value([UInt8])

    func encode(into w: inout FieldWriter) throws {
        switch self {
        case let .stored(i):
            w.append(byte: UInt8(ascii: "K"))
            try w.append(decimal: i, width: 4)
        case let .value(v): w.append(hex: v)
        }
    }

    static func decode(_ r: inout FieldReader, hexLength: Int, _ name: StaticString) throws -> SM2KeyField {
        if r.skip(UInt8(ascii: "K")) {
            let i = try r.decimal(4, name)
            guard i >= 1 else { throw FieldError.invalid(String(describing: name)) }
            return .stored(index: i)
        }
        return .value(try r.hexBytes(hexLength, name))
    }
}

/// `E1` generate an SM2 key pair: [`K` index 4N, label length 2N, label: also keep inside].
public struct SM2GenerateRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("E1")
    public var store: StoreTarget?
    public init(store: StoreTarget? = nil) { self.store = store }
    public func encode(into w: inout FieldWriter) throws { try w.append(store: store) }
    public static func decode(_ r: inout FieldReader) throws -> Self { Self(store: try r.storeSuffix()) }
}

/// `E2` (reply to `E1`): public key 128H, private key under LMK 64H.
public struct SM2GenerateResponse: HostCommandResponse, Equatable, Sendable {
    public var publicKey: [UInt8]
    public var privateKeyUnderLMK: [UInt8]
    public init(publicKey: [UInt8], privateKeyUnderLMK: [UInt8]) {
        self.publicKey = publicKey
        self.privateKeyUnderLMK = privateKeyUnderLMK
    }
    public func encode(into w: inout FieldWriter) throws {
        w.append(hex: publicKey)
        w.append(hex: privateKeyUnderLMK)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        Self(publicKey: try r.hexBytes(128, "public key"), privateKeyUnderLMK: try r.hexBytes(64, "private key"))
    }
}

/// `E2` load an SM2 private key (under LMK) into the HSM: private key 64H, `K` index 4N,
/// label length 2N, label.
public struct SM2LoadRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("E2")
    public var privateKeyUnderLMK: [UInt8]
    public var store: StoreTarget
    public init(privateKeyUnderLMK: [UInt8], store: StoreTarget) {
        self.privateKeyUnderLMK = privateKeyUnderLMK
        self.store = store
    }
    public func encode(into w: inout FieldWriter) throws {
        w.append(hex: privateKeyUnderLMK)
        try w.append(store: store)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        let k = try r.hexBytes(64, "private key")
        guard let s = try r.storeSuffix() else { throw FieldError.missing("key index", need: 1, have: 0) }
        return Self(privateKeyUnderLMK: k, store: s)
    }
}

/// `E3`/`E4`-style reply carrying a public key 128H (`E3` to `E2`, `E4` to `E3`).
public struct SM2PublicKeyResponse: HostCommandResponse, Equatable, Sendable {
    public var publicKey: [UInt8]
    public init(publicKey: [UInt8]) { self.publicKey = publicKey }
    public func encode(into w: inout FieldWriter) throws { w.append(hex: publicKey) }
    public static func decode(_ r: inout FieldReader) throws -> Self { Self(publicKey: try r.hexBytes(128, "public key")) }
}

/// `E3` get the public key of a private key (`K` index or 64H under LMK).
public struct SM2PublicKeyRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("E3")
    public var privateKey: SM2KeyField
    public init(privateKey: SM2KeyField) { self.privateKey = privateKey }
    public func encode(into w: inout FieldWriter) throws { try privateKey.encode(into: &w) }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        Self(privateKey: try SM2KeyField.decode(&r, hexLength: 64, "private key"))
    }
}

/// `E4` encrypt: public key (`K` index or 128H), data length 4N, data (binary).
public struct SM2EncryptRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("E4")
    public var publicKey: SM2KeyField
    public var data: [UInt8]
    public init(publicKey: SM2KeyField, data: [UInt8]) {
        self.publicKey = publicKey
        self.data = data
    }
    public func encode(into w: inout FieldWriter) throws {
        try publicKey.encode(into: &w)
        try w.append(decimal: data.count, width: 4)
        w.append(raw: data)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        let k = try SM2KeyField.decode(&r, hexLength: 128, "public key")
        let n = try r.decimal(4, "length")
        return Self(publicKey: k, data: Array(try r.take(n, "data")))
    }
}

/// Reply with a 4N byte length and binary data (`E5` to `E4`, `E6` to `E5`).
public struct SM2DataResponse: HostCommandResponse, Equatable, Sendable {
    public var data: [UInt8]
    public init(data: [UInt8]) { self.data = data }
    public func encode(into w: inout FieldWriter) throws {
        try w.append(decimal: data.count, width: 4)
        w.append(raw: data)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        let n = try r.decimal(4, "length")
        return Self(data: Array(try r.take(n, "data")))
    }
}

/// `E5` decrypt: private key (`K` index or 64H under LMK), length 4N, ciphertext (C1 || C3 || C2).
public struct SM2DecryptRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("E5")
    public var privateKey: SM2KeyField
    public var ciphertext: [UInt8]
    public init(privateKey: SM2KeyField, ciphertext: [UInt8]) {
        self.privateKey = privateKey
        self.ciphertext = ciphertext
    }
    public func encode(into w: inout FieldWriter) throws {
        try privateKey.encode(into: &w)
        try w.append(decimal: ciphertext.count, width: 4)
        w.append(raw: ciphertext)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        let k = try SM2KeyField.decode(&r, hexLength: 64, "private key")
        let n = try r.decimal(4, "length")
        return Self(privateKey: k, ciphertext: Array(try r.take(n, "ciphertext")))
    }
}

/// `E6` sign (SM2 with SM3 and the Z value of the user id): private key (`K` index or 64H),
/// user id length 4N, user id, data length 4N, data.
public struct SM2SignRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("E6")
    public var privateKey: SM2KeyField
    public var userID: [UInt8]
    public var data: [UInt8]
    public init(privateKey: SM2KeyField, userID: [UInt8], data: [UInt8]) {
        self.privateKey = privateKey
        self.userID = userID
        self.data = data
    }
    public func encode(into w: inout FieldWriter) throws {
        try privateKey.encode(into: &w)
        try w.append(decimal: userID.count, width: 4)
        w.append(raw: userID)
        try w.append(decimal: data.count, width: 4)
        w.append(raw: data)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        let k = try SM2KeyField.decode(&r, hexLength: 64, "private key")
        let un = try r.decimal(4, "user id length")
        let u = Array(try r.take(un, "user id"))
        let n = try r.decimal(4, "length")
        return Self(privateKey: k, userID: u, data: Array(try r.take(n, "data")))
    }
}

/// `E7` (reply to `E6`): signature 128H (r || s).
public struct SM2SignResponse: HostCommandResponse, Equatable, Sendable {
    public var signature: [UInt8]
    public init(signature: [UInt8]) { self.signature = signature }
    public func encode(into w: inout FieldWriter) throws { w.append(hex: signature) }
    public static func decode(_ r: inout FieldReader) throws -> Self { Self(signature: try r.hexBytes(128, "signature")) }
}

/// `E7` verify: public key (`K` index or 128H), user id length 4N, user id, data length 4N,
/// data, signature 128H. Reply `E8` without fields: `00` valid, `01` invalid.
public struct SM2VerifyRequest: HostCommandRequest, Equatable, Sendable {
    public static let command = CommandCode("E7")
    public var publicKey: SM2KeyField
    public var userID: [UInt8]
    public var data: [UInt8]
    public var signature: [UInt8]
    public init(publicKey: SM2KeyField, userID: [UInt8], data: [UInt8], signature: [UInt8]) {
        self.publicKey = publicKey
        self.userID = userID
        self.data = data
        self.signature = signature
    }
    public func encode(into w: inout FieldWriter) throws {
        try publicKey.encode(into: &w)
        try w.append(decimal: userID.count, width: 4)
        w.append(raw: userID)
        try w.append(decimal: data.count, width: 4)
        w.append(raw: data)
        w.append(hex: signature)
    }
    public static func decode(_ r: inout FieldReader) throws -> Self {
        let k = try SM2KeyField.decode(&r, hexLength: 128, "public key")
        let un = try r.decimal(4, "user id length")
        let u = Array(try r.take(un, "user id"))
        let n = try r.decimal(4, "length")
        let d = Array(try r.take(n, "data"))
        return Self(publicKey: k, userID: u, data: d, signature: try r.hexBytes(128, "signature"))
    }
}
