import HSMCrypto
import HostProtocol

/// `3A`/`3B` RSA public-key encrypt.
/// Request (`RSAEncryptRequest`): algorithm 2N (`01`), padding 2N (`00` none, `01` PKCS#1
/// v1.5, `02` OAEP SHA-1), data length 4N, data, `;`, public key (`K` index or `K9999` + DER).
/// Response (`RSADataResponse`): length 4N, ciphertext (modulus length).
/// Errors: `15` algorithm, padding or DER, `80` data too long for the padding (or not the
/// modulus length for `00`), `12`/`27` for an index.
enum RSAEncryptHandler {
    static let entry = (RSAEncryptRequest.command, CommandHandler(run: Handlers.typed(encrypt)))

    static func encrypt(_ ctx: HandlerContext, _ r: RSAEncryptRequest) throws -> RSADataResponse {
        try RSAHandlerSupport.checkAlgorithm(r.algorithm)
        let padding = try RSAHandlerSupport.encryptionPadding(r.padding)
        let pub = try RSAHandlerSupport.publicKeyObject(ctx, r.publicKey)
        let k = pub.modulusBytes
        let fits: Bool
        switch padding {
        case .none: fits = r.data.count == k
        case .pkcs1: fits = r.data.count <= k - 11
        case .oaepSHA1: fits = r.data.count <= k - 42
        }
        guard fits else { throw HostFailure(.lengthError) }
        return RSADataResponse(data: try RSAHandlerSupport.crypto { try HSMCrypto.RSA.encrypt(r.data, publicKey: pub, padding: padding) })
    }
}
