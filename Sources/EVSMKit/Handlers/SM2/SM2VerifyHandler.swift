import HostProtocol

/// `E7`/`E8` SM2 verify a signature.
/// Request (`SM2VerifyRequest`): public key (`K` or 128H), user-id length 4N, user id,
/// length 4N, data, signature 128H.
/// Response: no fields; `00` valid, `01` invalid.
/// Errors: `15` not a curve point or malformed signature, `12`/`27` for a `K` index; besides
/// `13`, `15`, `80` from the request layout.
enum SM2VerifyHandler {
    static let entry = (SM2VerifyRequest.command, CommandHandler(run: verify))

    static func verify(_ ctx: HandlerContext, _ fields: ArraySlice<UInt8>) throws -> HandlerOutput {
        let r = try SM2VerifyRequest.decodeAll(fields)
        let q = try SM2HandlerSupport.publicKey(ctx, r.publicKey)
        let ok: Bool
        do { ok = try SM2Ops.verify(publicKey: q, userID: SM2HandlerSupport.uid(r.userID), message: r.data, signature: r.signature) } catch {
            throw HostFailure(.invalidInput)
        }
        return HandlerOutput(code: ok ? .ok : .verificationFailed, fields: [])
    }
}
