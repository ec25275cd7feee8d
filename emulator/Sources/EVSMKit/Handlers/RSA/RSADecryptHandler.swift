import HSMCrypto
import HostProtocol

/// `3B`/`3C` RSA private-key decrypt (key usage 1 or 2).
/// Request (`RSADecryptRequest`): algorithm 2N, padding 2N, length 4N, ciphertext, `;`,
/// private key (`K` index or `K9999` + 4N length + blob).
/// Response (`RSADataResponse`): length 4N, plaintext.
/// Errors: `80` ciphertext not the modulus length, `15` padding does not decode (or
/// algorithm / padding code), `10` blob refused, `27` a signing-only key, `12` for an index.
enum RSADecryptHandler {
    static let entry = (RSADecryptRequest.command, CommandHandler(run: Handlers.typed(decrypt)))

    static func decrypt(_ ctx: HandlerContext, _ r: RSADecryptRequest) throws -> RSADataResponse {
        try RSAHandlerSupport.checkAlgorithm(r.algorithm)
        let padding = try RSAHandlerSupport.encryptionPadding(r.padding)
        let key = try RSAHandlerSupport.privateKeyObject(ctx, r.privateKey, for: .keyManagement)
        guard r.data.count == key.modulusBytes else { throw HostFailure(.lengthError) }
        return RSADataResponse(data: try RSAHandlerSupport.crypto { try HSMCrypto.RSA.decrypt(r.data, privateKey: key, padding: padding) })
    }
}
