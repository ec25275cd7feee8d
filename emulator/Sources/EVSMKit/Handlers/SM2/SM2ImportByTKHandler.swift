import HSMCrypto
import HostProtocol

/// `TU`/`TV` import an SM2 private key from under a transport key (vendor layout).
/// Request (`SM2ImportByTKRequest`): mode 2N, TK type 3H, TK, DERIVE, curve `07`, index 4N
/// (no `K`; 9999 = not stored), DER public key, 4N length, d under the TK (32 bytes),
/// [index other than 9999: label length 2N, label].
/// Response (`SM2ImportByTKResponse`): 4N length, private key under the LMK (40 bytes).
/// Errors: `27` TK type, `10` TK not of that type, `26` SM1 TK, `15` the DER is not an SM2
/// public key or does not match the decrypted scalar (wrong TK or data), `80` encrypted key
/// not 32 bytes; besides `13`, `15`, `80` from the request layout.
enum SM2ImportByTKHandler {
    static let entry = (SM2ImportByTKRequest.command, CommandHandler(writesState: true, run: Handlers.typed(importKey)))

    static func importKey(_ ctx: HandlerContext, _ r: SM2ImportByTKRequest) throws -> SM2ImportByTKResponse {
        let q = try SM2HandlerSupport.point(r.publicKeyDER)
        guard r.privateKeyUnderTK.count == 32 else { throw HostFailure(.lengthError) }
        var tk = try SM2HandlerSupport.transportKey(ctx, r.transportKey)
        defer { tk.wipe() }
        var d = try SM2HandlerSupport.crypt(tk, mode: r.transportKey.mode, r.privateKeyUnderTK, encrypt: false)
        defer { SecureBytes.wipe(&d) }
        guard SM2Ops.isValidPrivate(d), let own = try? SM2Ops.publicKey(ofPrivate: d), own == q else {
            throw HostFailure(.invalidInput)
        }
        let blob = try SM2HandlerSupport.wrap(ctx, d)
        if r.stores { try SM2HandlerSupport.store(ctx, index: r.index, label: r.label, blob: blob, q: q) }
        return SM2ImportByTKResponse(privateKeyUnderLMK: blob)
    }
}
