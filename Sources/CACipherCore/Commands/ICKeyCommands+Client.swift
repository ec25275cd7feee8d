import HostProtocol

/// IC-card key family: `KG` stored-key information, `KR` generate and store, `KD` derive,
/// `SH` export under a protection key, `SI` import from under a protection key, `AN` key
/// type conversion, `AM` form a key from clear components.

/// `KG`: what the HSM holds at an index (no key material).
public struct StoredKeyInfo: Equatable, Sendable {
    public var keyType: KeyType
    public var scheme: KeyScheme
    /// KCV, 8 bytes (16H on the wire).
    public var checkValue: [UInt8]
    public var label: String
    /// When the key was stored, as the HSM reports it (`evsm`: `YYYYMMDDhhmmss`, UTC).
    public var time: String
}

/// `SH`: the exported key under the protection key, and the exported key's check value.
public struct ProtectedKeyExport: Equatable, Sendable {
    /// The cryptogram (header || key, encrypted under the protection key).
    public var cryptogram: [UInt8]
    /// KCV, 8 bytes (16H on the wire).
    public var checkValue: [UInt8]
}

/// `KD` derivation mode.
public enum KeyDerivationMode: Int, Sendable, CaseIterable {
    /// PBOC 3.0 / EMV option A: 8-byte factors F, each level encrypts F || ~F.
    case pboc = 0
    /// 16-byte factors, each level encrypts the factor as is.
    case ecb16 = 1

    /// Bytes per factor.
    public var factorLength: Int { self == .pboc ? 8 : 16 }
}

extension CACipherClient {
    /// `KG`: the type, scheme, check value, label and storage time of the key at `index`
    /// (1...9999).
    @available(*, noasync)
    public func storedKeyInfo(index: Int) throws -> StoredKeyInfo {
        let name = "stored key information"
        guard (1...9999).contains(index) else { throw TypedCommand.invalid(name, argument: "key index", "\(index) is out of range (1 to 9999)") }
        let r = try command(ICKeyInfoRequest(index: index), name, ICKeyInfoResponse.self)
        return StoredKeyInfo(keyType: r.keyType, scheme: r.scheme, checkValue: r.checkValue, label: r.label, time: r.time)
    }

    /// `KR`: generates a key of `type` under the LMK in `scheme`; with `storeAt` also kept
    /// inside the HSM (index 9999 means "not stored", as in the TASS library). A storing
    /// call is not re-sent after a failure that may have reached an HSM.
    @available(*, noasync)
    public func generateAndStoreKey(type: KeyType, scheme: KeyScheme, storeAt store: StoreTarget? = nil) throws -> KeyWithCheckValue {
        let name = "generate and store key"
        try TypedCommand.checkStore(store, name)
        let r = try command(ICGenerateKeyRequest(keyType: type, scheme: scheme, store: store), name, ICKeyResponse.self,
                            idempotent: ICKeyCommandChecks.notStoring(store))
        try TypedCommand.checkReturnedKey(r.key, scheme, "key under the LMK", ICGenerateKeyRequest.command, name)
        return KeyWithCheckValue(key: r.key, checkValue: r.checkValue)
    }

    /// `KD`: derives a key of `type` (under the LMK in `scheme`) from `source` (under the
    /// LMK of `sourceType`, or an index), one level per factor (8 bytes each for `.pboc`,
    /// 16 for `.ecb16`; 1 to 99 factors).
    @available(*, noasync)
    public func deriveKey(sourceType: KeyType, source: KeyField, type: KeyType, scheme: KeyScheme,
                          mode: KeyDerivationMode = .pboc, factors: [[UInt8]], storeAt store: StoreTarget? = nil) throws -> KeyWithCheckValue {
        let name = "derive key"
        try TypedCommand.checkKey(source, "source key", name)
        try ICKeyCommandChecks.checkFactors(factors, length: mode.factorLength, "derivation factors", name, min: 1)
        try TypedCommand.checkStore(store, name)
        let req = ICDeriveKeyRequest(sourceType: sourceType, source: source, destinationType: type, destinationScheme: scheme,
                                     mode: mode.rawValue, derivation: ICKeyDerive(factors: factors), store: store)
        let r = try command(req, name, ICKeyResponse.self, idempotent: ICKeyCommandChecks.notStoring(store))
        try TypedCommand.checkReturnedKey(r.key, scheme, "key", CommandCode("KD"), name)
        return KeyWithCheckValue(key: r.key, checkValue: r.checkValue)
    }

    /// `SH`: exports `key` (under the LMK of `type`, or an index), derived by
    /// `derivation` (16-byte factors), under the protection key (ECB or CBC with a zero IV;
    /// itself optionally derived), with `header` (0 to 32 bytes) in front of the key.
    @available(*, noasync)
    public func exportKeyUnderProtection(_ protection: ICProtectionKey, type: KeyType, key: KeyField,
                                         derivation: [[UInt8]] = [], header: [UInt8] = []) throws -> ProtectedKeyExport {
        let name = "export key under protection key"
        try ICKeyCommandChecks.checkProtection(protection, name)
        try TypedCommand.checkKey(key, "key", name)
        try ICKeyCommandChecks.checkFactors(derivation, length: 16, "key derivation factors", name, min: 0)
        guard header.count <= 32 else { throw TypedCommand.invalid(name, "key header of \(header.count) bytes is longer than 32") }
        let r = try command(ICExportKeyRequest(protection: protection, keyType: type, key: key, derivation: ICKeyDerive(factors: derivation), header: header),
                            name, ICExportKeyResponse.self)
        return ProtectedKeyExport(cryptogram: r.cryptogram, checkValue: r.checkValue)
    }

    /// `SI`: imports a key of `type` in `scheme` from `cryptogram` (header || key
    /// [|| padding] under the protection key); returns it under the LMK. `options` adds the
    /// `P` extension: padding, the CBC IV, and a check value the HSM must match.
    @available(*, noasync)
    public func importKeyUnderProtection(_ protection: ICProtectionKey, type: KeyType, scheme: KeyScheme, cryptogram: [UInt8],
                                         header: [UInt8] = [], options: ICImportExtension? = nil,
                                         storeAt store: StoreTarget? = nil) throws -> KeyWithCheckValue {
        let name = "import key under protection key"
        try ICKeyCommandChecks.checkProtection(protection, name)
        guard (1...0xFFFF).contains(cryptogram.count) else {
            throw TypedCommand.invalid(name, argument: "cryptogram", "of \(cryptogram.count) bytes is out of range (1 to 65535)")
        }
        guard header.count <= 32 else { throw TypedCommand.invalid(name, "key header of \(header.count) bytes is longer than 32") }
        if let o = options {
            guard (0...99).contains(o.padding) else { throw TypedCommand.invalid(name, argument: "padding", "\(o.padding) is out of range (0 to 99)") }
            guard o.checkValue.count == 8 else {
                throw TypedCommand.invalid(name, argument: "expected check value", "must be 8 bytes, got \(o.checkValue.count)")
            }
            if protection.mode == 1 {
                guard let iv = o.iv, iv.count == 8 || iv.count == 16 else {
                    throw TypedCommand.invalid(name, "CBC needs an IV of 8 or 16 bytes", naming: "IV")
                }
            } else if o.iv != nil {
                throw TypedCommand.invalid(name, "an IV is only sent in CBC mode", naming: "IV")
            }
        }
        try TypedCommand.checkStore(store, name)
        let req = ICImportKeyRequest(protection: protection, keyType: type, scheme: scheme, cryptogram: cryptogram,
                                     store: store, header: header, extension: options)
        let r = try command(req, name, ICKeyResponse.self, idempotent: ICKeyCommandChecks.notStoring(store))
        try TypedCommand.checkReturnedKey(r.key, scheme, "key", CommandCode("SI"), name)
        return KeyWithCheckValue(key: r.key, checkValue: r.checkValue)
    }

    /// `AN`: the key under the LMK of `sourceType` (or at an index) re-encrypted under the LMK
    /// of `type` in `scheme`. The HSM decides which type pairs it converts (evsm: the same
    /// type, `003` <-> `008`, `00A` <-> `00B`; never to or from `000`/`002`).
    @available(*, noasync)
    public func convertKeyType(sourceType: KeyType, key: KeyField, to type: KeyType, scheme: KeyScheme) throws -> KeyWithCheckValue {
        let name = "key type conversion"
        try TypedCommand.checkKey(key, "key", name)
        let r = try command(KeyTypeConversionRequest(sourceType: sourceType, source: key, destinationType: type, destinationScheme: scheme),
                            name, ICKeyResponse.self)
        try TypedCommand.checkReturnedKey(r.key, scheme, "key", CommandCode("AN"), name)
        return KeyWithCheckValue(key: r.key, checkValue: r.checkValue)
    }

    /// `AM`: forms a key of `type` from clear components (XOR, composition mode 00), each
    /// `scheme.keyLength` bytes; 1 to 99 components. The request buffer is zeroed after
    /// sending. `putPlainKey` sends the clear key and an all-zero component, as the TASS
    /// library's `HSM_IC_PutPlainKey` does.
    @available(*, noasync)
    public func formKeyFromClearComponents(type: KeyType, scheme: KeyScheme, components: [[UInt8]],
                                           storeAt store: StoreTarget? = nil) throws -> KeyWithCheckValue {
        let name = "form key from clear components"
        guard (1...99).contains(components.count) else { throw TypedCommand.invalid(name, "\(components.count) components: need 1 to 99") }
        for c in components where c.count != scheme.keyLength {
            throw TypedCommand.invalid(name, "each component must be \(scheme.keyLength) bytes for this scheme, got \(c.count)")
        }
        try TypedCommand.checkStore(store, name)
        let r = try command(ClearComponentsKeyRequest(keyType: type, scheme: scheme, components: components, store: store),
                            name, ICKeyResponse.self, idempotent: ICKeyCommandChecks.notStoring(store), secret: true)
        try TypedCommand.checkReturnedKey(r.key, scheme, "key", CommandCode("AM"), name)
        return KeyWithCheckValue(key: r.key, checkValue: r.checkValue)
    }

    /// `AM` with the clear key and an all-zero second component (`HSM_IC_PutPlainKey`).
    @available(*, noasync)
    public func putPlainKey(type: KeyType, scheme: KeyScheme, clearKey: [UInt8], storeAt store: StoreTarget? = nil) throws -> KeyWithCheckValue {
        try formKeyFromClearComponents(type: type, scheme: scheme, components: [clearKey, [UInt8](repeating: 0, count: clearKey.count)], storeAt: store)
    }
}

/// Argument checks of the IC key commands.
enum ICKeyCommandChecks {
    /// A SAVED-KEY field stores nothing when absent or index 9999 (the TASS "not stored").
    static func notStoring(_ s: StoreTarget?) -> Bool { s == nil || s?.index == 9999 }

    static func checkFactors(_ f: [[UInt8]], length: Int, _ argument: String, _ name: String, min: Int) throws {
        guard (min...99).contains(f.count) else { throw TypedCommand.invalid(name, "\(argument): \(f.count) levels, need \(min) to 99") }
        for x in f where x.count != length {
            throw TypedCommand.invalid(name, "\(argument): each factor must be \(length) bytes, got \(x.count)")
        }
    }

    static func checkProtection(_ p: ICProtectionKey, _ name: String) throws {
        guard p.mode == 0 || p.mode == 1 else { throw TypedCommand.invalid(name, "encryption mode \(p.mode) must be 0 (ECB) or 1 (CBC)") }
        try TypedCommand.checkKey(p.key, "protection key", name)
        try checkFactors(p.derivation.factors, length: 16, "protection key derivation factors", name, min: 0)
        guard let n = ICKeySession.dataLength(p.session.mode) else {
            throw TypedCommand.invalid(name, "session key mode \(p.session.mode) is not 0 to 5")
        }
        guard p.session.data.count == n else {
            throw TypedCommand.invalid(name, "session key mode \(p.session.mode) needs \(n) bytes of data, got \(p.session.data.count)")
        }
    }
}

extension ResendSafety {
    /// The SAVED-KEY target of a `KR`/`KD`/`SI`/`AM` payload (after the command code).
    static func icStore(_ code: CommandCode, _ r: inout FieldReader) throws -> StoreTarget? {
        switch code {
        case ICGenerateKeyRequest.command: return try ICGenerateKeyRequest.decode(&r).store
        case ICDeriveKeyRequest.command: return try ICDeriveKeyRequest.decode(&r).store
        case ICImportKeyRequest.command: return try ICImportKeyRequest.decode(&r).store
        default:
            // AM carries clear components: the decoded copy is zeroed.
            var req = try ClearComponentsKeyRequest.decode(&r)
            defer { for i in req.components.indices { SecureBytes.zero(&req.components[i]) } }
            return req.store
        }
    }
}
