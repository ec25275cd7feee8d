import HostProtocol

/// `E2`/`E3` load an SM2 private key under the LMK into a `K` index.
/// Request (`SM2LoadRequest`): private key under LMK 64H, `K` index 4N, label length 2N, label.
/// Response (`SM2PublicKeyResponse`): public key 128H.
/// Errors: `15` not a valid SM2 key or `K` index out of range; besides `13`, `15`, `80` from
/// the request layout.
enum SM2LoadHandler {
    static let entry = (SM2LoadRequest.command, CommandHandler(run: Handlers.typed(load)))

    static func load(_ ctx: HandlerContext, _ r: SM2LoadRequest) throws -> SM2PublicKeyResponse {
        var d = try SM2HandlerSupport.privateKey(ctx, .value(r.privateKeyUnderLMK))
        defer { Prim.cleanse(&d) }
        let q = try SM2Ops.publicKey(ofPrivate: d)
        try SM2HandlerSupport.store(ctx, r.store, wrapped: r.privateKeyUnderLMK, q: q)
        return SM2PublicKeyResponse(publicKey: q)
    }
}
