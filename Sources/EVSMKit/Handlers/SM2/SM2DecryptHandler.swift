import HostProtocol

/// `E5`/`E6` SM2 decrypt.
/// Request (`SM2DecryptRequest`): private key (`K` or 64H), length 4N, ciphertext.
/// Response (`SM2DataResponse`): length 4N, plaintext.
/// Errors: `15` bad ciphertext or not a valid SM2 key, `12`/`27` for a `K` index; besides
/// `13`, `15`, `80` from the request layout.
enum SM2DecryptHandler {
    static let entry = (SM2DecryptRequest.command, CommandHandler(run: Handlers.typed(decrypt)))

    static func decrypt(_ ctx: HandlerContext, _ r: SM2DecryptRequest) throws -> SM2DataResponse {
        var d = try SM2HandlerSupport.privateKey(ctx, r.privateKey)
        defer { Prim.cleanse(&d) }
        do {
            return SM2DataResponse(data: try SM2Ops.decrypt(privateKey: d, cipher: r.ciphertext))
        } catch {
            throw HostFailure(.invalidInput)
        }
    }
}
