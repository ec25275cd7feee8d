import HostProtocol

/// `ER`/`ES` the DER public key of an RSA pair held inside.
/// Request (`RSAPublicKeyRequest`): `K` index 4N. Response (`RSAPublicKeyResponse`): DER.
/// Errors: `12` nothing stored there, `27` not an RSA pair, `15` `K9999` (no key held there).
enum RSAPublicKeyHandler {
    static let entry = (RSAPublicKeyRequest.command, CommandHandler(run: Handlers.typed(publicKey)))

    static func publicKey(_ ctx: HandlerContext, _ r: RSAPublicKeyRequest) throws -> RSAPublicKeyResponse {
        guard r.index < RSAKeyReference.inlineIndex else { throw HostFailure(.invalidInput) }
        return RSAPublicKeyResponse(publicKey: try RSAHandlerSupport.publicKey(ctx, .stored(index: r.index)))
    }
}
