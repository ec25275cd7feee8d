import HostProtocol

/// `E1`/`E2` generate an SM2 key pair.
/// Request (`SM2GenerateRequest`): [`K` index 4N, label length 2N, label].
/// Response (`SM2GenerateResponse`): public key 128H, private key under LMK 64H.
/// Errors: `15` `K` index out of range; besides `13`, `15`, `80` from the request layout.
enum SM2GenerateHandler {
    static let entry = (SM2GenerateRequest.command, CommandHandler(run: Handlers.typed(generate)))

    static func generate(_ ctx: HandlerContext, _ r: SM2GenerateRequest) throws -> SM2GenerateResponse {
        var d = try SM2Ops.generatePrivate()
        defer { Prim.cleanse(&d) }
        let q = try SM2Ops.publicKey(ofPrivate: d)
        let wrapped = try SM2HandlerSupport.wrap(ctx, d)
        if let t = r.store { try SM2HandlerSupport.store(ctx, t, wrapped: wrapped, q: q) }
        return SM2GenerateResponse(publicKey: q, privateKeyUnderLMK: wrapped)
    }
}
