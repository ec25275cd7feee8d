import HostProtocol

/// `E3`/`E4` SM2 encrypt (vendor layout).
/// Request (`SM2EncryptRequest`): curve `07`, length 4N, data, `;`, public key (`K` index or
/// `K9999` + DER), format `0`.
/// Response (`SM2DataResponse`): length 4N, ciphertext C1 || C3 || C2 (97 bytes longer).
/// Errors: `15` not an SM2 public key / curve point, `80` empty data or a ciphertext longer
/// than 9999, `12`/`27` for an index; besides `13`, `15`, `80` from the request layout.
enum SM2EncryptHandler {
    static let entry = (SM2EncryptRequest.command, CommandHandler(run: Handlers.typed(encrypt)))

    static func encrypt(_ ctx: HandlerContext, _ r: SM2EncryptRequest) throws -> SM2DataResponse {
        guard !r.data.isEmpty else { throw HostFailure(.lengthError) }
        let q = try SM2HandlerSupport.publicKey(ctx, r.publicKey)
        let c = try SM2Ops.encrypt(publicKey: q, plain: r.data)
        guard c.count <= 9999 else { throw HostFailure(.lengthError) }
        return SM2DataResponse(data: c)
    }
}
