import HSMCrypto
import HostProtocol

/// `E2`/`E3` the public key of an SM2 pair held at an index (vendor layout: `K` + 4N).
/// evsm extension: `K9999` + 4N length + private key under the LMK gives the public key of
/// that blob (a real TASS device takes only an index).
/// Response (`SM2PublicKeyResponse`): DER public key (91 bytes).
/// Errors: `12` nothing at the index, `27` not an SM2 pair, `10`/`15` a bad blob; besides
/// `13`, `15`, `80` from the request layout.
enum SM2PublicKeyHandler {
    static let entry = (SM2PublicKeyRequest.command, CommandHandler(run: Handlers.typed(publicKey)))

    static func publicKey(_ ctx: HandlerContext, _ r: SM2PublicKeyRequest) throws -> SM2PublicKeyResponse {
        switch r.privateKey {
        case let .stored(i):
            guard let q = try SM2HandlerSupport.stored(ctx, i).publicKey else { throw HostFailure(.keyTypeNotPermitted) }
            return SM2PublicKeyResponse(publicKeyDER: try SM2HandlerSupport.der(q))
        case .carried:
            var d = try SM2HandlerSupport.privateKey(ctx, r.privateKey)
            defer { SecureBytes.wipe(&d) }
            return SM2PublicKeyResponse(publicKeyDER: try SM2HandlerSupport.der(try SM2Ops.publicKey(ofPrivate: d)))
        }
    }
}
