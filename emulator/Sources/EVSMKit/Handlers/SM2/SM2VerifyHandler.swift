import HostProtocol

/// `E6`/`E7` SM2 verify a signature (vendor layout).
/// Request (`SM2VerifyRequest`): hash `20`, curve `07`, user-id length 4N, user id, `;`,
/// format `0`, signature length 4N, signature r || s, `;`, length 4N, data, `;`, public key
/// (`K` index or `K9999` + DER).
/// Response: no fields; `00` valid, `01` invalid.
/// Errors: `15` not an SM2 public key or a signature that is not 64 bytes, `12`/`27` for an
/// index; besides `13`, `15`, `80` from the request layout.
enum SM2VerifyHandler {
    static let entry = (SM2VerifyRequest.command, CommandHandler(run: verify))

    static func verify(_ ctx: HandlerContext, _ fields: ArraySlice<UInt8>) throws -> HandlerOutput {
        let r = try SM2VerifyRequest.decodeAll(fields)
        let q = try SM2HandlerSupport.publicKey(ctx, r.publicKey)
        guard r.signature.count == 64 else { throw HostFailure(.invalidInput) }
        let ok: Bool
        do { ok = try SM2Ops.verify(publicKey: q, userID: SM2HandlerSupport.uid(r.userID), message: r.data, signature: r.signature) } catch {
            throw HostFailure(.invalidInput)
        }
        return HandlerOutput(code: ok ? .ok : .verificationFailed, fields: [])
    }
}
