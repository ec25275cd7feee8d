import HostProtocol

/// A symmetric key under an RSA public key (`TV`): the cryptogram and the key's 8-byte KCV.
public struct RSAWrappedKey: Equatable, Sendable {
    public var cryptogram: [UInt8]
    public var checkValue: [UInt8]
}

/// Symmetric keys under RSA keys (`EO`, `TV`, `TW`; docs/wire.md, "RSA commands").
extension CACipherClient {
    /// `EO`: the 4-byte MAC that lets `TV` take `publicKey` inline.
    @available(*, noasync)
    public func rsaPublicKeyMAC(publicKey: [UInt8], authData: [UInt8] = []) throws -> [UInt8] {
        let name = "RSA public key MAC"
        try TypedCommand.checkRSA(.inline(publicKey), isPrivate: false, name)
        try TypedCommand.checkAuthData(authData, name)
        return try command(RSAPublicKeyMACRequest(publicKey: publicKey, authData: authData), name, RSAPublicKeyMACResponse.self).mac
    }

    /// `TV`: a symmetric key (under the LMK of `type`, optionally derived) encrypted under an
    /// RSA public key (PKCS#1 v1.5).
    @available(*, noasync)
    public func rsaExportSymmetricKey(type: KeyType, key: KeyField, derivation: [[UInt8]] = [],
                                      publicKey: RSAAuthenticatedPublicKey) throws -> RSAWrappedKey {
        let name = "RSA export symmetric key"
        try TypedCommand.checkKey(key, "key", name)
        guard derivation.count <= 99, derivation.allSatisfy({ $0.count == 16 }) else {
            throw TypedCommand.invalid(name, "derivation data must be 16 bytes per level, at most 99 levels")
        }
        switch publicKey {
        case let .stored(i): try TypedCommand.checkRSAIndex(i, name)
        case let .inline(der, auth, mac):
            try TypedCommand.checkRSA(.inline(der), isPrivate: false, name)
            try TypedCommand.checkAuthData(auth, name)
            guard mac.count == 4 else { throw TypedCommand.invalid(name, "public key MAC must be 4 bytes, got \(mac.count)") }
        }
        let r = try command(RSAExportSymmetricKeyRequest(keyType: type, key: key, derivation: derivation, publicKey: publicKey), name,
                            RSAExportSymmetricKeyResponse.self)
        return RSAWrappedKey(cryptogram: r.cryptogram, checkValue: r.checkValue)
    }

    /// `TW`: a symmetric key from under an RSA public key, put under the LMK of `type` in
    /// `scheme`; `expectedCheckValue` (8 bytes) is checked by the HSM unless nil. With
    /// `storeAt` not re-sent after a failure that may have reached an HSM.
    @available(*, noasync)
    public func rsaImportSymmetricKey(type: KeyType, scheme: KeyScheme, cryptogram: [UInt8], privateKey: RSAKeyReference,
                                      expectedCheckValue: [UInt8]? = nil, storeAt store: StoreTarget? = nil) throws -> KeyWithCheckValue {
        let name = "RSA import symmetric key"
        try TypedCommand.checkRSA(privateKey, isPrivate: true, name)
        try TypedCommand.checkStore(store, name)
        guard (128...512).contains(cryptogram.count) else { throw TypedCommand.invalid(name, "cryptogram of \(cryptogram.count) bytes (128 to 512)") }
        if let k = expectedCheckValue, k.count != 8 { throw TypedCommand.invalid(name, "expected check value must be 8 bytes, got \(k.count)") }
        let req = RSAImportSymmetricKeyRequest(keyType: type, scheme: scheme, store: store,
                                               expectedCheckValue: expectedCheckValue ?? [UInt8](repeating: 0, count: 8),
                                               cryptogram: cryptogram, privateKey: privateKey)
        let r = try command(req, name, RSAImportSymmetricKeyResponse.self, idempotent: store == nil)
        try TypedCommand.checkReturnedKey(r.key, scheme, "key", CommandCode("TW"), name)
        return KeyWithCheckValue(key: r.key, checkValue: r.checkValue)
    }
}

extension TypedCommand {
    static func checkAuthData(_ a: [UInt8], _ name: String) throws {
        guard a.count <= 128, !a.contains(UInt8(ascii: ";")) else {
            throw invalid(name, "authentication data must be at most 128 bytes without ';'")
        }
    }
}
