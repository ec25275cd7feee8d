import HSMCrypto
import HostProtocol

/// `EY`/`EZ` RSA verify a signature.
/// Request (`RSAVerifyRequest`): hash 2N, algorithm 2N, padding 2N, signature length 4N,
/// signature, `;`, data length 4N, data, `;`, public key (`K` index or `K9999` + DER).
/// Response: no fields; `00` valid, `01` invalid (also a signature of the wrong length).
/// Errors: `15` hash / algorithm / padding code or DER, `12`/`27` for an index.
enum RSAVerifyHandler {
    static let entry = (RSAVerifyRequest.command, CommandHandler(run: verify))

    static func verify(_ ctx: HandlerContext, _ fields: ArraySlice<UInt8>) throws -> HandlerOutput {
        let r = try RSAVerifyRequest.decodeAll(fields)
        let md = try RSAHandlerSupport.digest(r.hash)
        try RSAHandlerSupport.checkAlgorithm(r.algorithm)
        let padding = try RSAHandlerSupport.signaturePadding(r.padding)
        let pub = try RSAHandlerSupport.publicKeyObject(ctx, r.publicKey)
        let ok = try RSAHandlerSupport.crypto {
            try HSMCrypto.RSA.verify(r.signature, message: r.data, digest: md, publicKey: pub, padding: padding)
        }
        return HandlerOutput(code: ok ? .ok : .verificationFailed, fields: [])
    }
}
