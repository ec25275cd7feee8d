import HostProtocol

/// `A0`/`A1` generate a key.
/// Request (`GenerateKeyRequest`): mode 1N (0, 1), key type 3H, LMK scheme 1A, [mode 1: ZMK
/// field, ZMK scheme 1A], [`K` index 4N, label length 2N, label].
/// Response (`GenerateKeyResponse`): key under LMK (field), [key under ZMK (field)], KCV 16H.
/// Errors: `27` key type, `26` scheme (SM1, or ZMK scheme not matching the key), `10` ZMK
/// parity, `15` `K` index out of range; besides `13`, `15`, `80` from the request layout.
enum GenerateKeyHandler {
    static let entry = (GenerateKeyRequest.command, CommandHandler(writesState: true, run: Handlers.typed(generate)))

    static func generate(_ ctx: HandlerContext, _ r: GenerateKeyRequest) throws -> GenerateKeyResponse {
        try KeyHandlerSupport.requireKnownType(r.keyType)
        try KeyHandlerSupport.requireUsableScheme(r.lmkScheme)
        var clear = ClearKey(bytes: try HandlerContext.generate(r.lmkScheme), scheme: r.lmkScheme)
        defer { clear.wipe() }
        let underLMK = try LMKCipher.encrypt(try ctx.keys, clear: clear.bytes, type: r.keyType, scheme: r.lmkScheme)
        var underZMK: KeyField?
        if let zf = r.zmk {
            let zs = r.zmkScheme ?? r.lmkScheme
            try KeyHandlerSupport.requireUsableScheme(zs)
            try KeyHandlerSupport.requireCompatible(zs, r.lmkScheme)
            var zmk = try ctx.clearKey(zf, type: .zmk, parity: .sourceKeyParity)
            defer { zmk.wipe() }
            underZMK = .encrypted(scheme: zs, material: try HandlerContext.underZMK(clear.bytes, zmk: zmk, scheme: zs, encrypt: true))
        }
        let kcv = try HandlerContext.checkValue(clear)
        try KeyHandlerSupport.storeIfAsked(ctx, r.store, type: r.keyType, scheme: r.lmkScheme, material: underLMK)
        return GenerateKeyResponse(keyUnderLMK: .encrypted(scheme: r.lmkScheme, material: underLMK), keyUnderZMK: underZMK, checkValue: kcv)
    }
}
