import HostProtocol

/// `KR`/`KS` generate a random key, optionally stored at an index.
/// Request (`ICGenerateKeyRequest`): key type 3H, scheme 1A, [SAVED-KEY: `K` index 4N,
/// label length 2N, label; index 9999 = not stored].
/// Response (`ICKeyResponse`): key under LMK, KCV 16H.
/// Errors: `27` key type, `26` scheme (SM1); besides `13`, `15`, `80` from the request layout.
enum GenerateStoredKeyHandler {
    static let entry = (ICGenerateKeyRequest.command, CommandHandler(writesState: true, run: Handlers.typed(generate)))

    static func generate(_ ctx: HandlerContext, _ r: ICGenerateKeyRequest) throws -> ICKeyResponse {
        try KeyHandlerSupport.requireKnownType(r.keyType)
        try KeyHandlerSupport.requireUsableScheme(r.scheme)
        var clear = ClearKey(bytes: try HandlerContext.generate(r.scheme), scheme: r.scheme)
        defer { clear.wipe() }
        let underLMK = try LMKCipher.encrypt(try ctx.keys, clear: clear.bytes, type: r.keyType, scheme: r.scheme)
        let kcv = try HandlerContext.checkValue(clear)
        try ICKeysHandlerSupport.store(ctx, r.store, type: r.keyType, scheme: r.scheme, material: underLMK)
        return ICKeyResponse(key: .encrypted(scheme: r.scheme, material: underLMK), checkValue: kcv)
    }
}
