import HostProtocol

/// An RSA private key exported by `TR`: the public key (DER, or modulus and exponent when
/// asked for components) and d, p, q, dP, dQ, qInv under the transport key.
public struct RSAExportedKey: Equatable, Sendable {
    public var publicKey: [UInt8]?
    public var modulus: [UInt8]?
    public var exponent: [UInt8]?
    public var components: RSAWrappedComponents
}

/// RSA private keys under a transport key (`TR`, `TS`; docs/wire.md, "RSA commands").
extension CACipherClient {
    /// `TR`: exports a private key (an index 1...9998 or a blob) under a KEK (`000`) or MDK
    /// (`109`), optionally derived.
    @available(*, noasync)
    public func rsaExportPrivateKey(transportKey: RSATransportKey, privateKey: RSAKeyReference,
                                    extension ext: RSAExportRequest.Extension? = nil) throws -> RSAExportedKey {
        let name = "RSA export private key"
        try TypedCommand.checkTransportKey(transportKey, name)
        try TypedCommand.checkRSA(privateKey, isPrivate: true, name)
        if let e = ext {
            guard e.iv.isEmpty || e.iv.count == 8 || e.iv.count == 16 else { throw TypedCommand.invalid(name, "IV must be 8 or 16 bytes, got \(e.iv.count)") }
            guard (0...99).contains(e.padding) else { throw TypedCommand.invalid(name, "padding \(e.padding) is not 2 digits") }
        }
        let req = RSAExportRequest(transportKey: transportKey, privateKey: privateKey, ext: ext)
        if ext?.publicKeyAsComponents == true {
            let r = try command(req, name, RSAExportComponentsResponse.self)
            return RSAExportedKey(publicKey: nil, modulus: r.modulus, exponent: r.exponent, components: r.components)
        }
        let r = try command(req, name, RSAExportResponse.self)
        return RSAExportedKey(publicKey: r.publicKey, modulus: nil, exponent: nil, components: r.components)
    }

    /// `TS`: imports a private key from under a transport key; returns the blob under the
    /// LMK; with `storeAt` (1...9998) also keeps the pair inside (not re-sent after a
    /// failure that may have reached an HSM).
    @available(*, noasync)
    public func rsaImportPrivateKey(transportKey: RSATransportKey, publicKey: [UInt8], components: RSAWrappedComponents,
                                    storeAt store: StoreTarget? = nil) throws -> [UInt8] {
        let name = "RSA import private key"
        try TypedCommand.checkTransportKey(transportKey, name)
        try TypedCommand.checkRSA(.inline(publicKey), isPrivate: false, name)
        try TypedCommand.checkStore(store, name)
        if let s = store { try TypedCommand.checkRSAIndex(s.index, name) }
        for c in components.all { try TypedCommand.check4N(c.count, "component", name, min: 1) }
        let req = RSAImportRequest(transportKey: transportKey, store: store, publicKey: publicKey, components: components)
        return try command(req, name, RSAPrivateKeyResponse.self, idempotent: store == nil).privateKeyUnderLMK
    }
}

extension TypedCommand {
    static func checkTransportKey(_ tk: RSATransportKey, _ name: String) throws {
        guard tk.mode == 0 || tk.mode == 1 else { throw invalid(name, "mode \(tk.mode) is not 0 (ECB) or 1 (CBC)") }
        try checkKey(tk.key, "transport key", name)
        guard tk.derivation.count <= 99, tk.derivation.allSatisfy({ $0.count == 16 }) else {
            throw invalid(name, "derivation data must be 16 bytes per level, at most 99 levels")
        }
    }
}
