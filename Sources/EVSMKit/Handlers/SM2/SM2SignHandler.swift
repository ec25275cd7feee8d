import HostProtocol

/// `E6`/`E7` SM2 sign (SM3 over Z‖M; an empty user id means `1234567812345678`).
/// Request (`SM2SignRequest`): private key (`K` or 64H), user-id length 4N, user id,
/// length 4N, data.
/// Response (`SM2SignResponse`): signature 128H r‖s.
/// Errors: `15` not a valid SM2 key, `12`/`27` for a `K` index; besides `13`, `15`, `80` from
/// the request layout.
enum SM2SignHandler {
    static let entry = (SM2SignRequest.command, CommandHandler(run: Handlers.typed(sign)))

    static func sign(_ ctx: HandlerContext, _ r: SM2SignRequest) throws -> SM2SignResponse {
        var d = try SM2HandlerSupport.privateKey(ctx, r.privateKey)
        defer { Prim.cleanse(&d) }
        return SM2SignResponse(signature: try SM2Ops.sign(privateKey: d, userID: SM2HandlerSupport.uid(r.userID), message: r.data))
    }
}
