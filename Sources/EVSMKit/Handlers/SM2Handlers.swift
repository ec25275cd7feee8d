import HostProtocol

/// SM2 family `E1`..`E7`. Private keys under the LMK are SM4-ECB(SM2 storage key, d).
enum SM2Handlers {
    static let entries: [(CommandCode, CommandHandler)] = [
        (SM2GenerateRequest.command, CommandHandler(run: Handlers.typed(generate))),
        (SM2LoadRequest.command, CommandHandler(run: Handlers.typed(load))),
        (SM2PublicKeyRequest.command, CommandHandler(run: Handlers.typed(publicKey))),
        (SM2EncryptRequest.command, CommandHandler(run: Handlers.typed(encrypt))),
        (SM2DecryptRequest.command, CommandHandler(run: Handlers.typed(decrypt))),
        (SM2SignRequest.command, CommandHandler(run: Handlers.typed(sign))),
        (SM2VerifyRequest.command, CommandHandler(run: verify)),
    ]

    static func wrap(_ ctx: HandlerContext, _ d: [UInt8]) throws -> [UInt8] {
        try Prim.crypt(.sm4, key: try ctx.keys.sm2Storage, data: d, encrypt: true)
    }

    /// The clear scalar from a private key field; `15` when it is not a valid SM2 key.
    static func privateKey(_ ctx: HandlerContext, _ f: SM2KeyField) throws -> [UInt8] {
        let wrapped: [UInt8]
        switch f {
        case let .value(v): wrapped = v
        case let .stored(i):
            guard let k = ctx.device.storedKey(i) else { throw HostFailure(.noKeyAtIndex) }
            guard k.kind == .sm2 else { throw HostFailure(.keyTypeNotPermitted) }
            wrapped = k.material
        }
        guard wrapped.count == 32 else { throw HostFailure(.invalidInput) }
        var d = try Prim.crypt(.sm4, key: try ctx.keys.sm2Storage, data: wrapped, encrypt: false)
        guard SM2Ops.isValidPrivate(d) else {
            Prim.cleanse(&d)
            throw HostFailure(.invalidInput)
        }
        return d
    }

    static func publicKey(_ ctx: HandlerContext, _ f: SM2KeyField) throws -> [UInt8] {
        switch f {
        case let .value(v):
            guard SM2Ops.isValidPublic(v) else { throw HostFailure(.invalidInput) }
            return v
        case let .stored(i):
            guard let k = ctx.device.storedKey(i) else { throw HostFailure(.noKeyAtIndex) }
            guard k.kind == .sm2, let q = k.publicKey else { throw HostFailure(.keyTypeNotPermitted) }
            return q
        }
    }

    static func store(_ ctx: HandlerContext, _ t: StoreTarget, wrapped: [UInt8], q: [UInt8]) throws {
        guard t.index >= 1, t.index <= 9999 else { throw HostFailure(.invalidInput) }
        try ctx.device.store(StoredKey(index: t.index, label: t.label, kind: .sm2, keyType: "", scheme: "",
                                       material: wrapped, publicKey: q))
    }

    static func generate(_ ctx: HandlerContext, _ r: SM2GenerateRequest) throws -> SM2GenerateResponse {
        var d = try SM2Ops.generatePrivate()
        defer { Prim.cleanse(&d) }
        let q = try SM2Ops.publicKey(ofPrivate: d)
        let wrapped = try wrap(ctx, d)
        if let t = r.store { try store(ctx, t, wrapped: wrapped, q: q) }
        return SM2GenerateResponse(publicKey: q, privateKeyUnderLMK: wrapped)
    }

    static func load(_ ctx: HandlerContext, _ r: SM2LoadRequest) throws -> SM2PublicKeyResponse {
        var d = try privateKey(ctx, .value(r.privateKeyUnderLMK))
        defer { Prim.cleanse(&d) }
        let q = try SM2Ops.publicKey(ofPrivate: d)
        try store(ctx, r.store, wrapped: r.privateKeyUnderLMK, q: q)
        return SM2PublicKeyResponse(publicKey: q)
    }

    static func publicKey(_ ctx: HandlerContext, _ r: SM2PublicKeyRequest) throws -> SM2PublicKeyResponse {
        var d = try privateKey(ctx, r.privateKey)
        defer { Prim.cleanse(&d) }
        return SM2PublicKeyResponse(publicKey: try SM2Ops.publicKey(ofPrivate: d))
    }

    static func encrypt(_ ctx: HandlerContext, _ r: SM2EncryptRequest) throws -> SM2DataResponse {
        guard !r.data.isEmpty else { throw HostFailure(.lengthError) }
        let q = try publicKey(ctx, r.publicKey)
        let c = try SM2Ops.encrypt(publicKey: q, plain: r.data)
        guard c.count <= 9999 else { throw HostFailure(.lengthError) }
        return SM2DataResponse(data: c)
    }

    static func decrypt(_ ctx: HandlerContext, _ r: SM2DecryptRequest) throws -> SM2DataResponse {
        var d = try privateKey(ctx, r.privateKey)
        defer { Prim.cleanse(&d) }
        do {
            return SM2DataResponse(data: try SM2Ops.decrypt(privateKey: d, cipher: r.ciphertext))
        } catch {
            throw HostFailure(.invalidInput)
        }
    }

    static func uid(_ u: [UInt8]) -> [UInt8] { u.isEmpty ? SM2Ops.defaultUserID : u }

    static func sign(_ ctx: HandlerContext, _ r: SM2SignRequest) throws -> SM2SignResponse {
        var d = try privateKey(ctx, r.privateKey)
        defer { Prim.cleanse(&d) }
        return SM2SignResponse(signature: try SM2Ops.sign(privateKey: d, userID: uid(r.userID), message: r.data))
    }

    static func verify(_ ctx: HandlerContext, _ fields: ArraySlice<UInt8>) throws -> HandlerOutput {
        let r = try SM2VerifyRequest.decodeAll(fields)
        let q = try publicKey(ctx, r.publicKey)
        let ok: Bool
        do { ok = try SM2Ops.verify(publicKey: q, userID: uid(r.userID), message: r.data, signature: r.signature) } catch {
            throw HostFailure(.invalidInput)
        }
        return HandlerOutput(code: ok ? .ok : .verificationFailed, fields: [])
    }
}
