import HostProtocol

/// SM2 in the TASS layouts (`E7` generate, `E1` load, `E2` public key, `E3` encrypt, `E4`
/// decrypt, `E5` sign, `E6` verify, `TT`/`TU` export/import under a transport key, `TQ`
/// public-key MAC, `TX`/`TY` symmetric keys under SM2;
/// docs/wire.md). At this API public keys are 64 bytes X || Y (converted to and from the
/// DER SubjectPublicKeyInfo on the wire here), private keys the HSM's opaque blob under
/// the LMK (40 bytes from evsm), or a `K` index 1...9998 of a pair held inside
/// (`SM2KeyField`); signatures 64 bytes r || s; ciphertexts C1 || C3 || C2.
extension CACipherClient {
    /// `E7`: a new key pair; with `storeAt` (1...9998) also kept inside the HSM (not re-sent
    /// after a failure that may have reached an HSM).
    @available(*, noasync)
    public func sm2GenerateKeyPair(storeAt store: StoreTarget? = nil) throws -> SM2KeyPair {
        let name = "SM2 generate key pair"
        try SM2Check.store(store, name)
        let req = SM2GenerateRequest(store: store)
        let r = try command(req, name, SM2GenerateResponse.self, idempotent: !req.stores)
        return SM2KeyPair(publicKey: try SM2Check.point(r.publicKeyDER, name), privateKeyUnderLMK: r.privateKeyUnderLMK)
    }

    /// `E1`: keeps a key pair inside the HSM at an index (1...9998). Never re-sent.
    @available(*, noasync)
    public func sm2LoadKeyPair(publicKey: [UInt8], privateKeyUnderLMK: [UInt8], storeAt store: StoreTarget) throws {
        let name = "SM2 load key pair"
        let der = try SM2Check.der(publicKey, name)
        try SM2Check.blob(privateKeyUnderLMK, name)
        try SM2Check.store(store, name)
        _ = try command(SM2LoadRequest(publicKeyDER: der, privateKeyUnderLMK: privateKeyUnderLMK, store: store), name,
                        SM2EmptyResponse.self, idempotent: false)
    }

    /// `E2` (public key of the blob; an evsm extension, see `sm2PublicKey`) then `E1`: keeps
    /// a private key inside the HSM at an index; returns its public key.
    @available(*, noasync)
    public func sm2LoadPrivateKey(_ privateKeyUnderLMK: [UInt8], storeAt store: StoreTarget) throws -> [UInt8] {
        let name = "SM2 load private key"
        try SM2Check.blob(privateKeyUnderLMK, name)
        try SM2Check.store(store, name)
        let q = try sm2PublicKey(privateKey: .value(privateKeyUnderLMK))
        try sm2LoadKeyPair(publicKey: q, privateKeyUnderLMK: privateKeyUnderLMK, storeAt: store)
        return q
    }

    /// `E2`: the public key (64 bytes) of a pair held at an index. For a blob (`.value`) this
    /// sends `E2` with `K9999` and the blob: an evsm extension a TASS device may refuse.
    @available(*, noasync)
    public func sm2PublicKey(privateKey: SM2KeyField) throws -> [UInt8] {
        let name = "SM2 public key"
        let ref: SM2PrivateKeyRef
        switch privateKey {
        case let .stored(i): ref = .stored(index: try SM2Check.index(i, name))
        case let .value(v):
            try SM2Check.blob(v, name)
            ref = .carried(privateKey: v)
        }
        return try SM2Check.point(try command(SM2PublicKeyRequest(privateKey: ref), name, SM2PublicKeyResponse.self).publicKeyDER, name)
    }

    /// `E5`: signs `data` (SM3 over Z || data; empty `userID` = `1234567812345678`).
    /// Returns r || s (64 bytes). A blob travels with its public key: give it as `publicKey`
    /// (64 bytes), or it is asked for first with `E2` (see `sm2PublicKey`).
    @available(*, noasync)
    public func sm2Sign(privateKey: SM2KeyField, publicKey: [UInt8]? = nil, userID: [UInt8] = [], data: [UInt8]) throws -> [UInt8] {
        let name = "SM2 sign"
        try TypedCommand.check4N(userID.count, "user id", name)
        try TypedCommand.check4N(data.count, "data", name)
        let ref: SM2KeyPairRef
        switch privateKey {
        case let .stored(i): ref = .stored(index: try SM2Check.index(i, name))
        case let .value(v):
            try SM2Check.blob(v, name)
            let q = try publicKey ?? sm2PublicKey(privateKey: privateKey)
            ref = .carried(der: try SM2Check.der(q, name), privateKey: v)
        }
        let s = try command(SM2SignRequest(key: ref, userID: userID, data: data), name, SM2DataResponse.self).data
        guard s.count == 64 else { throw CACipherError(.badFrame, "\(name) (\(SM2SignRequest.command)): signature of \(s.count) bytes, not 64") }
        return s
    }

    /// `E6`: `true` for a valid signature, `false` when the HSM answers `01`.
    @available(*, noasync)
    public func sm2Verify(publicKey: SM2KeyField, userID: [UInt8] = [], data: [UInt8], signature: [UInt8]) throws -> Bool {
        let name = "SM2 verify"
        let ref = try SM2Check.publicRef(publicKey, name)
        try TypedCommand.check4N(userID.count, "user id", name)
        try TypedCommand.check4N(data.count, "data", name)
        guard signature.count == 64 else { throw TypedCommand.invalid(name, argument: "signature", "must be 64 bytes (r || s), got \(signature.count)") }
        return try verification(SM2VerifyRequest(publicKey: ref, userID: userID, data: data, signature: signature), name)
    }

    /// `E3`: encrypts 1...9902 bytes; returns C1 || C3 || C2 (97 bytes longer).
    @available(*, noasync)
    public func sm2Encrypt(publicKey: SM2KeyField, data: [UInt8]) throws -> [UInt8] {
        let name = "SM2 encrypt"
        let ref = try SM2Check.publicRef(publicKey, name)
        try TypedCommand.check4N(data.count, "data", name, min: 1)
        guard data.count <= 9999 - 97 else { throw TypedCommand.invalid(name, "data of \(data.count) bytes is longer than 9902") }
        return try command(SM2EncryptRequest(publicKey: ref, data: data), name, SM2DataResponse.self, secret: true).data
    }

    /// `E4`: decrypts C1 || C3 || C2. The reply buffer is zeroed; the result is the caller's.
    @available(*, noasync)
    public func sm2Decrypt(privateKey: SM2KeyField, ciphertext: [UInt8]) throws -> [UInt8] {
        let name = "SM2 decrypt"
        let ref: SM2PrivateKeyRef
        switch privateKey {
        case let .stored(i): ref = .stored(index: try SM2Check.index(i, name))
        case let .value(v):
            try SM2Check.blob(v, name)
            ref = .carried(privateKey: v)
        }
        try TypedCommand.check4N(ciphertext.count, "ciphertext", name, min: 98)
        return try command(SM2DecryptRequest(privateKey: ref, ciphertext: ciphertext), name, SM2DataResponse.self, secret: true).data
    }

    /// `TT`: the private key of a pair (index, or blob with its 64-byte public key) under a
    /// transport key (`000` KEK/ZMK or `109` MDK; mode 0 ECB, 1 CBC with a zero IV; `derive`
    /// 16-byte factors, 0...99 levels). Returns the public key (64 bytes) and d under the TK.
    @available(*, noasync)
    public func sm2ExportPrivateKey(transportKey: SM2TransportKey, privateKey: SM2KeyField, publicKey: [UInt8]? = nil)
        throws -> (publicKey: [UInt8], privateKeyUnderTK: [UInt8]) {
        let name = "SM2 export private key"
        try SM2Check.transportKey(transportKey, name)
        let ref: SM2KeyPairRef
        switch privateKey {
        case let .stored(i): ref = .stored(index: try SM2Check.index(i, name))
        case let .value(v):
            try SM2Check.blob(v, name)
            let q = try publicKey ?? sm2PublicKey(privateKey: privateKey)
            ref = .carried(der: try SM2Check.der(q, name), privateKey: v)
        }
        let r = try command(SM2ExportByTKRequest(transportKey: transportKey, key: ref), name, SM2ExportByTKResponse.self, secret: true)
        return (try SM2Check.point(r.publicKeyDER, name), r.privateKeyUnderTK)
    }

    /// `TU`: a private key from under a transport key, with its public key (64 bytes);
    /// returns the blob under the LMK. With `storeAt` (1...9998) also kept inside (then never
    /// re-sent).
    @available(*, noasync)
    public func sm2ImportPrivateKey(transportKey: SM2TransportKey, publicKey: [UInt8], privateKeyUnderTK: [UInt8],
                                    storeAt store: StoreTarget? = nil) throws -> [UInt8] {
        let name = "SM2 import private key"
        try SM2Check.transportKey(transportKey, name)
        let der = try SM2Check.der(publicKey, name)
        try TypedCommand.check4N(privateKeyUnderTK.count, "private key under the TK", name, min: 1)
        try SM2Check.store(store, name)
        let req = SM2ImportByTKRequest(transportKey: transportKey, index: store?.index ?? sm2CarriedIndex, label: store?.label ?? "",
                                       publicKeyDER: der, privateKeyUnderTK: privateKeyUnderTK)
        return try command(req, name, SM2ImportByTKResponse.self, idempotent: !req.stores).privateKeyUnderLMK
    }
}

extension CACipherClient {
    /// `TQ`: the 4-byte MAC binding a public key (64 bytes) to authentication data (no `;`),
    /// the argument `sm2ExportSymmetricKey` needs with a public key given in the call.
    @available(*, noasync)
    public func sm2PublicKeyMAC(publicKey: [UInt8], authData: [UInt8]) throws -> [UInt8] {
        let name = "SM2 public key MAC"
        let der = try SM2Check.der(publicKey, name)
        try SM2Check.authData(authData, name)
        return try command(SM2PublicKeyMACRequest(publicKeyDER: der, authData: authData), name, SM2PublicKeyMACResponse.self).mac
    }

    /// `TX`: a key of `type` (`000`, `00A`, `109`; after the `derive` levels) encrypted under
    /// an SM2 public key: a stored pair, or a public key (64 bytes) with its authentication
    /// data and `TQ` MAC. Returns C1 || C3 || C2 and the key's check value (8 bytes).
    @available(*, noasync)
    public func sm2ExportSymmetricKey(type: KeyType, key: KeyField, derive: DeriveField = DeriveField(), publicKey: SM2KeyField,
                                      authData: [UInt8] = [], mac: [UInt8] = []) throws -> (keyUnderSM2: [UInt8], checkValue: [UInt8]) {
        let name = "SM2 export symmetric key"
        try SM2Check.transportKey(SM2TransportKey(mode: 0, keyType: type, key: key, derive: derive), name)
        let ref: SM2AuthenticatedPublicKeyRef
        switch publicKey {
        case let .stored(i): ref = .stored(index: try SM2Check.index(i, name))
        case let .value(q):
            try SM2Check.authData(authData, name)
            guard mac.count == 4 else { throw TypedCommand.invalid(name, "public-key MAC must be 4 bytes, got \(mac.count)") }
            ref = .carried(der: try SM2Check.der(q, name), authData: authData, mac: mac)
        }
        let r = try command(SM2ExportSymmetricKeyRequest(keyType: type, key: key, derive: derive, publicKey: ref), name,
                            SM2ExportSymmetricKeyResponse.self)
        return (r.keyUnderSM2, r.checkValue)
    }

    /// `TY`: a key from under an SM2 public key (C1 || C3 || C2, decrypted with a stored pair
    /// or a blob) to under the LMK as `type`/`scheme`; with `storeAt` also kept inside (then
    /// never re-sent). `expectedCheckValue` (8 bytes) is checked by the HSM when given.
    @available(*, noasync)
    public func sm2ImportSymmetricKey(type: KeyType, scheme: KeyScheme, keyUnderSM2: [UInt8], privateKey: SM2KeyField,
                                      expectedCheckValue: [UInt8]? = nil, storeAt store: StoreTarget? = nil) throws -> KeyWithCheckValue {
        let name = "SM2 import symmetric key"
        let ref: SM2PrivateKeyRef
        switch privateKey {
        case let .stored(i): ref = .stored(index: try SM2Check.index(i, name))
        case let .value(v):
            try SM2Check.blob(v, name)
            ref = .carried(privateKey: v)
        }
        guard (1...0xFFFF).contains(keyUnderSM2.count) else { throw TypedCommand.invalid(name, "key under SM2 of \(keyUnderSM2.count) bytes is out of range") }
        if let k = expectedCheckValue, k.count != 8 { throw TypedCommand.invalid(name, "expected check value must be 8 bytes") }
        try SM2Check.store(store, name)
        let req = SM2ImportSymmetricKeyRequest(keyType: type, scheme: scheme, store: store,
                                               expectedCheckValue: expectedCheckValue ?? [UInt8](repeating: 0, count: 8),
                                               keyUnderSM2: keyUnderSM2, privateKey: ref)
        let r = try command(req, name, ImportKeyResponse.self, idempotent: store == nil)
        try TypedCommand.checkReturnedKey(r.key, scheme, "key", CommandCode("TY"), name)
        return KeyWithCheckValue(key: r.key, checkValue: r.checkValue)
    }
}

/// Argument checks of the SM2 typed calls (before anything is sent).
enum SM2Check {
    static func index(_ i: Int, _ name: String) throws -> Int {
        guard (1...9998).contains(i) else { throw TypedCommand.invalid(name, "key index \(i) is out of range (1 to 9998; 9999 means the key travels in the command)") }
        return i
    }

    static func store(_ s: StoreTarget?, _ name: String) throws {
        try TypedCommand.checkStore(s, name)
        if let s = s { _ = try index(s.index, name) }
    }

    static func blob(_ b: [UInt8], _ name: String) throws {
        guard (1...2048).contains(b.count) else { throw TypedCommand.invalid(name, "private key under the LMK must be 1 to 2048 bytes, got \(b.count)") }
    }

    static func der(_ q: [UInt8], _ name: String) throws -> [UInt8] {
        guard q.count == 64, let d = SM2PublicKeyDER.encode(q) else {
            throw TypedCommand.invalid(name, argument: "public key", "must be 64 bytes (X || Y), got \(q.count)")
        }
        return d
    }

    static func point(_ der: [UInt8], _ name: String) throws -> [UInt8] {
        guard let q = SM2PublicKeyDER.point(der) else { throw CACipherError(.badFrame, "\(name): the reply's public key is not an SM2 SubjectPublicKeyInfo") }
        return q
    }

    static func publicRef(_ k: SM2KeyField, _ name: String) throws -> SM2PublicKeyRef {
        switch k {
        case let .stored(i): return .stored(index: try index(i, name))
        case let .value(q): return .carried(der: try der(q, name))
        }
    }

    static func authData(_ a: [UInt8], _ name: String) throws {
        guard !a.contains(UInt8(ascii: ";")) else { throw TypedCommand.invalid(name, "authentication data must not contain ';'") }
        guard a.count <= 4096 else { throw TypedCommand.invalid(name, "authentication data of \(a.count) bytes is longer than 4096") }
    }

    static func transportKey(_ t: SM2TransportKey, _ name: String) throws {
        guard t.mode == 0 || t.mode == 1 else { throw TypedCommand.invalid(name, "mode must be 0 (ECB) or 1 (CBC), got \(t.mode)") }
        guard t.derive.factors.count <= 99 else { throw TypedCommand.invalid(name, "more than 99 derivation levels") }
        guard t.derive.factors.allSatisfy({ $0.count == 16 }) else { throw TypedCommand.invalid(name, "each derivation factor must be 16 bytes") }
        if case let .stored(i) = t.key, !(1...9999).contains(i) { throw TypedCommand.invalid(name, "TK index \(i) is out of range") }
    }
}
