import HostProtocol

/// `A0` generate, `A6` import from ZMK, `A8` export to ZMK, `A4` form from components,
/// `BU` key check value.
enum KeyHandlers {
    static let entries: [(CommandCode, CommandHandler)] = [
        (GenerateKeyRequest.command, CommandHandler(run: Handlers.typed(generate))),
        (ImportKeyRequest.command, CommandHandler(run: Handlers.typed(importKey))),
        (ExportKeyRequest.command, CommandHandler(run: Handlers.typed(exportKey))),
        (FormKeyRequest.command, CommandHandler(run: Handlers.typed(form))),
        (CheckValueRequest.command, CommandHandler(run: Handlers.typed(checkValue))),
    ]

    /// Types these commands accept: every type with an LMK pair (see KeyType).
    static func requireKnownType(_ t: KeyType) throws {
        guard t.lmkPairIndex != nil else { throw HostFailure(.keyTypeNotPermitted) }
    }

    /// Key schemes usable under the LMK: P (SM1) is refused with 26.
    static func requireUsableScheme(_ s: KeyScheme) throws {
        if s == .sm1 { throw HostFailure(.invalidKeyScheme) }
    }

    /// Two schemes describe the same kind of clear key (family and length).
    static func requireCompatible(_ a: KeyScheme, _ b: KeyScheme) throws {
        guard a.keyLength == b.keyLength, (a.algorithm == .des) == (b.algorithm == .des),
              a.algorithm == .des || a.algorithm == b.algorithm else { throw HostFailure(.invalidKeyScheme) }
    }

    static func storeIfAsked(_ ctx: HandlerContext, _ target: StoreTarget?, type: KeyType, scheme: KeyScheme, material: [UInt8]) throws {
        guard let t = target else { return }
        guard t.index >= 1, t.index <= 9999 else { throw HostFailure(.invalidInput) }
        let tag = String(decoding: [scheme.tag], as: UTF8.self)
        try ctx.device.store(StoredKey(index: t.index, label: t.label, kind: .symmetric, keyType: type.description,
                                       scheme: tag, material: material, publicKey: nil))
    }

    static func generate(_ ctx: HandlerContext, _ r: GenerateKeyRequest) throws -> GenerateKeyResponse {
        try requireKnownType(r.keyType)
        try requireUsableScheme(r.lmkScheme)
        var clear = ClearKey(bytes: try HandlerContext.generate(r.lmkScheme), scheme: r.lmkScheme)
        defer { clear.wipe() }
        let underLMK = try LMKCipher.encrypt(try ctx.keys, clear: clear.bytes, type: r.keyType, scheme: r.lmkScheme)
        var underZMK: KeyField?
        if let zf = r.zmk {
            let zs = r.zmkScheme ?? r.lmkScheme
            try requireUsableScheme(zs)
            try requireCompatible(zs, r.lmkScheme)
            var zmk = try ctx.clearKey(zf, type: .zmk, parity: .sourceKeyParity)
            defer { zmk.wipe() }
            underZMK = .encrypted(scheme: zs, material: try HandlerContext.underZMK(clear.bytes, zmk: zmk, scheme: zs, encrypt: true))
        }
        let kcv = try HandlerContext.checkValue(clear)
        try storeIfAsked(ctx, r.store, type: r.keyType, scheme: r.lmkScheme, material: underLMK)
        return GenerateKeyResponse(keyUnderLMK: .encrypted(scheme: r.lmkScheme, material: underLMK), keyUnderZMK: underZMK, checkValue: kcv)
    }

    /// Errors: ZMK parity `10`. The imported DES key gets odd parity.
    static func importKey(_ ctx: HandlerContext, _ r: ImportKeyRequest) throws -> ImportKeyResponse {
        try requireKnownType(r.keyType)
        try requireUsableScheme(r.lmkScheme)
        guard case let .encrypted(zs, material) = r.keyUnderZMK else { throw HostFailure(.invalidInput) }
        try requireUsableScheme(zs)
        try requireCompatible(zs, r.lmkScheme)
        var zmk = try ctx.clearKey(r.zmk, type: .zmk, parity: .sourceKeyParity)
        defer { zmk.wipe() }
        var clear = ClearKey(bytes: try HandlerContext.underZMK(material, zmk: zmk, scheme: zs, encrypt: false), scheme: r.lmkScheme)
        defer { clear.wipe() }
        // As payShield's key import (and public simulators), the imported DES key is
        // parity-adjusted; the KCV is that of the adjusted key.
        if clear.cipher == .des { Prim.adjustParity(&clear.bytes) }
        let underLMK = try LMKCipher.encrypt(try ctx.keys, clear: clear.bytes, type: r.keyType, scheme: r.lmkScheme)
        try storeIfAsked(ctx, r.store, type: r.keyType, scheme: r.lmkScheme, material: underLMK)
        return ImportKeyResponse(key: .encrypted(scheme: r.lmkScheme, material: underLMK), checkValue: try HandlerContext.checkValue(clear))
    }

    /// Errors: ZMK parity `10`, exported key parity `11`.
    static func exportKey(_ ctx: HandlerContext, _ r: ExportKeyRequest) throws -> ExportKeyResponse {
        try requireKnownType(r.keyType)
        try requireUsableScheme(r.zmkScheme)
        var zmk = try ctx.clearKey(r.zmk, type: .zmk, parity: .sourceKeyParity)
        defer { zmk.wipe() }
        var clear = try ctx.clearKey(r.key, type: r.keyType, parity: .destinationKeyParity)
        defer { clear.wipe() }
        try requireCompatible(r.zmkScheme, clear.scheme)
        let out = try HandlerContext.underZMK(clear.bytes, zmk: zmk, scheme: r.zmkScheme, encrypt: true)
        return ExportKeyResponse(key: .encrypted(scheme: r.zmkScheme, material: out), checkValue: try HandlerContext.checkValue(clear))
    }

    /// XOR of the clear components (each under the LMK of the type); DES results get odd parity.
    static func form(_ ctx: HandlerContext, _ r: FormKeyRequest) throws -> FormKeyResponse {
        try requireKnownType(r.keyType)
        try requireUsableScheme(r.lmkScheme)
        guard (2...9).contains(r.components.count) else { throw HostFailure(.invalidInput) }
        var acc = [UInt8](repeating: 0, count: r.lmkScheme.keyLength)
        defer { Prim.cleanse(&acc) }
        for c in r.components {
            var k = try ctx.clearKey(c, type: r.keyType)
            defer { k.wipe() }
            try requireCompatible(k.scheme, r.lmkScheme)
            for i in acc.indices { acc[i] ^= k.bytes[i] }
        }
        if r.lmkScheme.algorithm == .des { Prim.adjustParity(&acc) }
        var clear = ClearKey(bytes: acc, scheme: r.lmkScheme)
        defer { clear.wipe() }
        let underLMK = try LMKCipher.encrypt(try ctx.keys, clear: clear.bytes, type: r.keyType, scheme: r.lmkScheme)
        return FormKeyResponse(key: .encrypted(scheme: r.lmkScheme, material: underLMK), checkValue: try HandlerContext.checkValue(clear))
    }

    static func checkValue(_ ctx: HandlerContext, _ r: CheckValueRequest) throws -> CheckValueResponse {
        guard let t = r.effectiveKeyType else { throw HostFailure(.invalidInput) }
        try requireKnownType(t)
        var k = try ctx.clearKey(r.key, type: t)
        defer { k.wipe() }
        let expected = k.scheme.algorithm == .des ? (k.bytes.count / 8 - 1) : 1
        guard r.lengthFlag == expected else { throw HostFailure(.invalidInput) }
        return CheckValueResponse(checkValue: try HandlerContext.checkValue(k))
    }
}
