import HSMCrypto
import HostProtocol

/// `E5`/`E6` SM2 sign, SM3 over Z || M (vendor layout; an empty user id means
/// `1234567812345678`).
/// Request (`SM2SignRequest`): hash `20`, curve `07`, user-id length 4N, user id, `;`,
/// length 4N, data, `;`, key pair (`K` index or `K9999` + DER + 4N + blob), format `0`.
/// Response (`SM2DataResponse`): length 4N (`0064`), signature r || s.
/// Errors: `15` hash other than `20`, a carried DER that is not the private key's, `10`/`15`
/// a bad blob, `12`/`27` for an index; besides `13`, `15`, `80` from the request layout.
enum SM2SignHandler {
    static let entry = (SM2SignRequest.command, CommandHandler(run: Handlers.typed(sign)))

    static func sign(_ ctx: HandlerContext, _ r: SM2SignRequest) throws -> SM2DataResponse {
        var pair = try SM2HandlerSupport.keyPair(ctx, r.key)
        defer { SecureBytes.wipe(&pair.d) }
        return SM2DataResponse(data: try SM2Ops.sign(privateKey: pair.d, publicKey: pair.q, userID: SM2HandlerSupport.uid(r.userID), message: r.data))
    }
}
