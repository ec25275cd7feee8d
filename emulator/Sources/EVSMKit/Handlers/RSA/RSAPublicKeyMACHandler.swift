import HSMCrypto
import HostProtocol

/// `EO`/`EP` MAC a DER public key (with up to 128 bytes of authentication data) so that
/// `TV` accepts it inline.
/// Request (`RSAPublicKeyMACRequest`): algorithm 2N, DER public key, authentication data.
/// Response (`RSAPublicKeyMACResponse`): MAC 4B (see `RSAHandlerSupport.publicKeyMAC`).
/// Errors: `15` algorithm, not a valid RSA public key, `;` in the data.
enum RSAPublicKeyMACHandler {
    static let entry = (RSAPublicKeyMACRequest.command, CommandHandler(run: Handlers.typed(mac)))

    static func mac(_ ctx: HandlerContext, _ r: RSAPublicKeyMACRequest) throws -> RSAPublicKeyMACResponse {
        try RSAHandlerSupport.checkAlgorithm(r.algorithm)
        guard HSMCrypto.RSA.isValidPublicKey(r.publicKey) else { throw HostFailure(.invalidInput) }
        return RSAPublicKeyMACResponse(mac: try RSAHandlerSupport.publicKeyMAC(ctx, publicKey: r.publicKey, authData: r.authData))
    }
}
