import HostProtocol

/// `E3`/`E4` the public key of an SM2 private key.
/// Request (`SM2PublicKeyRequest`): private key (`K` index or 64H).
/// Response (`SM2PublicKeyResponse`): public key 128H.
/// Errors: `12` no key at the index, `27` not an SM2 index, `15` not a valid SM2 key;
/// besides `13`, `15`, `80` from the request layout.
enum SM2PublicKeyHandler {
    static let entry = (SM2PublicKeyRequest.command, CommandHandler(run: Handlers.typed(publicKey)))

    static func publicKey(_ ctx: HandlerContext, _ r: SM2PublicKeyRequest) throws -> SM2PublicKeyResponse {
        var d = try SM2HandlerSupport.privateKey(ctx, r.privateKey)
        defer { Prim.cleanse(&d) }
        return SM2PublicKeyResponse(publicKey: try SM2Ops.publicKey(ofPrivate: d))
    }
}
