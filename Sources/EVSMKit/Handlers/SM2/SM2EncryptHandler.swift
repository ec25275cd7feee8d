import HostProtocol

/// `E4`/`E5` SM2 encrypt.
/// Request (`SM2EncryptRequest`): public key (`K` index or 128H), length 4N, data.
/// Response (`SM2DataResponse`): length 4N, ciphertext C1‖C3‖C2.
/// Errors: `15` not a curve point, `80` empty data or ciphertext too long, `12`/`27` for a
/// `K` index; besides `13`, `15`, `80` from the request layout.
enum SM2EncryptHandler {
    static let entry = (SM2EncryptRequest.command, CommandHandler(run: Handlers.typed(encrypt)))

    static func encrypt(_ ctx: HandlerContext, _ r: SM2EncryptRequest) throws -> SM2DataResponse {
        guard !r.data.isEmpty else { throw HostFailure(.lengthError) }
        let q = try SM2HandlerSupport.publicKey(ctx, r.publicKey)
        let c = try SM2Ops.encrypt(publicKey: q, plain: r.data)
        guard c.count <= 9999 else { throw HostFailure(.lengthError) }
        return SM2DataResponse(data: c)
    }
}
