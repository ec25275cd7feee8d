import HSMCrypto
import HostProtocol

/// `E4`/`E5` SM2 decrypt (vendor layout).
/// Request (`SM2DecryptRequest`): curve `07`, format `0`, length 4N, ciphertext
/// C1 || C3 || C2, `;`, private key (`K` index or `K9999` + 4N + blob under the LMK).
/// Response (`SM2DataResponse`): length 4N, plaintext.
/// Errors: `15` a ciphertext that does not decrypt (C3 check), `10`/`15` a bad blob,
/// `12`/`27` for an index; besides `13`, `15`, `80` from the request layout.
enum SM2DecryptHandler {
    static let entry = (SM2DecryptRequest.command, CommandHandler(run: Handlers.typed(decrypt)))

    static func decrypt(_ ctx: HandlerContext, _ r: SM2DecryptRequest) throws -> SM2DataResponse {
        var d = try SM2HandlerSupport.privateKey(ctx, r.privateKey)
        defer { SecureBytes.wipe(&d) }
        do {
            return SM2DataResponse(data: try SM2Ops.decrypt(privateKey: d, cipher: r.ciphertext))
        } catch {
            throw HostFailure(.invalidInput)
        }
    }
}
