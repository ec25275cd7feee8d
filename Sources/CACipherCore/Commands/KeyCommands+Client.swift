import HostProtocol

/// Key management: `A0` generate, `A6` import, `A8` export, `A4` form from components,
/// `BU` key check value.
extension CACipherClient {
    /// `A0`: generates a key of `type`, returned under the LMK in `scheme`; with `zmk` it is
    /// also returned under that ZMK (in `exportScheme`, default `scheme`); with `storeAt` it
    /// is also kept inside the HSM (then the command is not re-sent after a failure that
    /// may have reached an HSM).
    @available(*, noasync)
    public func generateKey(type: KeyType, scheme: KeyScheme, exportUnder zmk: KeyField? = nil,
                            exportScheme: KeyScheme? = nil, storeAt store: StoreTarget? = nil) throws -> GeneratedKey {
        let name = "generate key"
        if let z = zmk { try TypedCommand.checkKey(z, "ZMK", name) }
        if zmk == nil, exportScheme != nil { throw TypedCommand.invalid(name, "an export scheme needs a ZMK") }
        try TypedCommand.checkStore(store, name)
        let req = GenerateKeyRequest(keyType: type, lmkScheme: scheme, zmk: zmk, zmkScheme: zmk == nil ? nil : (exportScheme ?? scheme), store: store)
        let r = try command(req, name, GenerateKeyResponse.self, idempotent: store == nil)
        if zmk != nil, r.keyUnderZMK == nil {
            throw CACipherError(.badFrame, "\(name) (A0): reply has no key under the ZMK")
        }
        // Mode 0: more than a KCV after the key (an overlong KCV read as a second key).
        if zmk == nil, r.keyUnderZMK != nil {
            throw CACipherError(.badFrame, "\(name) (A0): reply has more after the key than a check value (6, 8 or 16 hex)")
        }
        try TypedCommand.checkReturnedKey(r.keyUnderLMK, scheme, "key under the LMK", GenerateKeyRequest.command, name)
        if let z = r.keyUnderZMK { try TypedCommand.checkReturnedKey(z, exportScheme ?? scheme, "key under the ZMK", GenerateKeyRequest.command, name) }
        return GeneratedKey(keyUnderLMK: r.keyUnderLMK, keyUnderZMK: r.keyUnderZMK, checkValue: r.checkValue)
    }

    /// `A6`: imports a key encrypted under a ZMK; returns it under the LMK in `scheme`.
    @available(*, noasync)
    public func importKey(type: KeyType, zmk: KeyField, keyUnderZMK: KeyField, scheme: KeyScheme,
                          storeAt store: StoreTarget? = nil) throws -> KeyWithCheckValue {
        let name = "import key"
        try TypedCommand.checkKey(zmk, "ZMK", name)
        try TypedCommand.checkKey(keyUnderZMK, "key under ZMK", name, form: .underZMK)
        guard case .encrypted = keyUnderZMK else { throw TypedCommand.invalid(name, "key under ZMK must be key material, not an index") }
        try TypedCommand.checkStore(store, name)
        let r = try command(ImportKeyRequest(keyType: type, zmk: zmk, keyUnderZMK: keyUnderZMK, lmkScheme: scheme, store: store),
                            name, ImportKeyResponse.self, idempotent: store == nil)
        try TypedCommand.checkReturnedKey(r.key, scheme, "key", CommandCode("A6"), name)
        return KeyWithCheckValue(key: r.key, checkValue: r.checkValue)
    }

    /// `A8`: exports a key (under the LMK or at an index) under a ZMK in `scheme`.
    @available(*, noasync)
    public func exportKey(type: KeyType, zmk: KeyField, key: KeyField, scheme: KeyScheme) throws -> KeyWithCheckValue {
        let name = "export key"
        try TypedCommand.checkKey(zmk, "ZMK", name)
        try TypedCommand.checkKey(key, "key", name)
        let r = try command(ExportKeyRequest(keyType: type, zmk: zmk, key: key, zmkScheme: scheme), name, ExportKeyResponse.self)
        try TypedCommand.checkReturnedKey(r.key, scheme, "key", CommandCode("A8"), name)
        return KeyWithCheckValue(key: r.key, checkValue: r.checkValue)
    }

    /// `A4`: forms a key as the XOR of 2...9 components (each under the LMK of `type`).
    @available(*, noasync)
    public func formKey(type: KeyType, scheme: KeyScheme, components: [KeyField]) throws -> KeyWithCheckValue {
        let name = "form key"
        guard (2...9).contains(components.count) else {
            throw TypedCommand.invalid(name, "\(components.count) components: need 2 to 9")
        }
        for c in components {
            try TypedCommand.checkKey(c, "component", name)
            guard case .encrypted = c else { throw TypedCommand.invalid(name, "component must be key material, not an index") }
        }
        let r = try command(FormKeyRequest(keyType: type, lmkScheme: scheme, components: components), name, FormKeyResponse.self)
        try TypedCommand.checkReturnedKey(r.key, scheme, "key", CommandCode("A4"), name)
        return KeyWithCheckValue(key: r.key, checkValue: r.checkValue)
    }

    /// `BU`: the check value (8 bytes) of a key under the LMK of `type` (or at an index).
    @available(*, noasync)
    public func keyCheckValue(type: KeyType, key: KeyField) throws -> [UInt8] {
        let name = "key check value"
        try TypedCommand.checkKey(key, "key", name)
        return try command(CheckValueRequest(keyType: type, key: key), name, CheckValueResponse.self).checkValue
    }
}
