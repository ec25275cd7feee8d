import HSMCrypto
import HostProtocol

/// `EW`/`EX` RSA sign (key usage 0 or 2); the HSM hashes the data.
/// Request (`RSASignRequest`): hash 2N (01 SHA-1, 05 SHA-224, 06 SHA-256, 07 SHA-384,
/// 08 SHA-512, 20 SM3), algorithm 2N, padding 2N (`01` PKCS#1 v1.5, `02` PSS), length 4N,
/// data, `;`, private key (`K` index or `K9999` + 4N length + blob).
/// Response (`RSADataResponse`): length 4N, signature (modulus length).
/// Errors: `15` hash / algorithm / padding code, `10` blob refused, `27` a key-management-only
/// key, `12` for an index.
enum RSASignHandler {
    static let entry = (RSASignRequest.command, CommandHandler(run: Handlers.typed(sign)))

    static func sign(_ ctx: HandlerContext, _ r: RSASignRequest) throws -> RSADataResponse {
        let md = try RSAHandlerSupport.digest(r.hash)
        try RSAHandlerSupport.checkAlgorithm(r.algorithm)
        let padding = try RSAHandlerSupport.signaturePadding(r.padding)
        let key = try RSAHandlerSupport.privateKeyObject(ctx, r.privateKey, for: .sign)
        return RSADataResponse(data: try RSAHandlerSupport.crypto {
            try HSMCrypto.RSA.sign(r.data, digest: md, privateKey: key, padding: padding)
        })
    }
}
