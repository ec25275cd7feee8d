import HostProtocol

/// `TQ`/`TR` MAC of an SM2 public key and authentication data (vendor layout).
/// Request (`SM2PublicKeyMACRequest`): curve `07`, DER public key, authentication data.
/// Response (`SM2PublicKeyMACResponse`): 4 bytes, `SM2HandlerSupport.publicKeyMAC`.
/// evsm has no separate authorised state for host commands: it answers whenever it has a DMK.
/// Errors: `15` not an SM2 public key, `;` in the authentication data; besides `13`, `15`,
/// `80` from the request layout.
enum SM2PublicKeyMACHandler {
    static let entry = (SM2PublicKeyMACRequest.command, CommandHandler(run: Handlers.typed(mac)))

    static func mac(_ ctx: HandlerContext, _ r: SM2PublicKeyMACRequest) throws -> SM2PublicKeyMACResponse {
        _ = try SM2HandlerSupport.point(r.publicKeyDER)
        return SM2PublicKeyMACResponse(mac: try SM2HandlerSupport.publicKeyMAC(ctx, der: r.publicKeyDER, authData: r.authData))
    }
}
